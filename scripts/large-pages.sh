#!/usr/bin/env bash
# large-pages.sh: how the audit of one page grows with its size. For each
# element count (default 10000 30000 100000) it writes a generated article
# page of that many elements (scripts/gensite -large), audits it alone with
# --timings, and prints the wall time, the newsa11y process's CPU time (as
# --timings reports it), the page's renderer CPU time (its steps' browser
# CPU summed), peak resident memory (VmHWM, sampled), and the page's steps.
# The machine's load average is printed before each run: on a shared machine, read the
# times beside it.
#
#   scripts/large-pages.sh [ELEMENTS...]
#
# ROUNDS (default 1) audits each page that many times. EXTRA_FLAGS adds
# newsa11y flags. BIN audits with a binary built before (another revision)
# instead of building this tree; one older than --timings' CPU figures
# prints 0 CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 30000 100000)
rounds="${ROUNDS:-1}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${BIN:-}" ]; then cp "$BIN" "$tmp/newsa11y"; else go build -o "$tmp/newsa11y" ./cmd/newsa11y; fi
printf '%-8s %-5s %8s %8s %9s %8s %9s  %s\n' elements round "wall s" "CPU s" "page CPU" "peak MB" "load1" "steps (ms)"
for n in "${sizes[@]}"; do
  page=$(go run ./scripts/gensite -large "$n" "$tmp/site")
  for r in $(seq 1 "$rounds"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    # newsa11y's own peak (VmHWM), sampled while it runs: GNU time's
    # maximum would be the largest of its processes, the browser's.
    start=$(date +%s.%N)
    "$tmp/newsa11y" audit --no-config --quiet --fail-on none \
      --timings ${EXTRA_FLAGS:-} --report "json=$tmp/r.json" "$page" 2> "$tmp/err" &
    pid=$!
    kb=0
    while kill -0 "$pid" 2>/dev/null; do
      now=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${now:-0}" -gt "$kb" ] && kb=$now
      sleep 0.2
    done
    wait "$pid" || true
    wall=$(echo "$(date +%s.%N) - $start" | bc -l)
    cpu=$(sed -n "s/.*newsa11y's process used \([0-9.]*\)\(m\?s\) of CPU.*/\1 \2/p" "$tmp/err")
    case "$cpu" in
      *" ms") cpu=$(echo "${cpu% ms} / 1000" | bc -l) ;;
      *" s") cpu=${cpu% s} ;;
      *) cpu=0 ;;
    esac
    steps=$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
p=r["pages"][0]
print(" ".join("%s=%.0f" % (s["step"], s["ms"]) for s in p.get("timings") or []) or ("failed: " + str(p.get("error"))))' "$tmp/r.json" 2>/dev/null || echo "no report: $(tail -1 "$tmp/err")")
    pagecpu=$(python3 -c 'import json,sys
p=json.load(open(sys.argv[1]))["pages"][0]
print("%.1f" % (sum(s.get("browser_cpu_ms", 0) for s in p.get("timings") or []) / 1000))' "$tmp/r.json" 2>/dev/null || echo 0)
    printf '%-8s %-5s %8.1f %8.1f %9s %8d %9s  %s\n' "$n" "$r" "$wall" "$cpu" "$pagecpu" $((kb / 1024)) "$load" "$steps"
  done
done
