#!/usr/bin/env bash
# Run `rolelens analyze` on a Slurm cluster as N shards in parallel, then merge them into one set of
# reports (the same files as a single `rolelens analyze INPUT... --out DIR`).
#
# Usage:
#   Scripts/slurm/submit.sh --shards N --out DIR [options] -- INPUT... [-- ANALYZE_OPTION...]
#
# Everything before the first `--` is for this script; between the first and the second `--` are
# the inputs, exactly as `rolelens analyze` takes them; after the second `--` come the analyze
# options that every shard gets (give the same ones as a single run, e.g. --by year --quiet).
#
# Options:
#   --shards N          number of shards, one array task each (required)
#   --out DIR           folder the merged reports go to (required)
#   --partials DIR      folder for the partial files (default: DIR.partials beside --out)
#   --logs DIR          folder for the jobs' logs (default: the partials folder's logs/)
#   --bin PATH          the rolelens binary (default: $ROLELENS, else `rolelens` on PATH)
#   --max-parallel M    run at most M shards at once (--array=1-N%M)
#   --sbatch-opt OPT    an sbatch option for both jobs, e.g. --sbatch-opt --partition=short
#                       or --sbatch-opt --account=lab (repeatable; give OPT as one word)
#   --array-opt OPT     an sbatch option for the shards only, e.g. --array-opt --cpus-per-task=8
#   --merge-opt OPT     an option for `rolelens merge`, e.g. --merge-opt --quiet (repeatable)
#   --parsable          print only "ARRAY_JOB_ID MERGE_JOB_ID" on stdout
#
# Example, from the project folder:
#   Scripts/slurm/submit.sh --shards 8 --out Reports --bin .build/release/rolelens \
#       --merge-opt --quiet -- Corpus -- --by year --quiet
#
# The jobs run in the folder this script is called from, so relative inputs mean the same there;
# on a cluster that folder, the binary, the partials and the output must be on a shared file system.
# Watch with `squeue --me`; a failed shard cancels the merge job (--kill-on-invalid-dep).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'submit.sh: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2; exit 2; }

shards='' out='' partials='' logs='' bin=${ROLELENS:-rolelens} max_parallel='' parsable=0
sbatch_opts=() array_opts=() merge_opts=()
need() { (($1 >= 2)) || die "$2 needs a value"; }
while (($#)); do
  case $1 in
    --shards) need $# "$1"; shards=$2; shift 2 ;;
    --out) need $# "$1"; out=$2; shift 2 ;;
    --partials) need $# "$1"; partials=$2; shift 2 ;;
    --logs) need $# "$1"; logs=$2; shift 2 ;;
    --bin) need $# "$1"; bin=$2; shift 2 ;;
    --max-parallel) need $# "$1"; max_parallel=$2; shift 2 ;;
    --sbatch-opt) need $# "$1"; sbatch_opts+=("$2"); shift 2 ;;
    --array-opt) need $# "$1"; array_opts+=("$2"); shift 2 ;;
    --merge-opt) need $# "$1"; merge_opts+=("$2"); shift 2 ;;
    --parsable) parsable=1; shift ;;
    -h | --help) usage ;;
    --) shift; break ;;
    *) die "unknown option $1 (inputs go after --)" ;;
  esac
done
inputs=()
while (($#)) && [[ $1 != -- ]]; do inputs+=("$1"); shift; done
(($#)) && shift
analyze_opts=("$@")

[[ $shards =~ ^[1-9][0-9]*$ ]] || die "--shards N is required (a positive number)"
[[ -n $out ]] || die "--out DIR is required"
((${#inputs[@]})) || die "no inputs: give them after --"
[[ -z $max_parallel || $max_parallel =~ ^[1-9][0-9]*$ ]] || die "--max-parallel needs a positive number"
for input in "${inputs[@]}"; do [[ -e $input ]] || die "input not found: $input"; done
command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm submit host"

# Absolute paths, so the logs say exactly which files the jobs used. The binary is resolved here
# (on PATH or not) so every task runs the same one.
if [[ $bin == */* ]]; then bin=$(realpath -e -- "$bin") || die "binary not found: $bin"
else bin=$(command -v -- "$bin") || die "$bin not on PATH (use --bin PATH)"; fi
[[ -x $bin ]] || die "not executable: $bin"
out=$(realpath -m -- "$out")
partials=$(realpath -m -- "${partials:-$out.partials}")
logs=$(realpath -m -- "${logs:-$partials/logs}")
# Slurm opens the --output files before the job starts: their folder must already exist.
mkdir -p -- "$partials" "$logs"

# The job scripts read these; sbatch hands the submitting environment to the jobs.
export ROLELENS=$bin ROLELENS_SHARDS=$shards ROLELENS_PARTIALS=$partials

array_spec=1-$shards${max_parallel:+%$max_parallel}
array_job=$(sbatch --parsable --array="$array_spec" --output="$logs/rolelens-shard-%A_%a.log" \
  "${sbatch_opts[@]}" "${array_opts[@]}" \
  "$here/rolelens-array.sbatch" "${inputs[@]}" -- "${analyze_opts[@]}")
array_job=${array_job%%;*} # --parsable prints "id" or "id;cluster"

if ! merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$logs/rolelens-merge-%j.log" "${sbatch_opts[@]}" \
  "$here/rolelens-merge.sbatch" --out "$out" "${merge_opts[@]}"); then
  # Without its merge the array's work would be lost: don't leave it running.
  scancel "$array_job" || true
  die "submitting the merge job failed; cancelled array job $array_job"
fi
merge_job=${merge_job%%;*}

if ((parsable)); then
  echo "$array_job $merge_job"
else
  echo "array job $array_job: $shards shards (--array=$array_spec), partials in $partials"
  echo "merge job $merge_job: after array job $array_job succeeds, reports into $out"
  echo "logs in $logs; watch with: squeue -j $array_job,$merge_job"
fi
