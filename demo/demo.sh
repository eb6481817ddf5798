#!/usr/bin/env bash
# `make demo`: the guide's workflow on the reference app, on the embedded SQLite default.
# Needs no database server. Runs from the repository root; `python` is the project's venv.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

export ENV_CONFIG=./env/dev.cfg

step "Start clean: drop the demo database if an earlier run left it" "python drop_database --yes"
python drop_database --yes

step "Where every setting comes from" "alembic-sentinel settings"
alembic-sentinel settings

step "Upgrade to the initial schema only, and add three elections" \
  "python db upgrade a8a2fc4e4c77"
python db upgrade a8a2fc4e4c77
python - <<'PY'
import sqlite3
with sqlite3.connect("election-dev.db") as db:
    db.executemany(
        "INSERT INTO election (electionId, electionName, rootElectionId) VALUES (?, ?, ?)",
        [(1, "Presidential 2019", 1), (2, "Presidential 2019 - postal", 1), (3, "Provincial", None)],
    )
print("inserted elections 1 (its own root), 2 (root 1), 3 (no root)")
PY

step "Bring the database to the latest revision (the guide's 'python db upgrade')" \
  "export ENV_CONFIG=./env/dev.cfg && python db upgrade"
python db upgrade

step "The isListed revision filled the new column from rootElectionId == electionId" \
  "SELECT electionId, isListed FROM election"
python - <<'PY'
import sqlite3
with sqlite3.connect("election-dev.db") as db:
    for election_id, listed in db.execute("SELECT electionId, isListed FROM election"):
        print(f"election {election_id}: isListed = {bool(listed)}")
PY

step "The head revision" "python db heads"
python db heads

step "The revision the database is at" "python db current"
python db current

step "The whole history: a branch point, two parallel revisions, their merge" "python db history"
python db history

step "Models and database agree: no revision is missing" "python db check"
python db check

step "Nothing to write: 'migrate' only writes a revision when the models changed" "python db migrate"
python db migrate

cat <<'SUMMARY'

What the demo showed
- `python db upgrade` (ENV_CONFIG=./env/dev.cfg) created election-dev.db and applied the reference
  app's revisions with progress (n of N), without running the project's Flask-Migrate env.py (it needs a
  Flask app; alembic-sentinel configures Alembic itself).
- The guide's isListed change, done right (nullable column, fill through an inline ORM class and
  a Session, then NOT NULL), filled existing rows: only election 1, its own root, is listed.
- `heads`, `current` and `history` showed one head, the database at it, and a history with a
  branch point and the merge revision that joined the two branches.
- `check` and `migrate` agreed that the models match: no revision is missing, none was written.
Next: edit a model in orm/, run `python db migrate`, review the revision it prints, then
`python db upgrade`. `python drop_database` removes election-dev.db again (it asks first).
SUMMARY
