#!/usr/bin/env bash
# memory.sh: audit a generated site of N pages (default 1000) at
# concurrency 4 and sample, every second, the peak resident memory of the
# newsa11y process and the summed proportional memory (PSS) of its
# browser's processes. Prints the newsa11y peak, and the browser's median over the
# first and the last tenth of the run, to show whether it grows with the
# pages audited.
#
#   scripts/memory.sh [PAGES] [newsa11y flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-1000}"; shift || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/newsa11y" ./cmd/newsa11y
go run ./scripts/gensite -n "$pages" "$tmp/site"

"$tmp/newsa11y" audit --no-config --quiet --fail-on none -c 4 "$@" --report "jsonl=$tmp/run.jsonl" "$tmp/site" &
pid=$!
hwm() { awk '/^VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Proportional set size: shared pages are divided among the processes
# sharing them, so the sum over the browser's processes does not count
# its shared libraries once per process.
pss() { awk '/^Pss:/{print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
tree() { # summed PSS (kB) of every descendant process of $1
  local total=0 kid
  for kid in $(pgrep -P "$1"); do
    total=$((total + $(pss "$kid") + $(tree "$kid")))
  done
  echo "$total"
}
while kill -0 "$pid" 2>/dev/null; do
  echo "$(date +%s) $(hwm "$pid") $(tree "$pid")" >> "$tmp/samples"
  sleep 1
done
wait "$pid" || true
done_pages=$(wc -l < "$tmp/run.jsonl")
# median FIELD FROM TO: the median of a column over a range of samples.
median() {
  sed -n "$2,$3p" "$tmp/samples" | awk -v f="$1" '{print $f}' | sort -n |
    awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
n=$(wc -l < "$tmp/samples")
tenth=$(( n / 10 > 0 ? n / 10 : 1 ))
seconds=$(( $(tail -1 "$tmp/samples" | cut -d' ' -f1) - $(head -1 "$tmp/samples" | cut -d' ' -f1) ))
peak=$(awk '$2 > p {p = $2} END {print p}' "$tmp/samples")
echo "pages audited: $done_pages in $seconds s"
echo "newsa11y peak RSS (VmHWM): $((peak / 1024)) MB"
echo "browser PSS (sum over its processes), median: first tenth $(( $(median 3 1 "$tenth") / 1024 )) MB, last tenth $(( $(median 3 $((n - tenth + 1)) "$n") / 1024 )) MB"
