#!/usr/bin/env bash
# corpus-diff.sh: audit a folder of saved news pages with two builds of
# newsa11y and list every finding that one gives and the other does not,
# so a rule change is checked against real pages before it lands.
#
#   NEWSA11Y_CORPUS=../shared/corpus/news scripts/corpus-diff.sh [OLD-REV [NEW-REV]]
#
# OLD-REV defaults to HEAD, NEW-REV to the working tree. It prints, per
# rule, the violations and reviews of each build, then each finding that
# differs ("-" only in the old build, "+" only in the new one) with its
# page, selector and message. Both runs block third-party hosts, as saved
# pages need. The JSON reports stay in $OUT (default a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${NEWSA11Y_CORPUS:?set NEWSA11Y_CORPUS to a folder of .html pages}"
old="${1:-HEAD}"
new="${2:-}"
out="${OUT:-$(mktemp -d)}"
mkdir -p "$out"

build() { # build REV BINARY: build a revision (the working tree for "")
  if [ -z "$1" ]; then
    go build -o "$2" ./cmd/newsa11y
    return
  fi
  local tree
  tree=$(mktemp -d)
  git worktree add -q --detach "$tree" "$1"
  (cd "$tree" && go build -o "$2" ./cmd/newsa11y)
  git worktree remove --force "$tree"
}

build "$old" "$out/old"
build "$new" "$out/new"
for which in old new; do
  "$out/$which" audit --block-third-party --no-config --fail-on none -q \
    --report "json=$out/$which.json" "$corpus" || test $? -eq 1
done

python3 - "$out/old.json" "$out/new.json" <<'PY'
import collections, json, sys

def findings(path):
    out = collections.Counter()
    for page in json.load(open(path))["pages"]:
        name = page["url"].rsplit("/", 1)[-1]
        for f in page.get("findings") or []:
            out[(f["rule"], f["outcome"], name, f["selector"], f["message"])] += 1
    return out

old, new = findings(sys.argv[1]), findings(sys.argv[2])
rules = sorted({k[0] for k in old} | {k[0] for k in new})
print(f"{'rule':45} {'old viol':>8} {'new viol':>8} {'old rev':>8} {'new rev':>8}")
for r in rules:
    c = lambda fs, o: sum(n for k, n in fs.items() if k[0] == r and k[1] == o)
    print(f"{r:45} {c(old,'violation'):8} {c(new,'violation'):8} {c(old,'review'):8} {c(new,'review'):8}")
gone, added = old - new, new - old
print(f"\n{sum(gone.values())} findings only in the old build, {sum(added.values())} only in the new one")
for sign, fs in (("-", gone), ("+", added)):
    for (rule, outcome, page, sel, msg), n in sorted(fs.items()):
        print(f"{sign} {rule} {outcome} {page} {sel}: {msg}" + (f" (x{n})" if n > 1 else ""))
PY
echo "reports in $out" >&2
