"""A project of our own in tmp_path with one revision file, linted as `lint --all` would read
it: the builder the tests of project-module reading share (helpers, types, tables a revision
takes from the project's own packages)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding


def lint_in_project(
    root: Path,
    modules: Mapping[str, str],
    revision_path: str,
    source: str,
    server: str = "mysql-8.0",
) -> list[Finding]:
    """Write `modules` (path under `root` -> text, dedented) and the revision at
    `revision_path`, then lint that revision for `server` with the project's modules in view."""
    for relative, text in modules.items():
        module = root / relative
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(textwrap.dedent(text))
    path = root / revision_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    options = LintOptions(target=parse_server_version(server))
    return list(lint_files([(path.name, path)], options).findings)
