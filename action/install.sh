#!/usr/bin/env bash
# Install alembic-sentinel from this action's own checkout into SENTINEL_PYTHON's environment
# (the one with the project's dependencies), unless that environment already has this version:
# a project that pins alembic-sentinel itself, or this repository dogfooding `uses: ./`.
set -euo pipefail

python=${SENTINEL_PYTHON:-python3}
action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this as a GitHub Action}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/pyproject.toml" | head -n 1)
if [[ -z "$version" ]]; then
    echo "::error::no version in $action_path/pyproject.toml"
    exit 2
fi

installed=$("$python" -m alembic_sentinel --version 2>/dev/null || true)
if [[ "$installed" == "alembic-sentinel $version" ]]; then
    echo "alembic-sentinel $version is already installed for $python"
    exit 0
fi

echo "installing alembic-sentinel $version from $action_path for $python"
"$python" -m pip install --disable-pip-version-check --quiet "$action_path"
"$python" -m alembic_sentinel --version
