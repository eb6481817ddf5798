"""The revision review: revision files read as syntax, MySQL/MariaDB rules, findings out.

Owns the static model of a revision (`revision_model`, built by `revision_reader` from
`literals` and `expressions`), the rule catalogue (`catalogue`), the rules by concern
(`data_rules`, `type_rules`, `structure_rules`, `ddl`, on `facts`), online-DDL classes per
server release (`online_ddl`), suppressions, which files a branch changed (`scope`), the
engine (`linter`) and the `lint` verb (`commands`). Pure and light: no SQLAlchemy, no Alembic.

May import: graph, engine, settings, flask_app, report, errors, redaction.
"""
