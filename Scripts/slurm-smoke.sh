#!/usr/bin/env bash
# Smoke test of the Slurm scripts (Scripts/slurm/) on a real, throwaway, single-node Slurm:
# run `rolelens analyze Corpus` once directly and once as a job array of N shards plus a merge
# job, and check that the merged reports are byte-identical to the single run.
#
# Usage: bash Scripts/slurm-smoke.sh [--bin PATH] [--shards N] [--timeout SECONDS]
#        (defaults: .build/release/rolelens, 4 shards, 600 s for the jobs)
#
# Needs root (it installs Slurm and munge with apt-get when they are missing, and runs the
# daemons as root). Everything it starts lives in one temporary folder: its own munge key and
# socket (so a munged of the machine, if any, is neither used nor disturbed), a slurm.conf for
# this host only, state, spool, pid and log files. It stops the daemons it started and removes
# the folder on exit, whatever happened, so it can run again straight away.
set -euo pipefail

bin='' shards=4 timeout=600
while (($#)); do
  case $1 in
    --bin) bin=${2:?--bin needs a path}; shift 2 ;;
    --shards) shards=${2:?--shards needs a number}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    -h | --help) sed -n '6,7p' "$0" | sed 's/^# *//'; exit 0 ;;
    *) echo "slurm-smoke: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "slurm-smoke: --shards needs a positive number" >&2; exit 2; }
[[ $timeout =~ ^[1-9][0-9]*$ ]] || { echo "slurm-smoke: --timeout needs seconds" >&2; exit 2; }
# --bin is relative to where this was called from; the default to the project folder.
[[ -n $bin ]] && bin=$(realpath -m -- "$bin")
cd "$(dirname "$0")/.."
bin=${bin:-$PWD/.build/release/rolelens}
[[ -x $bin ]] || { echo "slurm-smoke: no rolelens binary at $bin (build it, or give --bin)" >&2; exit 2; }
((EUID == 0)) || { echo "slurm-smoke: run as root (the Slurm daemons here run as root)" >&2; exit 2; }

step() { printf '\n--- slurm smoke: %s (%ss)\n' "$1" "$SECONDS"; }
fail() { printf 'slurm-smoke: FAILED: %s\n' "$*" >&2; exit 1; }

# --- Slurm and munge ------------------------------------------------------------------------
step "packages"
install_seconds=0
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
  ! command -v munged >/dev/null; then
  t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Without recommends: the recommended plugins (HDF5, InfluxDB, IPMI, ROCm, ...) are 30 more
  # packages that a one-node test never loads.
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
  install_seconds=$((SECONDS - t0))
  echo "installed slurm-wlm and munge in ${install_seconds} s"
fi
echo "$(slurmctld -V), $(munged -V 2>&1 | head -1)"

setup_start=$SECONDS
# In /tmp, not $TMPDIR: the munge socket's path must stay under the 108 bytes of a Unix socket.
tmp=$(mktemp -d /tmp/rolelens-slurm-smoke.XXXXXX)
# munged refuses a socket whose folders are not searchable by everyone (mktemp makes 0700).
chmod 711 "$tmp"
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 711 "$tmp/munge"
export SLURM_CONF=$tmp/slurm.conf

munged_pid='' slurmctld_pid='' slurmd_pid='' jobs_submitted=''

