"""The drift check: do the models match what the revisions build?

Owns the cached shadow database (`shadow`), the autogenerate comparison and its one-line
descriptions (`compare`), MySQL/MariaDB's false positives (`filters`) and the check that ties
them together (`check`).

May import: graph, engine, settings, report, errors, redaction.
"""
