#!/usr/bin/env bash
# Benchmark of `rolelens analyze` on the inputs researchers hand it, every figure a ratio
# against a baseline run in the same session (machines are shared and noisy).
#
# Usage: Scripts/bench.sh [--corpus N] [--dataset ROWS] [--runs R] [--no-peers] [--only corpus|dataset]
#        Scripts/bench.sh --series N1,N2,...          (bench corpus: doubling N at most doubles time)
#        Scripts/bench.sh --dataset-series R1,R2,...  (dataset rows: time and peak RSS per size)
#        Scripts/bench.sh --text N                    (the text postings of the bench corpus alone)
#        Scripts/bench.sh --grown N [--dir DIR]       (the older corpus grown from Corpus/)
#
# Default (needs ../shared beside the project; skips with a message without it):
#   1. The realistic benchmark corpus, ../shared/tools/bench_corpus.sh N (default 10,000: 266 MB
#      of text postings, job-board HTML and full saved pages), in /tmp/rolelens-bench-shared-N:
#      the floor (libxml2 DOM parse of its HTML files + reading its text files, Scripts/parse-floor.c),
#      `analyze --jobs 1` and `--jobs 2`, and the Python peers with 2 jobs
#      (../shared/peers/py_pipeline.py with resiliparse and with trafilatura).
#   2. A dataset dump, ../shared/tools/dataset_corpus.py ROWS (default 60,000 rows, 198 MB):
#      `analyze --jobs 1` and `--jobs 2`, and the Python peer (csv + CountVectorizer,
#      ../shared/peers/csv_peer.py).
# Prints medians of R runs (default 3), peak RSS, and the ratios the targets are stated in.
# The peers need a virtualenv with ../shared/peers/requirements.txt at $PEERS_VENV (default
# /tmp/peers-venv; made with `python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install
# -r ../shared/peers/requirements.txt`); without it their rows are skipped with a message.
# Needs: python3, gcc, pkg-config, libxml2-dev, GNU time (/usr/bin/time; apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

