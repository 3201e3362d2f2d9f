#!/usr/bin/env bash
# install.sh: the action's install step. Builds newsa11y from the action's
# own source (the same build as the container image's,
# scripts/docker/build.sh) into $RUNNER_TEMP/newsa11y/bin, puts that
# folder on the job's PATH, and makes sure a browser is installed
# (scripts/install-chrome.sh; GitHub's Ubuntu runners have one).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
dest=${RUNNER_TEMP:?RUNNER_TEMP is not set: run inside a GitHub Actions job}/newsa11y/bin
"$src/scripts/docker/build.sh" "$dest/newsa11y" "${NEWSA11Y_VERSION:-}"
"$src/scripts/install-chrome.sh"
echo "$dest" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