dump_logs() { # on failure. "mpi/pmix ... can not load PMIx library" in them is harmless (no MPI here)
  local f
  for f in "$tmp"/log/*.log "$tmp"/munge/munged.log; do
    [[ -s $f ]] || continue
    printf '\n----- %s (last 40 lines)\n' "${f#"$tmp"/}"
    tail -n 40 "$f"
  done
}

stop_pid() { # stop a daemon we started: TERM, up to 10 s, then KILL
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

our_stepds() { # the slurmstepd processes of this cluster: they carry our SLURM_CONF
  local pid
  for pid in $(pgrep -x slurmstepd 2>/dev/null); do
    { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF" && echo "$pid"
  done
  return 0
}

cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  set +e
  # Jobs still queued or running (a timeout, an interrupt): cancel them and give slurmstepd,
  # which runs each job detached from slurmd, a few seconds to end them, then kill what is left,
  # so that nothing of this run outlives it.
  if [[ -n $jobs_submitted && -n $slurmctld_pid ]] && kill -0 "$slurmctld_pid" 2>/dev/null; then
    scancel $jobs_submitted 2>/dev/null
    for ((i = 0; i < 100; i++)); do
      [[ -z $(squeue -h -j "${jobs_submitted// /,}" 2>/dev/null) && -z $(our_stepds) ]] && break
      sleep 0.1
    done
  fi
  for i in $(our_stepds); do kill -KILL "$i" 2>/dev/null; done
  stop_pid "$slurmd_pid"
  stop_pid "$slurmctld_pid"
  stop_pid "$munged_pid"
  rm -rf "$tmp"
  echo "slurm smoke: stopped the daemons it started, removed $tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "munge"
key=$tmp/munge/munge.key
if command -v mungekey >/dev/null; then
  mungekey --create --keyfile="$key"
else # munge before 0.5.14 has no mungekey; any 1024 random bytes make a key
  dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
fi
# munged checks that only its own user (root here) can read the key.
chown root:root "$key"
chmod 600 "$key"
socket=$tmp/munge/munge.socket
munged --foreground --socket="$socket" --key-file="$key" --pid-file="$tmp/munge/munged.pid" \
  --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/munge/munged.log" \
  >>"$tmp/munge/munged.log" 2>&1 &
munged_pid=$!
for ((i = 0; ; i++)); do
  munge --socket="$socket" --no-input 2>/dev/null | unmunge --socket="$socket" >/dev/null 2>&1 && break
  ((i < 100)) || { dump_logs; fail "munged did not start"; }
  kill -0 "$munged_pid" 2>/dev/null || { dump_logs; fail "munged exited"; }
  sleep 0.1
done
echo "munged running (pid $munged_pid), a credential round-trips through $socket"

step "slurm.conf"
# Slurm names nodes by the short host name; NodeAddr and the controller's address are loopback so
# that nothing depends on the host name resolving (containers' names often don't).
host=$(hostname -s 2>/dev/null || uname -n)
host=${host%%.*}
[[ -n $host ]] || fail "no host name"
cpus=$(nproc)
mem_total=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
# slurmd drains a node that has less memory than slurm.conf says: leave a margin (5%, >= 512 MB).
margin=$((mem_total / 20 > 512 ? mem_total / 20 : 512))
mem=$((mem_total - margin))
((mem >= 1024)) || fail "only ${mem_total} MB of memory"

# Not the usual 6817/6818, so that a Slurm of the machine itself (or one left over by a run that
# was killed) doesn't collide with ours: the first free pair from 16817 up.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port=16817
while port_busy "$ctld_port" || port_busy "$((ctld_port + 1))"; do
  ctld_port=$((ctld_port + 2))
  ((ctld_port < 16917)) || fail "no free port pair in 16817..16917"
done
slurmd_port=$((ctld_port + 1))

cat >"$SLURM_CONF" <<EOF
# Single-node Slurm for Scripts/slurm-smoke.sh; everything under $tmp.
ClusterName=rolelens-smoke
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
MpiDefault=none
# No mail from jobs (and no error for the missing mail program).
MailProg=/bin/true
# No cgroups: process tracking by parent pid and no task binding work in containers and VMs
# without a delegated cgroup tree, and a one-node test needs neither limits nor fencing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No accounting database: job state is read from slurmctld (scontrol), which keeps finished
# jobs for MinJobAge seconds.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=3600
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
echo "node $host: $cpus CPUs, RealMemory=$mem MB (of $mem_total), ports $ctld_port/$slurmd_port, SLURM_CONF=$SLURM_CONF"

step "slurmctld and slurmd"
# -D keeps each daemon in the foreground, so $! is its pid and stopping it is a plain kill.
slurmctld -D -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
slurmctld_pid=$!
slurmd -D -f "$SLURM_CONF" -N "$host" >>"$tmp/log/slurmd.out" 2>&1 &
slurmd_pid=$!
state=''
for ((i = 0; ; i++)); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  if ((i >= 600)) || ! kill -0 "$slurmctld_pid" 2>/dev/null || ! kill -0 "$slurmd_pid" 2>/dev/null; then
    sinfo -N -l 2>&1 || true
    cat "$tmp"/log/*.out 2>/dev/null || true
    dump_logs
    fail "node $host not idle after $((i / 10)) s (state: ${state:-none})"
  fi
  sleep 0.1
done
setup_seconds=$((SECONDS - setup_start))
sinfo
echo "Slurm up in ${setup_seconds} s"

# --- the runs ----------------------------------------------------------------------------------
step "single run"
t0=$SECONDS
"$bin" analyze Corpus --out "$tmp/single" --by year --quiet >"$tmp/single.stdout"
single_seconds=$((SECONDS - t0))
echo "analyze Corpus --out single --by year --quiet: ${single_seconds} s"

step "job array of $shards shards + merge"
t0=$SECONDS
# One CPU a job (the scripts ask for 4, more than a small CI node has: such a job would wait for
# ever), so that the shards of a small node run side by side; little memory, so the jobs fit any
# node this runs on (memory is not a consumable resource with CR_Core anyway).
ids=$(Scripts/slurm/submit.sh --parsable --shards "$shards" --out "$tmp/merged" \
  --partials "$tmp/partials" --logs "$tmp/joblogs" --bin "$bin" \
  --sbatch-opt --cpus-per-task=1 --sbatch-opt --mem=1G --sbatch-opt --time=00:15:00 \
  --merge-opt --quiet -- Corpus -- --by year --quiet) || { dump_logs; fail "submit.sh failed"; }
read -r array_job merge_job <<<"$ids"
[[ $array_job =~ ^[0-9]+$ && ${merge_job:-} =~ ^[0-9]+$ ]] || fail "submit.sh printed no job ids: $ids"
jobs_submitted="$array_job $merge_job"
echo "array job $array_job (--array=1-$shards), merge job $merge_job (afterok:$array_job)"

job_field() { # job_field JOBID FIELD: FIELD= of each record of `scontrol show job`, one a line
  scontrol -o show job "$1" 2>/dev/null | grep -o "\b$2=[^ ]*" | cut -d= -f2-
}
merge_state=''
last=''
while :; do
  merge_state=$(job_field "$merge_job" JobState)
  case $merge_state in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED) break ;;
  esac
  now=$(squeue -h -j "$array_job,$merge_job" -o '%i:%T' 2>/dev/null | sort | tr '\n' ' ')
  [[ $now != "$last" ]] && { echo "  $((SECONDS - t0)) s: ${now:-(none queued)}"; last=$now; }
  if ! kill -0 "$slurmctld_pid" 2>/dev/null || ! kill -0 "$slurmd_pid" 2>/dev/null; then
    dump_logs
    fail "a Slurm daemon died while the jobs ran (logs above)"
  fi
  if ((SECONDS - t0 >= timeout)); then
    squeue 2>&1 || true
    dump_logs
    fail "timeout: merge job $merge_job still ${merge_state:-unknown} after $timeout s"
  fi
  sleep 0.5
done
slurm_seconds=$((SECONDS - t0))

step "job logs"
for f in "$tmp"/joblogs/*.log; do
  [[ -e $f ]] || continue
  printf '\n----- %s\n' "${f##*/}"
  cat "$f"