corpus_n=10000
dataset_rows=60000
runs=3
peers=1
mode=default
only=""
arg=""
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus_n="$2"; shift 2 ;;
    --dataset) dataset_rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --only) only="$2"; shift 2 ;;
    --series|--dataset-series|--text|--grown) mode=${1#--}; arg="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
shared=../shared
venv=${PEERS_VENV:-/tmp/peers-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
if [ "$mode" != grown ] && [ ! -d "$shared/tools" ]; then
  echo "bench: skipped: $shared/tools is not here (the realistic corpora are made from ../shared; --grown N works without it)"
  exit 0
fi
swift build -c release >/dev/null
bin=.build/release/rolelens
gcc -O2 -o "$work/parse-floor" Scripts/parse-floor.c $(pkg-config --cflags --libs libxml-2.0)
cores=$(nproc)
jobs_all=$(( cores < 2 ? cores : 2 ))
if [ "$peers" = 1 ] && [ ! -x "$venv/bin/python" ]; then
  echo "bench: the Python peers are skipped: no virtualenv at $venv (see --help)" >&2
  peers=0
fi

# measure NAME COMMAND...: one warm-up run (fills the page cache), then R timed runs; records
# the median wall time and the largest peak RSS.
declare -A seconds rss
measure() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
  local times=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r t m < "$work/time"
    times+=("$t")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  seconds[$name]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss[$name]=$peak
}

# row LABEL NAME MB: one line of a table.
row() {
  awk -v l="$1" -v s="${seconds[$2]}" -v mb="$3" -v m="${rss[$2]}" \
    'BEGIN {printf "%-44s %9.2f %9.1f %12.1f\n", l, s, mb / s, m / 1024}'
}
header() { printf '%-44s %9s %9s %12s\n' step seconds MB/s "peak RSS MB"; }
ratio() { awk -v a="${seconds[$2]}" -v b="${seconds[$3]}" -v l="$1" -v t="$4" 'BEGIN {printf "  %-52s %6.2f   (target %s)\n", l, a / b, t}'; }

bench_corpus() {
  local d=/tmp/rolelens-bench-shared-$1
  [ -f "$d/.done" ] || { echo "generating the benchmark corpus ($1 files) into $d ..." >&2; bash "$shared/tools/bench_corpus.sh" "$1" "$d"; }
  echo "$d"
}

dataset() {
  local f=/tmp/rolelens-dataset-$1.csv
  [ -f "$f" ] || { echo "generating a dataset of $1 rows into $f ..." >&2; python3 "$shared/tools/dataset_corpus.py" "$1" "$f" >/dev/null; }
  echo "$f"
}

same_outputs() {
  if ! diff -rq "$1" "$2" >/dev/null; then
    echo "bench: outputs differ between --jobs 1 and --jobs $jobs_all" >&2
    exit 1
  fi
}

case "$mode" in
default)
  if [ "$only" != dataset ]; then
  d=$(bench_corpus "$corpus_n")
  mb=$(find -H "$d" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s / 1e6}')
  measure floor "$work/parse-floor" --html-only "$d/"
  measure jobs1 "$bin" analyze "$d" --out "$work/c1" --jobs 1 --quiet
  measure jobs2 "$bin" analyze "$d" --out "$work/c2" --jobs "$jobs_all" --quiet
  same_outputs "$work/c1" "$work/c2"
  if [ "$peers" = 1 ]; then
    measure resiliparse "$venv/bin/python" "$shared/peers/py_pipeline.py" "$d" --out "$work/pr" --extractor resiliparse --jobs "$jobs_all"
    measure trafilatura "$venv/bin/python" "$shared/peers/py_pipeline.py" "$d" --out "$work/pt" --extractor trafilatura --jobs "$jobs_all"
  fi
  printf '\nbenchmark corpus: %s files, %s MB (../shared/tools/bench_corpus.sh %s); median of %s runs, %s cores\n' \
    "$corpus_n" "$mb" "$corpus_n" "$runs" "$cores"
  header
  row "floor: libxml2 parse of HTML + read text" floor "$mb"
  row "rolelens analyze --jobs 1" jobs1 "$mb"
  row "rolelens analyze --jobs $jobs_all" jobs2 "$mb"
  [ "$peers" = 1 ] && row "peer: resiliparse + scikit-learn, $jobs_all jobs" resiliparse "$mb"
  [ "$peers" = 1 ] && row "peer: trafilatura + scikit-learn, $jobs_all jobs" trafilatura "$mb"
  echo "ratios:"
  ratio "analyze --jobs 1 / floor" jobs1 floor "<= 1.3"
  ratio "analyze --jobs 1 / --jobs $jobs_all" jobs1 jobs2 ">= 1.7"
  [ "$peers" = 1 ] && ratio "resiliparse peer / analyze --jobs $jobs_all" resiliparse jobs2 ">= 4.5"
  [ "$peers" = 1 ] && ratio "trafilatura peer / analyze --jobs $jobs_all" trafilatura jobs2 ">= 12"
  awk -v m="${rss[jobs2]}" 'BEGIN {printf "  %-52s %6.1f   (target <= 150)\n", "peak RSS MB, --jobs 2", m / 1024}'
  fi
  [ "$only" = corpus ] && exit 0

  f=$(dataset "$dataset_rows")
  mb=$(awk -v b="$(stat -L -c %s "$f")" 'BEGIN {printf "%.1f", b / 1e6}')
  measure djobs1 "$bin" analyze "$f" --out "$work/d1" --jobs 1 --quiet
  measure djobs2 "$bin" analyze "$f" --out "$work/d2" --jobs "$jobs_all" --quiet
  same_outputs "$work/d1" "$work/d2"
  [ "$peers" = 1 ] && measure csvpeer "$venv/bin/python" "$shared/peers/csv_peer.py" "$f"
  printf '\ndataset: %s rows, %s MB (../shared/tools/dataset_corpus.py %s)\n' "$dataset_rows" "$mb" "$dataset_rows"
  header
  row "rolelens analyze --jobs 1" djobs1 "$mb"
  row "rolelens analyze --jobs $jobs_all" djobs2 "$mb"
  [ "$peers" = 1 ] && row "peer: csv + CountVectorizer(1,2)" csvpeer "$mb"
  echo "ratios:"
  [ "$peers" = 1 ] && ratio "csv peer / analyze --jobs $jobs_all" csvpeer djobs2 ">= 10"
  ratio "analyze --jobs 1 / --jobs $jobs_all" djobs1 djobs2 ">= 1.7"
  ;;
