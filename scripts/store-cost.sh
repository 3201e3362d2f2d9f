#!/usr/bin/env bash
# store-cost.sh: what --store costs a run, measured three ways on this
# machine:
#
#   1. side by side: the same audit of a folder of pages with and without
#      --store sqlite:, alternated round after round so that both see the
#      same load; the median wall and CPU time of each and their ratio
#      (the store must not slow a run by more than 2%);
#   2. the write cost itself: the pages of that audit's JSON report
#      written into a fresh store 1,000 times over (scripts/storecost),
#      as an audit writes them, per page; on SQLite, and on PostgreSQL
#      too when NEWSA11Y_TEST_POSTGRES names a server
#      (scripts/postgres.sh start gives one);
#   3. the size of a SQLite store after 1,000 generated pages
#      (scripts/gensite) audited into it, and after the 1,000 copies of
#      2.
#
#   NEWSA11Y_CORPUS=../shared/corpus/news scripts/store-cost.sh [ROUNDS]
#
# EXTRA_FLAGS adds newsa11y flags to every audit (e.g. -c 3).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${NEWSA11Y_CORPUS:?set NEWSA11Y_CORPUS to a folder of .html pages}"
rounds="${1:-3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/newsa11y" ./cmd/newsa11y
go build -o "$tmp/storecost" ./scripts/storecost
go build -o "$tmp/gensite" ./scripts/gensite

# measure NAME CMD...: runs the audit (which must exit 0: --fail-on
# none) and appends "NAME wall cpu" to the results, cpu being the user and
# system time of newsa11y and its browser together, which a busy machine
# disturbs less than the wall time.
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || {
    echo "$name: exit $?" >&2
    cat "$tmp/stderr" >&2
    exit 1
  }
  read -r wall user sys <"$tmp/time"
  echo "$name $wall $(echo "$user + $sys" | bc -l)" >>"$tmp/results"
  printf '  %-6s %7.2f s wall %7.2f s CPU\n' "$name" "$wall" "$(echo "$user + $sys" | bc -l)" >&2
}
# median NAME COLUMN: the median of a column of NAME's results (2 wall, 3
# cpu).
median() { grep "^$1 " "$tmp/results" | awk -v c="$2" '{print $c}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

n=$(ls "$corpus"/*.html | wc -l)
flags=(audit --no-config --quiet --block-third-party --fail-on none ${EXTRA_FLAGS:-})
echo "1. side by side: $n pages of $corpus, $rounds rounds, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
  echo " round $r" >&2
  # The order alternates, so neither always runs first.
  if [ $((r % 2)) = 1 ]; then
    measure plain "$tmp/newsa11y" "${flags[@]}" --report "json=$tmp/plain.json" "$corpus"
    measure store "$tmp/newsa11y" "${flags[@]}" --store "sqlite:$tmp/side-$r.db" --report "json=$tmp/store.json" "$corpus"
  else
    measure store "$tmp/newsa11y" "${flags[@]}" --store "sqlite:$tmp/side-$r.db" --report "json=$tmp/store.json" "$corpus"
    measure plain "$tmp/newsa11y" "${flags[@]}" --report "json=$tmp/plain.json" "$corpus"
  fi
done
for col in 2 3; do
  p=$(median plain $col)
  s=$(median store $col)
  what=wall
  [ $col = 3 ] && what=CPU
  printf '   median %-4s %7.2f s without the store, %7.2f s with it: %+.1f%% (%+.0f ms a page)\n' \
    "$what" "$p" "$s" "$(echo "($s - $p) * 100 / $p" | bc -l)" "$(echo "($s - $p) * 1000 / $n" | bc -l)"
done

echo "2. write cost, the pages of that report 1,000 times over" >&2
"$tmp/storecost" -n 1000 -report "$tmp/store.json" -dsn "sqlite:$tmp/cost.db"
if [ -n "${NEWSA11Y_TEST_POSTGRES:-}" ]; then
  # A schema of its own, dropped after.
  schema="storecost_$$"
  psql -q "$NEWSA11Y_TEST_POSTGRES" -c "CREATE SCHEMA $schema"
  sep='?'
  case "$NEWSA11Y_TEST_POSTGRES" in *\?*) sep='&' ;; esac
  "$tmp/storecost" -n 1000 -report "$tmp/store.json" -dsn "$NEWSA11Y_TEST_POSTGRES${sep}search_path=$schema" || true
  psql -q "$NEWSA11Y_TEST_POSTGRES" -c "DROP SCHEMA $schema CASCADE" 2>/dev/null
fi

echo "3. a SQLite store after 1,000 generated pages, audited --static" >&2
"$tmp/gensite" -n 1000 "$tmp/site" >/dev/null
"$tmp/newsa11y" audit --no-config --quiet --static --fail-on none --store "sqlite:$tmp/gen.db" --report "json=$tmp/gen.json" "$tmp/site" >/dev/null 2>&1 || true
findings=$(grep -o '"fingerprint"' "$tmp/gen.json" | wc -l)
size=$(du -cb "$tmp"/gen.db* | tail -n 1 | cut -f1)
printf '   1,000 generated pages (%s findings): %.1f MB\n' "$findings" "$(echo "$size / 1000000" | bc -l)"
