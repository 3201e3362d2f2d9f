#!/usr/bin/env bash
# bench.sh: newsa11y against the axe-core oracle on a folder of pages, in
# the same run on the same machine, alternating the configurations so that
# each sees the same load. For each round it times:
#
#   newsa11y          the whole audit, default isolation (tabs reused, cleared)
#   newsa11y-context  the whole audit, --isolation context (a context a page)
#   newsa11y-base     with BASE set: another build's default run, for a
#                     before/after comparison in the same run
#   oracle-reuse      the oracle at its fastest: axe-core, one reused tab
#                     per worker, ORACLE_CONCURRENCY workers (default 2,
#                     the issue's setup; on the 2-core machine the oracle
#                     is fastest at 2)
#   oracle-bare       the oracle's bare load: no audit, the same workers
#
# all with third-party requests blocked and in the same browser: CHROME,
# else CHROME_PATH, else Chromium's headless shell when it is installed,
# else chromium (newsa11y's own order, FindChrome in audit/chrome/find.go,
# also tries google-chrome and others). It prints the median wall time,
# the median machine CPU time (from /proc/stat: every process, the browsers
# included) and the ratios newsa11y needs to beat (0.8 of oracle-reuse,
# 1.15 of oracle-bare), as ratios of the medians and, steadier when the
# machine's speed drifts, as the median of each round's own ratio.
#
#   NEWSA11Y_CORPUS=../shared/corpus/news ORACLE=/tmp/oracle scripts/bench.sh [ROUNDS]
#
# ORACLE is a copy of the oracle folder with its dependencies installed:
#   cp -r ../shared/tools/oracle /tmp/oracle && (cd /tmp/oracle && npm ci)
# EXTRA_FLAGS adds newsa11y flags (e.g. -c 3); ORACLE_CONCURRENCY sets the
# oracle's tabs (default 2). BASE names another newsa11y
# binary (an older build) to time beside this one. CHROME=/usr/bin/chromium
# times everything in the full browser instead of the headless shell.
#
# ABLATE times newsa11y with capture steps left out, to show what each
# costs: a space-separated list of variants, each a comma-separated list
# of steps without spaces (settle, scroll, ax, walk; see
# audit/chrome/ablate.go), e.g.
#   ABLATE="walk walk,ax walk,ax,scroll,settle" scripts/bench.sh 3
# times, each round, newsa11y without the walk, without the walk and the
# accessibility tree, and with neither nor the waits after the load. These
# runs come from a build with the tag ablate; their findings are
# incomplete.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${NEWSA11Y_CORPUS:?set NEWSA11Y_CORPUS to a folder of .html pages}"
oracle="${ORACLE:?set ORACLE to a copy of the oracle with npm ci done}"
rounds="${1:-3}"
oracle_c="${ORACLE_CONCURRENCY:-2}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/newsa11y" ./cmd/newsa11y
if [ -n "${ABLATE:-}" ]; then
  go build -tags ablate -o "$tmp/newsa11y-ablate" ./cmd/newsa11y
  # A variant naming an unknown step stops that build at once, which the
  # timed runs would hide: check each before timing any.
  for steps in $ABLATE; do
    NEWSA11Y_ABLATE="$steps" "$tmp/newsa11y-ablate" version >/dev/null ||
      { echo "bench.sh: ABLATE variant '$steps' is not a list of settle, scroll, ax, walk" >&2; exit 1; }
  done
fi
chrome="${CHROME:-${CHROME_PATH:-$(command -v chromium-headless-shell || command -v chrome-headless-shell || command -v headless_shell || command -v chromium || true)}}"
chrome=$(command -v "$chrome" || true)
[ -n "$chrome" ] || { echo "bench.sh: no browser found; set CHROME" >&2; exit 1; }
export CHROME_PATH="$chrome"

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
hz=$(getconf CLK_TCK)

