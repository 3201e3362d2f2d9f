#!/usr/bin/env bash
# audit.sh: the action's audit step. Audits the targets of INPUT_TARGETS
# (one a line) with the flags of INPUT_ARGS (one a line) and --fail-on
# INPUT_FAIL_ON, writing SARIF, JUnit and Markdown reports into
# INPUT_REPORTS_DIR and the text report to the log. It never fails itself
# for findings: it records newsa11y's exit status as the output exit-code
# (the gate step fails the job on it, after the SARIF is uploaded), the
# SARIF report's path as the output sarif, and adds the Markdown report
# to the job summary. NEWSA11Y_BIN names the binary (default: newsa11y on
# PATH).
set -euo pipefail
out=${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: run inside a GitHub Actions job}
bin=${NEWSA11Y_BIN:-newsa11y}
dir=${INPUT_REPORTS_DIR:-newsa11y-reports}

lines() { # lines TEXT: the non-blank lines of TEXT, trimmed, one per line
  printf '%s\n' "$1" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d'
}
mapfile -t targets < <(lines "${INPUT_TARGETS:-}")
mapfile -t args < <(lines "${INPUT_ARGS:-}")
if [ ${#targets[@]} = 0 ]; then
  echo "::error::newsa11y: the targets input names no page"
  echo "exit-code=1" >>"$out"
  exit 0
fi

sarif=$dir/newsa11y.sarif
rm -f "$sarif"
set +e
"$bin" audit --fail-on "${INPUT_FAIL_ON:-serious}" \
  --report text \
  --report "sarif=$sarif" \
  --report "junit=$dir/newsa11y.junit.xml" \
  --report "markdown=$dir/newsa11y.md" \
  "${args[@]}" -- "${targets[@]}"
code=$?
set -e
echo "exit-code=$code" >>"$out"
if [ -s "$sarif" ]; then
  echo "sarif=$sarif" >>"$out"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$dir/newsa11y.md" ]; then
  cat "$dir/newsa11y.md" >>"$GITHUB_STEP_SUMMARY"
fi