series)
  printf '%-10s %9s %8s %12s %8s %12s\n' files "floor s" "x prev" "analyze s" "x prev" "peak RSS MB"
  pf="" pa=""
  for size in ${arg//,/ }; do
    d=$(bench_corpus "$size")
    measure floor "$work/parse-floor" --html-only "$d/"
    measure analyze "$bin" analyze "$d" --out "$work/s" --jobs "$jobs_all" --quiet
    awk -v n="$size" -v f="${seconds[floor]}" -v a="${seconds[analyze]}" -v pf="$pf" -v pa="$pa" -v m="${rss[analyze]}" \
      'BEGIN {printf "%-10s %9.2f %8s %12.2f %8s %12.1f\n", n, f, pf == "" ? "" : sprintf("%.2f", f / pf), a,
        pa == "" ? "" : sprintf("%.2f", a / pa), m / 1024}'
    pf=${seconds[floor]} pa=${seconds[analyze]}
  done
  ;;
dataset-series)
  printf '%-10s %9s %12s %8s %12s %10s\n' rows MB "analyze s" "x prev" "peak RSS MB" "x first"
  pa="" first=""
  for rows in ${arg//,/ }; do
    f=$(dataset "$rows")
    mb=$(awk -v b="$(stat -L -c %s "$f")" 'BEGIN {printf "%.1f", b / 1e6}')
    measure analyze "$bin" analyze "$f" --out "$work/s" --jobs "$jobs_all" --quiet
    first=${first:-${rss[analyze]}}
    awk -v n="$rows" -v mb="$mb" -v a="${seconds[analyze]}" -v pa="$pa" -v m="${rss[analyze]}" -v f="$first" \
      'BEGIN {printf "%-10s %9.1f %12.2f %8s %12.1f %10.2f\n", n, mb, a, pa == "" ? "" : sprintf("%.2f", a / pa), m / 1024, m / f}'
    pa=${seconds[analyze]}
  done
  ;;
text)
  d=$(bench_corpus "$arg")
  t=$work/text
  mkdir -p "$t"
  # One link per text file, numbered (names may repeat across the corpus's subfolders).
  i=0
  while IFS= read -r file; do
    i=$((i + 1))
    ln -s "$file" "$t/$i.txt"
  done < <(find -H "$d" -type f -name '*.txt' | sort)
  mb=$(find -L "$t" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s / 1e6}')
  files=$(find -L "$t" -type f | wc -l)
  measure text "$bin" analyze "$t" --out "$work/t" --jobs 1 --quiet --bootstrap 0 --permutations 0
  printf '\ntext postings of the benchmark corpus: %s files, %s MB\n' "$files" "$mb"
  header
  row "rolelens analyze --jobs 1 (no resampling)" text "$mb"
  ;;
grown)
  n=$arg
  d=${dir:-/tmp/rolelens-bench-$n}
  if [ ! -f "$d/.complete" ]; then
    echo "generating $n postings from Corpus/ into $d ..." >&2
    rm -rf "$d"
    python3 Scripts/make-bench-corpus.py "$n" "$d"
    touch "$d/.complete"
  fi
  mb=$(find -H "$d" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s / 1e6}')
  measure floor "$work/parse-floor" "$d"
  measure jobs1 "$bin" analyze "$d" --out "$work/g1" --jobs 1 --quiet
  measure jobs2 "$bin" analyze "$d" --out "$work/g2" --jobs "$jobs_all" --quiet
  same_outputs "$work/g1" "$work/g2"
  printf '\ncorpus grown from Corpus/: %s postings, %s MB\n' "$n" "$mb"
  header
  row "floor: libxml2 parse of every file" floor "$mb"
  row "rolelens analyze --jobs 1" jobs1 "$mb"
  row "rolelens analyze --jobs $jobs_all" jobs2 "$mb"
  ratio "analyze --jobs 1 / floor" jobs1 floor "-"
  ratio "analyze --jobs 1 / --jobs $jobs_all" jobs1 jobs2 "-"
  ;;
esac
