#!/usr/bin/env bash
# install-chrome.sh: make sure a Chromium that newsa11y can drive is
# installed. Idempotent: it installs only what is missing. On Debian and
# Ubuntu it installs the distribution's chromium package (the full
# browser, which pulls in the libraries it needs, for runs with a window
# and the tests that use it) and its chromium-headless-shell package (the
# same engine without the browser's user interface, which newsa11y runs
# by default when it is there: audits take about a third less CPU).
# Elsewhere, any Chrome or Chromium already installed will do.
set -euo pipefail

have_any() { # have_any NAME...: whether one of the executables is on PATH
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}
have_shell() { have_any chromium-headless-shell chrome-headless-shell headless_shell; }
have_full() { have_any chromium chromium-browser google-chrome google-chrome-stable chrome; }

if [ -n "${CHROME_PATH:-}" ] && [ -x "${CHROME_PATH}" ]; then
  exit 0 # the browser to run is named
fi
if have_shell && have_full; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  if have_shell || have_full; then
    exit 0
  fi
  echo "install-chrome.sh: no Chrome or Chromium found and no apt-get to install one;" >&2
  echo "install Chromium with your package manager, or set CHROME_PATH to the browser." >&2
  exit 1
fi

packages=()
have_full || packages+=(chromium)
have_shell || packages+=(chromium-headless-shell)
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-chrome.sh: installing Debian's ${packages[*]}" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
{ have_full && have_shell; } || { echo "install-chrome.sh: ${packages[*]} installed but not on PATH" >&2; exit 1; }
