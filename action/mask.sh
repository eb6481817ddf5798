#!/usr/bin/env bash
# First step of the action: register the database password (as written and percent-decoded) and
# the token as secrets, so the runner shows *** wherever either appears later in the job's log.
# Reads SENTINEL_CI_DATABASE_URL and GITHUB_TOKEN; prints nothing but ::add-mask:: commands,
# whatever the values hold (no printf escapes are ever read from them).
set -euo pipefail

mask() {
    # One command per line of the value: the runner ends a command at the end of its line, and
    # cuts the log into lines at CR as well as LF. The runner un-escapes %0D, %0A and %25 in the
    # command's data, so a % starting one of those is written %25 (%25 itself first) and the
    # runner masks exactly the value. A line of only blanks would mask every blank in the log.
    local line
    while IFS= read -r line; do
        if [[ "$line" =~ [^[:space:]] ]]; then
            line=${line//%25/%2525}
            line=${line//%0A/%250A}
            line=${line//%0a/%250a}
            line=${line//%0D/%250D}
            line=${line//%0d/%250d}
            printf '::add-mask::%s\n' "$line"
        fi
    done <<<"${1//$'\r'/$'\n'}"
}

percent_decoded() {
    # %XX with two hex digits is that byte; anything else (a lone %, %zz, backslashes) stays as
    # written, as a URL parser reads it. Only the two checked hex digits ever reach printf's %b
    # (as \xXX); %00 stays too (a shell string cannot hold a NUL byte).
    local text=$1 decoded="" byte hex index=0
    while ((index < ${#text})); do
        hex=${text:index+1:2}
        if [[ "${text:index:1}" == "%" && "$hex" =~ ^[0-9A-Fa-f]{2}$ && "$hex" != "00" ]]; then
            printf -v byte '%b' "\\x$hex"
            decoded+=$byte
            index=$((index + 3))
        else
            decoded+=${text:index:1}
            index=$((index + 1))
        fi
    done
    printf '%s' "$decoded"
}

url=${SENTINEL_CI_DATABASE_URL:-}
rest=${url#*://}
authority=${rest%%/*}   # user:password@host:port (a password holds '/' only percent-encoded)
if [[ "$rest" != "$url" && "$authority" == *@* ]]; then
    userinfo=${authority%@*}   # everything before the last '@'
    if [[ "$userinfo" == *:* ]]; then
        password=${userinfo#*:}
        mask "$password"
        decoded=$(percent_decoded "$password")
        if [[ "$decoded" != "$password" ]]; then
            mask "$decoded"
        fi
    fi
fi
mask "${GITHUB_TOKEN:-}"
