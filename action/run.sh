#!/usr/bin/env bash
# Run `alembic-sentinel ci` in the working directory with the action's inputs. action.yml passes
# them as the CLI's SENTINEL_CI_* variables; an empty input means "not given", so it is unset
# here and the CLI falls back to its default (or the job's own ENV_CONFIG / SENTINEL_METADATA).
set -euo pipefail

for name in SENTINEL_CI_MODE SENTINEL_CI_DATABASE_URL SENTINEL_CI_BASE_REF SENTINEL_CI_FAIL_ON \
    SENTINEL_CI_COMMENT SENTINEL_CI_PUSH SENTINEL_CI_DATA SENTINEL_CI_DATA_ROWS GITHUB_TOKEN; do
    if [[ -z "${!name:-}" ]]; then
        unset "$name"
    fi
done
if [[ -n "${SENTINEL_INPUT_CONFIG:-}" ]]; then
    export ENV_CONFIG="$SENTINEL_INPUT_CONFIG"
fi
if [[ -n "${SENTINEL_INPUT_METADATA:-}" ]]; then
    export SENTINEL_METADATA="$SENTINEL_INPUT_METADATA"
fi
unset SENTINEL_INPUT_CONFIG SENTINEL_INPUT_METADATA

# The token and the server URL go to alembic-sentinel on file descriptors 3 and 4, not in its
# environment: a process's environment stays readable in /proc/<pid>/environ, and ci runs the
# pull request's code in a child process of its own (docs/security.md). The runner's other
# credentials are not needed at all.
token=${GITHUB_TOKEN:-}
server=${SENTINEL_CI_DATABASE_URL:-}
unset GITHUB_TOKEN SENTINEL_CI_DATABASE_URL ACTIONS_RUNTIME_TOKEN ACTIONS_ID_TOKEN_REQUEST_TOKEN \
    ACTIONS_ID_TOKEN_REQUEST_URL
export SENTINEL_CI_SECRET_FDS=GITHUB_TOKEN=3,SENTINEL_CI_DATABASE_URL=4
exec "${SENTINEL_PYTHON:-python3}" -m alembic_sentinel ci 3<<<"$token" 4<<<"$server"
