#!/usr/bin/env bash
# install-chrome.sh: make sure a Chromium that newsa11y can drive is
# installed. Idempotent: it installs only what is missing. With apt-get,
# it installs Debian's chromium package (the full browser, which pulls in
# the libraries it needs) when no Chrome or Chromium is there, and its
# chromium-headless-shell package (the same engine without the browser's
# hidden user interface, which newsa11y runs by default when it is there:
# audits take about a quarter less time) when no headless shell is there
# and the distribution has it; without the shell, newsa11y runs the full
# browser. Without apt-get, any Chrome or Chromium already installed will
# do.
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

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
apt() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
updated=""
update_once() { # the package lists, read at most once a run
  [ -n "$updated" ] || { apt update -qq && updated=1; }
}
if ! have_full && ! have_shell; then
  echo "install-chrome.sh: installing Debian's chromium" >&2
  update_once
  apt install -y -qq chromium >/dev/null
  have_full || { echo "install-chrome.sh: chromium was installed but is not on PATH" >&2; exit 1; }
fi
if ! have_shell; then
  # Optional, and only where the package lists know it: some distributions
  # (Ubuntu among them, so GitHub's runners) do not package it.
  if apt-cache show chromium-headless-shell >/dev/null 2>&1; then
    echo "install-chrome.sh: installing Debian's chromium-headless-shell" >&2
    { update_once && apt install -y -qq chromium-headless-shell >/dev/null; } ||
      echo "install-chrome.sh: chromium-headless-shell did not install; newsa11y will run the full browser" >&2
  else
    echo "install-chrome.sh: no chromium-headless-shell package here; newsa11y will run the full browser" >&2
  fi
fi