# measure NAME CMD...: appends "NAME wall cpu" to the results.
measure() {
  local name=$1; shift
  local b0 t0 b1 t1
  b0=$(busy); t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N); b1=$(busy)
  echo "$name $(echo "$t1 - $t0" | bc -l) $(echo "($b1 - $b0) / $hz" | bc -l) $r" >> "$tmp/results"
  printf '  %-34s %6.1f s wall  %6.1f CPU-s\n' "$name" "$(echo "$t1 - $t0" | bc -l)" "$(echo "($b1 - $b0) / $hz" | bc -l)" >&2
}

n=$(ls "$corpus"/*.html | wc -l)
echo "bench: $n pages in $corpus, $rounds rounds, browser $chrome, $(nproc) cores, oracle at $oracle_c tabs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
  echo "round $r" >&2
  measure newsa11y "$tmp/newsa11y" audit --no-config --quiet --block-third-party --fail-on none ${EXTRA_FLAGS:-} --report "json=$tmp/n.json" "$corpus"
  measure newsa11y-context "$tmp/newsa11y" audit --no-config --quiet --block-third-party --fail-on none --isolation context ${EXTRA_FLAGS:-} --report "json=$tmp/c.json" "$corpus"
  if [ -n "${BASE:-}" ]; then
    measure newsa11y-base "$BASE" audit --no-config --quiet --block-third-party --fail-on none ${EXTRA_FLAGS:-} --report "json=$tmp/base.json" "$corpus"
  fi
  for steps in ${ABLATE:-}; do
    measure "newsa11y-no-$steps" env NEWSA11Y_ABLATE="$steps" "$tmp/newsa11y-ablate" audit --no-config --quiet --block-third-party --fail-on none ${EXTRA_FLAGS:-} --report "json=$tmp/a.json" "$corpus"
  done
  measure oracle-reuse node "$oracle/axe-audit.mjs" --chromium "$chrome" -c "$oracle_c" --reuse-tab --out "$tmp/o.jsonl" "$corpus"
  measure oracle-bare node "$oracle/axe-audit.mjs" --chromium "$chrome" -c "$oracle_c" --bare --reuse-tab --out "$tmp/b.jsonl" "$corpus"
done

median() { grep "^$1 " "$tmp/results" | awk -v col="$2" '{print $col}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
printf '%-34s %10s %10s %14s %14s\n' config "wall (s)" "CPU (s)" "÷ oracle-reuse" "÷ oracle-bare"
ow=$(median oracle-reuse 2); bw=$(median oracle-bare 2)
ablated=""
for steps in ${ABLATE:-}; do ablated="$ablated newsa11y-no-$steps"; done
for name in newsa11y newsa11y-context newsa11y-base $ablated oracle-reuse oracle-bare; do
  grep -q "^$name " "$tmp/results" || continue
  w=$(median "$name" 2); c=$(median "$name" 3)
  printf '%-34s %10.1f %10.1f %14.2f %14.2f\n' "$name" "$w" "$c" "$(echo "$w / $ow" | bc -l)" "$(echo "$w / $bw" | bc -l)"
done
# The ratios above divide medians taken over different rounds; when the
# machine's speed drifts between rounds (it does, by 10 to 20%), pairing
# each newsa11y run with the oracle runs of its own round is steadier.
paired() { # paired NAME ORACLE: the median over rounds of NAME's wall ÷ ORACLE's
  awk -v a="$1" -v b="$2" '$1 == a {x[$4] = $2} $1 == b {y[$4] = $2} END {for (r in x) if (r in y) print x[r] / y[r]}' "$tmp/results" |
    sort -n | awk '{v[NR]=$1} END {if (NR) printf "%.2f (rounds: %.2f to %.2f)", (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2, v[1], v[NR]}'
}
echo
echo "paired by round, median of each round's ratio:"
for name in newsa11y newsa11y-context newsa11y-base $ablated; do
  grep -q "^$name " "$tmp/results" || continue
  printf '%-34s ÷ oracle-reuse %s, ÷ oracle-bare %s\n' "$name" "$(paired "$name" oracle-reuse)" "$(paired "$name" oracle-bare)"
done
echo "targets: newsa11y at most 0.80 of oracle-reuse and 1.15 of oracle-bare"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
