"""The drift check: do the models match what the revisions build?

Owns the cached shadow database (`shadow`), the autogenerate comparison and its one-line
descriptions (`compare`), MySQL/MariaDB's false positives (`filters`), the check that ties
them together (`check`) and the hook's fast path (`relevance`).

May import: graph, engine, settings, flask_app, report, errors, redaction.
"""
