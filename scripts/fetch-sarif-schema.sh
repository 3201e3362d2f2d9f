#!/usr/bin/env bash
# fetch-sarif-schema.sh: put the SARIF 2.1.0 JSON schema where the SARIF
# writer's test looks for it (.cache/sarif-2.1.0-rtm.5.json). The schema
# ships in Microsoft's @microsoft/jest-sarif npm package; this script takes
# it from there with npm, so nothing of it is kept in the repository.
# Idempotent. Without npm it installs Debian's npm package when it can
# (root or sudo with apt-get); otherwise it says so and exits 0, and the
# test skips unless NEWSA11Y_REQUIRE_SARIF_SCHEMA=1.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/sarif-2.1.0-rtm.5.json
[ -s "$dest" ] && exit 0
if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "fetch-sarif-schema.sh: installing Debian's npm package" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null || true
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-sarif-schema.sh: npm not found; the SARIF schema test will skip" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz)
mkdir -p .cache
cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$dest"
echo "fetch-sarif-schema.sh: saved $dest" >&2
