#!/usr/bin/env bash
# lint-dockerfile.sh [DOCKERFILE]: check the Dockerfile against the rules
# this project follows. hadolint cannot be installed here (it is packaged
# neither by Debian nor as a Go module, and its npm wrappers download it
# from elsewhere), so this script checks the rules by hand; it also runs
# hadolint when one is on PATH.
#
# Rules (hadolint's numbers where it has one):
#   - every FROM names a tag, never latest (DL3006, DL3007), and every
#     stage but the last is named (COPY --from=NAME);
#   - COPY, not ADD (DL3020), and COPY --from names a stage of the file;
#   - WORKDIR is absolute (DL3000); no "cd" in RUN (DL3003);
#   - apt-get install uses -y and --no-install-recommends and apt's lists
#     are removed in the same step (DL3014, DL3015, DL3009), checked in
#     the scripts RUN calls; no sudo (DL3004); no apt-get upgrade (DL3005);
#   - each RUN calls a script under scripts/docker/ that exists and is
#     executable, or is "go mod download", so CI can run the same steps;
#   - the last stage sets USER to a user other than root (DL3002) before
#     its ENTRYPOINT, which is in exec (JSON) form, as is CMD (DL3025);
#   - no ENV or ARG name that looks like a secret.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-Dockerfile}

fail=0
problem() { echo "$file:$1: $2" >&2; fail=1; }

stages=()
last_from=0
user_line=0
user_name=""
entry_line=0
n=0
# Join continued lines, keeping each instruction's first line number.
while IFS= read -r raw || [ -n "$raw" ]; do
  n=$((n + 1))
  line=$raw
  start=$n
  while [[ $line == *\\ ]]; do
    IFS= read -r more || break
    n=$((n + 1))
    line="${line%\\} $more"
  done
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  instr=$(awk '{print toupper($1)}' <<<"$line")
  args=${line#*[[:space:]]}
  case $instr in
  FROM)
    image=$(awk '{print $1}' <<<"$args")
    if [[ $image != *:* ]]; then
      problem "$start" "FROM $image has no tag"
    elif [[ $image == *:latest ]]; then
      problem "$start" "FROM $image uses the latest tag"
    fi
    if [[ $args =~ [[:space:]][Aa][Ss][[:space:]]+([A-Za-z0-9_.-]+) ]]; then
      stages+=("${BASH_REMATCH[1]}")
    else
      stages+=("")
    fi
    last_from=$start
    user_line=0
    user_name=""
    entry_line=0
    ;;
  ADD) problem "$start" "ADD: use COPY" ;;
  COPY)
    if [[ $args =~ --from=([A-Za-z0-9_.-]+) ]]; then
      ref=${BASH_REMATCH[1]}
      found=0
      for s in "${stages[@]}"; do [ "$s" = "$ref" ] && found=1; done
      [ $found = 1 ] || problem "$start" "COPY --from=$ref names no earlier stage"
    fi
    ;;
  WORKDIR)
    [[ $args == /* ]] || problem "$start" "WORKDIR $args is not absolute"
    ;;
  RUN)
    if [[ $args =~ (^|[;&|[:space:]])cd[[:space:]] ]]; then
      problem "$start" "RUN uses cd; use WORKDIR"
    fi
    [[ $args == *sudo* ]] && problem "$start" "RUN uses sudo"
    script=$(awk '{print $1}' <<<"$args")
    if [ "$args" = "go mod download" ]; then
      :
    elif [[ $script == scripts/docker/* ]]; then
      [ -x "$script" ] || problem "$start" "RUN calls $script, which is not an executable file"
    elif [[ $script == /usr/local/lib/newsa11y/* ]]; then
      local_script="scripts/docker/${script##*/}"
      [ -x "$local_script" ] || problem "$start" "RUN calls $script, copied from $local_script, which is not an executable file"
      grep -q "COPY $local_script $script" "$file" || problem "$start" "RUN calls $script, which no COPY puts there"
    else
      problem "$start" "RUN $args: call a script under scripts/docker/ so CI can run the step"
    fi
    ;;
  USER)
    user_line=$start
    user_name=$(awk '{print $1}' <<<"$args")
    ;;
  ENTRYPOINT | CMD)
    [[ $args =~ ^\[.*\]$ ]] || problem "$start" "$instr is not in exec (JSON) form"
    [ "$instr" = ENTRYPOINT ] && entry_line=$start
    ;;
  ENV | ARG)
    name=$(awk '{print $1}' <<<"$args")
    name=${name%%=*}
    if [[ ${name^^} =~ (PASSWORD|SECRET|TOKEN|API_KEY) ]]; then
      problem "$start" "$instr $name looks like a secret; pass secrets at run time"
    fi
    ;;
  esac
done <"$file"

[ "$last_from" -gt 0 ] || problem 1 "no FROM"
for ((i = 0; i < ${#stages[@]} - 1; i++)); do
  [ -n "${stages[$i]}" ] || problem 1 "stage $((i + 1)) is not named (FROM … AS NAME)"
done
if [ "$user_line" = 0 ]; then
  problem "$last_from" "the last stage sets no USER: it would run as root"
elif [ "$user_name" = root ] || [ "$user_name" = 0 ] || [[ $user_name == 0:* ]] || [[ $user_name == root:* ]]; then
  problem "$user_line" "USER $user_name is root"
fi
if [ "$entry_line" = 0 ]; then
  problem "$last_from" "the last stage has no ENTRYPOINT"
elif [ "$user_line" -gt "$entry_line" ]; then
  problem "$user_line" "USER comes after ENTRYPOINT"
fi

# The scripts RUN calls: apt-get as the rules want it.
for s in scripts/docker/*.sh; do
  if grep -q 'apt-get install' "$s"; then
    grep 'apt-get install' "$s" | grep -v -- ' -s ' | grep -qv -- '--no-install-recommends' &&
      problem "$s" "apt-get install without --no-install-recommends"
    grep 'apt-get install' "$s" | grep -v -- ' -s ' | grep -qv -- ' -y' &&
      problem "$s" "apt-get install without -y"
    grep -q 'rm -rf /var/lib/apt/lists' "$s" || problem "$s" "apt's lists are not removed after apt-get install"
  fi
  grep -q 'apt-get upgrade\|apt-get dist-upgrade' "$s" && problem "$s" "apt-get upgrade in an image step"
done

if command -v hadolint >/dev/null 2>&1; then
  hadolint "$file" || fail=1
fi

if [ $fail = 0 ]; then
  echo "lint-dockerfile.sh: $file follows the rules"
fi
exit $fail
