#!/usr/bin/env bash
# staticcheck.sh: run staticcheck, at the version pinned below, over every
# package of the module, with its default checks; exits non-zero when it
# reports anything. When that version is missing (or was built by another
# Go toolchain than the one here, which staticcheck cannot be trusted
# with), it installs it first with "go install" into GOBIN, or the first
# GOPATH entry's bin, like any "go install". Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# 0.8.2 is staticcheck 2026.2.2, the newest release; its go.mod asks for
# Go 1.26, the version this module is written for.
version=v0.8.2

bin=$(go env GOBIN)
if [ -z "$bin" ]; then
  gopath=$(go env GOPATH)
  bin=${gopath%%:*}/bin
fi
sc=$bin/staticcheck

# installed prints the module version and the Go version of the binary at
# $sc, or nothing when there is none.
installed() {
  [ -x "$sc" ] || return 0
  go version -m "$sc" 2>/dev/null | awk '
    NR == 1 { gover = $2 }
    $1 == "mod" && $2 == "honnef.co/go/tools" { print $3, gover }'
}

want="$version $(go env GOVERSION)"
if [ "$(installed)" != "$want" ]; then
  echo "staticcheck.sh: installing staticcheck $version into $bin" >&2
  GOBIN=$bin go install "honnef.co/go/tools/cmd/staticcheck@$version"
fi
exec "$sc" ./...
