"""pre-commit hook entry points; each module shares its name with its hook id and console script.

Thin adapters: arguments from pre-commit, settings, one call into the capability, an exit code.
`alembic-heads`, `alembic-merge-heads` and `alembic-lint` stay on the static side (no SQLAlchemy,
Alembic or gitpython at import); `alembic-drift` runs in the project's environment.

May import: cli, error_handler, ci, commands, plan, lint, drift, data, graph, engine, settings,
flask_app, report, errors, redaction.
"""
