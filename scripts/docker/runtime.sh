#!/usr/bin/env bash
# runtime.sh install|check: the Dockerfile's runtime step.
#
#   install  installs Debian's chromium (which pulls in the libraries it
#            needs), CA certificates and fonts, without recommended
#            packages, removes apt's lists, creates the user newsa11y
#            (uid 10001, no privileges) and /work, which it owns, and adds
#            the chromium.d hook below. Run as root, in the image.
#   check    what CI can do without a container: asks apt to simulate the
#            same install (every package resolves on this Debian), and
#            checks the hook's shell syntax. Changes nothing.
#
# The hook: Docker's default seccomp profile forbids the user namespaces
# Chromium's sandbox needs as a user without privileges, and newsa11y
# turns the sandbox off only as root. A container started with
# NEWSA11Y_CHROMIUM_NO_SANDBOX=1 runs Chromium with --no-sandbox, the
# container being the boundary; without it, the sandbox stays on (which
# works where the container may create user namespaces, e.g. with
# --security-opt seccomp=unconfined).
set -euo pipefail

packages=(chromium ca-certificates fonts-liberation fonts-dejavu-core)
user=newsa11y
uid=10001
hook=/etc/chromium.d/newsa11y-sandbox

hook_text() {
  cat <<'HOOK'
# Added by newsa11y's image (scripts/docker/runtime.sh): NEWSA11Y_CHROMIUM_NO_SANDBOX=1
# turns Chromium's sandbox off where the container cannot give it user namespaces.
if [ "${NEWSA11Y_CHROMIUM_NO_SANDBOX:-}" = 1 ]; then
  export CHROMIUM_FLAGS="$CHROMIUM_FLAGS --no-sandbox"
fi
HOOK
}

case "${1:-}" in
install)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
  rm -rf /var/lib/apt/lists/*
  useradd --uid "$uid" --user-group --create-home --shell /usr/sbin/nologin "$user"
  install -d -o "$user" -g "$user" /work
  hook_text >"$hook"
  chromium --version
  ;;
check)
  apt-get install -s --no-install-recommends "${packages[@]}" >/dev/null
  echo "runtime.sh: apt resolves ${packages[*]}"
  hook_text | sh -n
  # The hook does what it says under the shell Debian's launcher uses.
  flags=$(CHROMIUM_FLAGS="" NEWSA11Y_CHROMIUM_NO_SANDBOX=1 sh -c "$(hook_text)"'; echo "$CHROMIUM_FLAGS"')
  [ "$flags" = " --no-sandbox" ] || { echo "runtime.sh: the hook gives flags '$flags'" >&2; exit 1; }
  flags=$(CHROMIUM_FLAGS="" sh -c "$(hook_text)"'; echo "$CHROMIUM_FLAGS"')
  [ -z "$flags" ] || { echo "runtime.sh: the hook adds '$flags' without being asked" >&2; exit 1; }
  grep -q 'for file in /etc/chromium.d/' /usr/bin/chromium ||
    { echo "runtime.sh: Debian's chromium launcher no longer reads /etc/chromium.d" >&2; exit 1; }
  echo "runtime.sh: the chromium.d hook adds --no-sandbox only when asked"
  ;;
*)
  echo "usage: runtime.sh install|check" >&2
  exit 2
  ;;
esac
