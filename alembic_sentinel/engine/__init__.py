"""The engine: Alembic run with our settings instead of the project's env.py.

Owns connections to the configured database with one-line errors and password scrubbing
(`database`), the Alembic `Config` and `EnvironmentContext` (`migration_env`), chosen upgrade and
downgrade steps on one held connection (`migration_steps`), the project's target MetaData
(`target_metadata`), the `lock-timeout` guard (`lock_timeout`), what env.py does beyond that
(`env_py`) and where in the user's files an exception happened (`tracebacks`).

May import: settings, flask_app, report, errors, redaction.
"""
