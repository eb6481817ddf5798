#!/usr/bin/env bash
# First step of the action: register the database password (as written and percent-decoded) and
# the token as secrets, so the runner shows *** wherever either appears later in the job's log.
# Reads SENTINEL_CI_DATABASE_URL and GITHUB_TOKEN; prints nothing else.
set -euo pipefail

mask() {
    # one value per line: a multi-line value would end the command at its first newline
    local line
    while IFS= read -r line; do
        if [[ -n "$line" ]]; then
            printf '::add-mask::%s\n' "$line"
        fi
    done <<<"$1"
}

url=${SENTINEL_CI_DATABASE_URL:-}
rest=${url#*://}
authority=${rest%%/*}   # user:password@host:port (a password holds '/' only percent-encoded)
if [[ "$rest" != "$url" && "$authority" == *@* ]]; then
    userinfo=${authority%@*}   # everything before the last '@'
    if [[ "$userinfo" == *:* ]]; then
        password=${userinfo#*:}
        mask "$password"
        if [[ "$password" == *%* ]]; then
            escaped=${password//\\/\\\\}
            mask "$(printf '%b' "${escaped//%/\\x}")"
        fi
    fi
fi
mask "${GITHUB_TOKEN:-}"
