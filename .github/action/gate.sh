#!/usr/bin/env bash
# gate.sh: the action's last step. Fails the job with newsa11y's exit
# status (EXIT_CODE, from the audit step), explaining it as an error
# annotation: 2 when findings reach --fail-on, 1 or another status when
# the audit could not be done (a missing status counts as that).
set -euo pipefail
code=${EXIT_CODE:-}
case $code in
0)
  echo "newsa11y: nothing reaches --fail-on ${INPUT_FAIL_ON:-serious}"
  ;;
2)
  echo "::error::newsa11y: findings reach --fail-on ${INPUT_FAIL_ON:-serious}; see the audit step's log, the job summary and code scanning"
  exit 2
  ;;
'')
  echo "::error::newsa11y: the audit step recorded no exit status"
  exit 1
  ;;
*)
  echo "::error::newsa11y could not do the audit (exit $code); see the audit step's log"
  exit "$code"
  ;;
esac