done

step "checks"
problems=0
# Every array task: COMPLETED with exit code 0:0 (`scontrol` has one record a task once they ran).
mapfile -t task_states < <(scontrol -o show job "$array_job" 2>/dev/null |
  sed -n 's/.*\bArrayTaskId=\([^ ]*\).*\bJobState=\([^ ]*\).*\bExitCode=\([^ ]*\).*/\1 \2 \3/p' | sort -n)
ok_tasks=0
for line in "${task_states[@]}"; do
  read -r task st code <<<"$line"
  if [[ $st == COMPLETED && $code == 0:0 ]]; then ok_tasks=$((ok_tasks + 1))
  else echo "array task ${array_job}_$task: $st, exit code $code" >&2; fi
done
if ((ok_tasks != shards)); then
  echo "only $ok_tasks of $shards array tasks completed" >&2
  problems=$((problems + 1))
fi
merge_code=$(job_field "$merge_job" ExitCode)
if [[ $merge_state != COMPLETED || $merge_code != 0:0 ]]; then
  echo "merge job $merge_job: $merge_state, exit code ${merge_code:-?} ($(job_field "$merge_job" Reason))" >&2
  problems=$((problems + 1))
fi
for ((k = 1; k <= shards; k++)); do
  [[ -s $tmp/partials/part-$k-of-$shards.rlp ]] || { echo "no partial part-$k-of-$shards.rlp" >&2; problems=$((problems + 1)); }
done
if ((problems)); then dump_logs; fail "$problems problem(s) with the Slurm jobs"; fi
[[ -d $tmp/merged ]] || fail "the merge job wrote no $tmp/merged"
if ! diff -r "$tmp/single" "$tmp/merged"; then
  fail "the merged reports differ from a single run (diff above)"
fi

step "summary"
echo "shards:              $shards (array job $array_job, tasks COMPLETED: $ok_tasks/$shards; merge job $merge_job COMPLETED)"
echo "apt install:         ${install_seconds} s (0: already installed)"
echo "Slurm setup:         ${setup_seconds} s (munge, slurm.conf, daemons up, node idle)"
echo "single run:          ${single_seconds} s"
echo "array + merge:       ${slurm_seconds} s from submission to the merge job's end"
echo "reports compared:    $(find "$tmp/single" -type f | wc -l) files"
echo "merged reports identical to a single run"
