"""The rollout plan: how long each revision will take and block writes on the team's real tables.

Owns the table statistics file (`table_stats`, collected by `stats_reader` with SELECTs on
information_schema only), the estimate model (`cost_model`) and its calibration on a scratch
server (`calibration`), the operations a range of revisions applies (`operations`, read
statically through the lint reader), the ALTER clause of an operation (`alter_sql`), advice
for the ones that block writes (`advice`), the plan itself and its R601 findings (`rollout`),
its text and JSON (`render`) and the `stats` and `plan` verbs (`commands`). Analysis like
`lint/`: pure where it can be; the database is read in `stats_reader` and `calibration` only.

May import: lint, drift, data, graph, engine, settings, flask_app, report, errors, redaction.
"""
