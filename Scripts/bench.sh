#!/usr/bin/env bash
# Benchmark: generates N postings from Corpus/ (deterministic), then measures in one run
#   (a) reading every file, (b) the floor: parsing every file with libxml2 and collecting its
#   text, nothing else, (c) `rolelens analyze` with --jobs 1 and with all cores,
# and prints postings/s, MB/s, peak RSS and the ratios c/b and jobs-1/jobs-all.
#
# Usage: Scripts/bench.sh [N] [--dir DIR] [--runs R]
#        Scripts/bench.sh --series N1,N2,... [--runs R]
#        Scripts/bench.sh --memory N1,N2,...
#   N      postings to generate (default 20000); the corpus is kept in DIR for later runs
#   DIR    where the corpus goes (default /tmp/rolelens-bench-N)
#   R      timed runs of each step; the median is reported (default 3)
#   --series  the scaling check instead: for each N (corpora in /tmp/rolelens-bench-N), the floor
#          and `analyze` with all cores, with each step's time relative to the previous N
#          (doubling N should at most double the time) and peak RSS.
#   --memory  the memory check instead: for each N (corpora in /tmp/rolelens-bench-N), one
#          `analyze` run with all cores, its peak RSS and that RSS relative to the first N's.
# Needs: python3, gcc, pkg-config, libxml2-dev, GNU time (/usr/bin/time; apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

n=20000
runs=3
dir=""
series=""
memory=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --series) series="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    *) n="$1"; shift ;;
  esac
done
dir=${dir:-/tmp/rolelens-bench-$n}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
swift build -c release >/dev/null
bin=.build/release/rolelens
gcc -O2 -o "$work/parse-floor" Scripts/parse-floor.c $(pkg-config --cflags --libs libxml-2.0)

# generate N DIR: makes the corpus unless a complete one is there.
generate() {
  if [ ! -f "$2/.complete" ]; then
    echo "generating $1 postings into $2 ..." >&2
    rm -rf "$2"
    python3 Scripts/make-bench-corpus.py "$1" "$2"
    touch "$2/.complete"
  fi
}

# measure NAME COMMAND...: runs the command R times (after one warm-up that fills the page
# cache), records the median wall time and the largest peak RSS.
declare -A seconds rss
measure() {
  local name=$1; shift
  "$@" >/dev/null 2>&1
  local times=()
  local peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r t m < "$work/time"
    times+=("$t")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  seconds[$name]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss[$name]=$peak
}

cores=$(nproc)
if [ -n "$memory" ]; then
  printf '%-10s %12s %12s %12s\n' postings "analyze s" "peak RSS MB" "x first N"
  first=""
  for size in ${memory//,/ }; do
    corpus=/tmp/rolelens-bench-$size
    generate "$size" "$corpus"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" analyze "$corpus" --out "$work/out-$size" --jobs "$cores" \
      --quiet >/dev/null 2>&1
    read -r t m < "$work/time"
    first=${first:-$m}
    awk -v n="$size" -v t="$t" -v m="$m" -v f="$first" \
      'BEGIN {printf "%-10s %12.1f %12.1f %12.2f\n", n, t, m / 1024, m / f}'
    rm -rf "$work/out-$size"
  done
  exit 0
fi
if [ -n "$series" ]; then
  printf '%-10s %14s %8s %16s %8s %12s\n' postings "floor s" "x prev" "analyze s" "x prev" "peak RSS MB"
  previous_floor="" previous_analyze=""
  for size in ${series//,/ }; do
    corpus=/tmp/rolelens-bench-$size
    generate "$size" "$corpus"
    measure floor "$work/parse-floor" "$corpus"
    measure analyze "$bin" analyze "$corpus" --out "$work/out-$size" --jobs "$cores" --quiet
    awk -v n="$size" -v f="${seconds[floor]}" -v a="${seconds[analyze]}" -v pf="$previous_floor" \
      -v pa="$previous_analyze" -v m="${rss[analyze]}" 'BEGIN {
        printf "%-10s %14.2f %8s %16.2f %8s %12.1f\n", n, f, pf == "" ? "" : sprintf("%.2f", f / pf), a,
          pa == "" ? "" : sprintf("%.2f", a / pa), m / 1024 }'
    previous_floor=${seconds[floor]} previous_analyze=${seconds[analyze]}
    rm -rf "$work/out-$size"
  done
  exit 0
fi
generate "$n" "$dir"
files=$(find "$dir" -type f -name '*.html' | wc -l)
bytes=$(find "$dir" -type f -name '*.html' -printf '%s\n' | awk '{s+=$1} END {print s}')
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
measure read sh -c "find '$dir' -type f -name '*.html' -print0 | xargs -0 cat > /dev/null"
measure floor "$work/parse-floor" "$dir"
measure jobs1 "$bin" analyze "$dir" --out "$work/out1" --jobs 1 --quiet
measure jobsall "$bin" analyze "$dir" --out "$work/outall" --jobs "$cores" --quiet

if ! diff -rq "$work/out1" "$work/outall" >/dev/null; then
  echo "bench: outputs differ between --jobs 1 and --jobs $cores" >&2
  exit 1
fi

printf '%s postings (%s files, %s MB), %s runs each, median wall time, %s cores\n' "$n" "$files" "$mb" "$runs" "$cores"
printf '%-28s %9s %12s %9s %12s\n' step seconds postings/s MB/s "peak RSS MB"
for step in read floor jobs1 jobsall; do
  s=${seconds[$step]}
  label=$step
  case $step in
    read) label="(a) read files" ;;
    floor) label="(b) libxml2 parse (floor)" ;;
    jobs1) label="(c) analyze --jobs 1" ;;
    jobsall) label="(c) analyze --jobs $cores" ;;
  esac
  awk -v l="$label" -v s="$s" -v n="$n" -v mb="$mb" -v m="${rss[$step]}" \
    'BEGIN {printf "%-28s %9.2f %12.0f %9.1f %12.1f\n", l, s, n / s, mb / s, m / 1024}'
done
awk -v a="${seconds[jobs1]}" -v b="${seconds[floor]}" -v c="${seconds[jobsall]}" -v k="$cores" \
  'BEGIN {printf "ratio analyze(jobs 1) / floor: %.2f\nspeed-up jobs 1 -> jobs %d: %.2fx\n", a / b, k, a / c}'
