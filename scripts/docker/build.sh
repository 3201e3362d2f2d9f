#!/usr/bin/env bash
# build.sh OUT [VERSION]: the Dockerfile's build step. Builds a static
# newsa11y binary (no cgo, paths trimmed) at OUT; VERSION, when given,
# is the version it reports (else the one Go records from the build).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:?usage: build.sh OUT [VERSION]}
version=${2:-}
ldflags="-s -w"
if [ -n "$version" ]; then
  ldflags="$ldflags -X main.version=$version"
fi
mkdir -p "$(dirname "$out")"
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out" ./cmd/newsa11y
"$out" version
