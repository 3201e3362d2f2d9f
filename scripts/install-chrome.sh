#!/usr/bin/env bash
# install-chrome.sh: make sure a Chromium that newsa11y can drive is
# installed. Idempotent: it does nothing when one is already there. On
# Debian and Ubuntu it installs the distribution's chromium package, which
# pulls in the libraries the browser needs.
set -euo pipefail

have_browser() {
  if [ -n "${CHROME_PATH:-}" ] && [ -x "${CHROME_PATH}" ]; then
    return 0
  fi
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable chrome headless_shell; do
    if command -v "$name" >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}

if have_browser; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chrome.sh: no Chrome or Chromium found and no apt-get to install one;" >&2
  echo "install Chromium with your package manager, or set CHROME_PATH to the browser." >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-chrome.sh: installing Debian's chromium package" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
have_browser || { echo "install-chrome.sh: chromium was installed but is not on PATH" >&2; exit 1; }
