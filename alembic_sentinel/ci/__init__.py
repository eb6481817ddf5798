"""`alembic-sentinel ci`, what the GitHub Action runs on a pull request.

Owns the run (`run`, its report facts in `facts`, its data steps in `data_steps`), the
scratch server and its snapshots (`scratch`), round trips, offline SQL, the runner side
(`github_actions`: outputs, summary, annotations), the REST client and sticky comment
(`github_api`), `--mode merge-heads` (`merge_heads`) and the verb's adapter (`commands`).

May import: plan, lint, drift, data, graph, engine, settings, flask_app, report, errors, redaction.
"""
