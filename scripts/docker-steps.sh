#!/usr/bin/env bash
# docker-steps.sh: run the Dockerfile's steps without a container, as far
# as a machine without a Docker daemon or base images allows:
#
#   1. lint the Dockerfile (scripts/lint-dockerfile.sh);
#   2. the runtime step in check mode: apt resolves the packages the image
#      installs, and the chromium.d hook adds --no-sandbox only when asked
#      (scripts/docker/runtime.sh check);
#   3. the build step itself (scripts/docker/build.sh), into a temporary
#      folder, with a version set as the image's VERSION build argument
#      sets it;
#   4. the image's entry point as the image runs it: the binary, from a
#      work folder holding a page, as a user without privileges (nobody,
#      through setpriv, when this runs as root) and with CHROME_PATH set
#      to Debian's chromium, writing its reports into the work folder; the
#      audit must exit 2 on the page's missing alt text and write SARIF,
#      JUnit and Code Quality reports.
#
# Not run here: pulling the golang and debian base images, the layering
# and COPY steps, the runtime step's real install (apt-get, useradd, the
# hook in /etc/chromium.d), and Chromium under Docker's seccomp profile.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

step() { echo "== docker-steps: $*"; }

step "lint"
scripts/lint-dockerfile.sh Dockerfile

step "runtime step (check)"
if command -v apt-get >/dev/null 2>&1; then
  scripts/docker/runtime.sh check
else
  echo "docker-steps: no apt-get here; the runtime step is not checked" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/bin/newsa11y

step "build step"
got=$(scripts/docker/build.sh "$bin" docker-steps-test)
[[ $got == *" docker-steps-test" ]] ||
  { echo "docker-steps: the built binary reports version '$got'" >&2; exit 1; }
echo "built $bin: $got"

step "entry point, from a work folder"
work=$tmp/work
mkdir -p "$work/site"
cat >"$work/site/story.html" <<'HTML'
<!doctype html>
<html lang="en">
<head><title>Docker steps: a story</title></head>
<body>
<main>
<h1>Docker steps: a story</h1>
<p>A photo without a text alternative:</p>
<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='400' height='300'/%3E" width="400" height="300">
</main>
</body>
</html>
HTML
as_user=()
if [ "$(id -u)" = 0 ]; then
  # The image's user has no privileges; run as nobody, which owns the
  # work folder as the image's user owns /work.
  chmod 755 "$tmp" "$tmp/bin"
  chown -R nobody:nogroup "$work"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env)
fi
set +e
(cd "$work" && "${as_user[@]}" env PATH=/usr/bin:/bin HOME=/nonexistent TMPDIR=/tmp CHROME_PATH=/usr/bin/chromium \
  "$bin" audit --quiet --block-third-party \
  --report sarif=out/a11y.sarif --report junit=out/a11y.xml --report codequality=out/codequality.json \
  site/story.html)
code=$?
set -e
if [ $code != 2 ]; then
  echo "docker-steps: the audit exited $code, want 2 (a missing alt text)" >&2
  exit 1
fi
for f in out/a11y.sarif out/a11y.xml out/codequality.json; do
  [ -s "$work/$f" ] || { echo "docker-steps: no $f in the work folder" >&2; exit 1; }
done
grep -q '"startLine": 8' "$work/out/a11y.sarif" ||
  { echo "docker-steps: the SARIF does not place the image on line 8 of site/story.html" >&2; exit 1; }
grep -q '"uri": "site/story.html"' "$work/out/a11y.sarif" ||
  { echo "docker-steps: the SARIF does not name site/story.html relative to the work folder" >&2; exit 1; }
echo "docker-steps: the entry point audited the page as $(if [ ${#as_user[@]} -gt 0 ]; then echo nobody; else id -un; fi) and wrote its reports"
