#!/usr/bin/env bash
# `make demo`: the guide's workflow on the reference app, on the embedded SQLite default.
# Needs no database server. Runs from the repository root; `python` is the project's venv.
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root="$PWD"

# bold headings on a terminal only, never with NO_COLOR (https://no-color.org): `make demo > file`
# writes plain text
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n$ %s\n' "$bold" "$1" "$plain" "$2"; }

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

step "Models and revisions agree (checked on a shadow database): no revision is missing" "python db check"
python db check

step "Nothing to write: 'migrate' only writes a revision when the models changed" "python db migrate"
python db migrate

# Part 2: the revision graph across git branches. No server, no network: a throwaway git
# repository holding a copy of the reference app, with this repository's plain git hooks installed.
hooks_dir="$PWD/hooks"
unset ALEMBIC_SENTINEL_WARN_ONLY # the post-merge hook writes the merge revision, as by default
work="$(mktemp -d)"
drift_work="" # part 3's copy
ci_work=""    # part 5's repository
cleanup() {
  rm -rf "$work"
  [ -z "$ci_work" ] || rm -rf "$ci_work"
  if [ -n "$drift_work" ]; then
    # the copy's cached shadow database and parse cache live in the user's cache directory
    (cd "$drift_work" && python db cache clear >/dev/null 2>&1) || true
    rm -rf "$drift_work"
  fi
}
trap cleanup EXIT
cp -R orm migrations "$work/"
cd "$work"
printf '[tool.alembic-sentinel]\nmigrations = "migrations"\n' >pyproject.toml
printf '__pycache__/\n*.db\n' >.gitignore

# add_revision ID SLUG MESSAGE TABLE COLUMN: a revision on top of the reference app's head
add_revision() {
  cat >"migrations/versions/$1_$2.py" <<REVISION
"""$3

Revision ID: $1
Revises: e5a9c3f7d812
Create Date: 2024-03-04 09:12:45.118204

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "$1"
down_revision = "e5a9c3f7d812"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("$4", sa.Column("$5", sa.String(length=20), nullable=True))


def downgrade():
    op.drop_column("$4", "$5")
REVISION
}

step "Part 2, git branches: a git copy of the reference app with the plain hooks of hooks/" \
  "git init -b main && git config core.hooksPath $hooks_dir"
echo "(every commit runs the pre-commit hook, alembic-heads, which prints the head it checked)"
git init -q -b main
git config user.name "Demo Developer"
git config user.email "demo@example.com"
git config commit.gpgsign false
git config core.hooksPath "$hooks_dir"
git add -A
git commit -q -m "the reference app"

step "Two branches each add a revision on top of e5a9c3f7d812; feature-a is merged first" \
  "git switch -c feature-a main; ...; git switch -c feature-b main; ...; git switch main && git merge feature-a"
git checkout -q -b feature-a main
add_revision 1c9e4d7a2b30 add_partycolour_to_party "add partyColour to party" party partyColour
git add -A
git commit -q -m "feature-a: add partyColour"
git checkout -q -b feature-b main
add_revision 7f2a8b5c6d41 add_areacode_to_area "add areaCode to area" area areaCode
git add -A
git commit -q -m "feature-b: add areaCode"
git checkout -q main
git merge -q feature-a
git log --oneline --graph --all

step "On feature-b, before merging: the collision predicted (exit 1)" \
  "git switch feature-b && alembic-sentinel heads --against main"
git checkout -q feature-b
alembic-sentinel heads --against main || echo "(exit $?)"

step "Merged without a merge revision, main would have two heads: the pre-commit hook refuses" \
  "git switch main && git merge --no-ff --no-commit feature-b && git commit --no-edit"
git checkout -q main
git merge -q --no-ff --no-commit feature-b
git commit -q --no-edit || echo "(exit $?: the merge commit was refused)"
git merge --abort

step "The merge as usual: the post-merge hook writes the merge revision into the merge commit" \
  "git merge --no-ff feature-b -m \"Merge branch 'feature-b'\""
git merge --no-ff feature-b -m "Merge branch 'feature-b'"

step "One head again, nothing left to commit: the merge commit holds the merge revision" \
  "alembic-sentinel heads && git status --short && git show --name-only --format=%s HEAD"
alembic-sentinel heads
git status --short
git show --name-only --format=%s HEAD
git log --oneline --graph
cd - >/dev/null

# Part 3: a model edited without a revision. On a copy of the reference app and of the database
# part 1 brought to head, so the repository's own orm/ and migrations/ stay untouched.
drift_work="$(mktemp -d)"
cp -R orm migrations env db election-dev.db "$drift_work/"
cd "$drift_work"
printf '[tool.alembic-sentinel]\nmigrations = "migrations"\nmetadata = "orm:Base.metadata"\n' >pyproject.toml

step "Part 3, drift: in a copy of the reference app, add a column to the Party model, no revision" \
  "edit orm/party.py: partyColour = Column(String(20), nullable=True) below partySymbol"
python - <<'PY'
import re
from pathlib import Path

party = Path("orm/party.py")
source = party.read_text()
anchor = re.search(r"\n(\s+)partySymbol = [^\n]*\n", source)
line = f"{anchor.group(1)}partyColour = Column(String(20), nullable=True)\n"
party.write_text(source[: anchor.end()] + line + source[anchor.end() :])
print(f"orm/party.py: added {line.strip()}")
PY

step "The drift check fails and shows the missing change as the op code 'migrate' would write (exit 1)" \
  "python db check"
python db check || echo "(exit $?)"

step "The same check as the alembic-drift hook runs it (pre-commit, or a plain git hook)" "alembic-drift"
alembic-drift || echo "(exit $?)"

step "Write the revision from the model change" "python db migrate -m \"add partyColour to party\""
python db migrate -m "add partyColour to party"
sed -n '/^def upgrade/,/^def downgrade/p' migrations/versions/*_add_partycolour_to_party.py | sed '$d'

step "Apply it" "python db upgrade"
python db upgrade

step "Models and revisions agree again" "python db check"
python db check

step "Part 4, review: the guide's own isListed mistake, on a new column: String(100), NOT NULL" \
  "edit orm/election.py: isPublished = Column(String(100), nullable=False)"
python - <<'PY'
from pathlib import Path

election = Path("orm/election.py")
source = election.read_text()
anchor = "    isListed = Column(Boolean, nullable=False, default=False)\n"
line = "    isPublished = Column(String(100), nullable=False)\n"
election.write_text(source.replace(anchor, anchor + line))
print(f"orm/election.py: added {line.strip()}")
PY

step "migrate writes the revision and reviews it at once: NOT NULL without a default (L301)" \
  "python db migrate -m \"add isPublished to election\""
python db migrate -m "add isPublished to election"
published="$(ls migrations/versions/*_add_ispublished_to_election.py)"

step "Fill it the way the guide does: an inline ORM class and a Session, a bool into String(100)" \
  "edit $published: the guide's data fill after the add_column"
python - "$published" <<'PY'
import sys
from pathlib import Path

path = Path(sys.argv[1])
source = path.read_text()
fill = """
    Base = declarative_base()
    session = Session(bind=op.get_bind())

    class _Election(Base):
        __tablename__ = "election"
        electionId = sa.Column(sa.Integer, primary_key=True)
        rootElectionId = sa.Column(sa.Integer, nullable=True)
        isPublished = sa.Column(sa.String(100), nullable=False)

    for election in session.query(_Election).all():
        election.isPublished = election.rootElectionId == election.electionId
    session.flush()
"""
source = source.replace("import sqlalchemy as sa\n", "import sqlalchemy as sa\nfrom sqlalchemy.orm import Session, declarative_base\n", 1)
marker = "    # ### end Alembic commands ###\n"
upgrade_end = source.index(marker) + len(marker)
path.write_text(source[:upgrade_end] + fill + source[upgrade_end:])
print(f"{path}: added the guide's fill loop to upgrade()")
PY

step "The review finds both of the guide's problems (exit 1), as the alembic-lint hook would" \
  "alembic-sentinel lint $published"
alembic-sentinel lint "$published" || echo "(exit $?)"

step "What a rule means, and how to fix it" "alembic-sentinel lint --explain L303"
alembic-sentinel lint --explain L303

step "Fixed as the rules say: a Boolean, added nullable, filled, then NOT NULL" \
  "edit orm/election.py and $published"
python - "$published" <<'PY'
import re
import sys
from pathlib import Path

election = Path("orm/election.py")
election.write_text(
    election.read_text().replace(
        "isPublished = Column(String(100), nullable=False)",
        "isPublished = Column(Boolean, nullable=False, default=False)",
    )
)
path = Path(sys.argv[1])
source = path.read_text()
source = source.replace("sa.String(length=100), nullable=False)", "sa.Boolean(), nullable=True)", 1)
source = source.replace("isPublished = sa.Column(sa.String(100), nullable=False)", "isPublished = sa.Column(sa.Boolean, nullable=True)")
source = source.replace(
    "    session.flush()\n",
    "    session.flush()\n    session.close()\n"
    "    with op.batch_alter_table('election') as batch_op:\n"
    "        batch_op.alter_column('isPublished', existing_type=sa.Boolean(), nullable=False)\n",
)
path.write_text(source)
print(f"{path}:")
print(re.search(r"def upgrade\(\):.*?(?=\ndef downgrade)", source, re.S).group(0))
PY

step "The review passes, and the revision applies" "alembic-sentinel lint $published && python db upgrade"
alembic-sentinel lint "$published"
python db upgrade

# Part 5: what CI says about a pull request. The two revisions parts 3 and 4 wrote, on a branch
# of a git copy of the reference app; `alembic-sentinel ci` checks it against main as the GitHub
# Action does, on a scratch SQLite database here (a scratch schema of the CI's MySQL there).
ci_work="$(mktemp -d)"
cp -R "$repo_root/orm" "$repo_root/migrations" "$repo_root/env" "$ci_work/"
cd "$ci_work"
printf '[tool.alembic-sentinel]\nmigrations = "migrations"\nmetadata = "orm:Base.metadata"\n' >pyproject.toml
printf '__pycache__/\n*.db\n*.json\n' >.gitignore
git init -q -b main
git config user.name "Demo Developer"
git config user.email "demo@example.com"
git config commit.gpgsign false
git add -A
git commit -q -m "the reference app"
git checkout -q -b feature
cp "$drift_work"/orm/*.py orm/
cp "$drift_work"/migrations/versions/*_add_partycolour_to_party.py \
  "$drift_work"/migrations/versions/*_add_ispublished_to_election.py migrations/versions/
git add -A
git commit -q -m "partyColour and isPublished"

step "Part 5, CI: the branch with parts 3 and 4's revisions, checked against main as the Action does" \
  "alembic-sentinel ci --base-ref main --format markdown   # the sticky PR comment's text"
alembic-sentinel ci --base-ref main --format markdown --report ci-report.json
cd "$drift_work"
cd - >/dev/null

# Part 5, with data: the guide's isListed revision and a unique index, run over generated rows.
# main is the reference app at its initial schema (elections, parties, areas, no isListed yet).
git checkout -q main
git checkout -q -b guide-islisted
rm migrations/versions/[!a]*.py
printf '[tool.alembic-sentinel]\nmigrations = "migrations"\n' >pyproject.toml
git add -A
git commit -q -m "the initial schema only"
git branch -q initial
cat >migrations/versions/65900aaf5afd_add_islisted_to_election.py <<'REVISION'
"""add isListed to election

Revision ID: 65900aaf5afd
Revises: a8a2fc4e4c77
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session, declarative_base

revision = "65900aaf5afd"
down_revision = "a8a2fc4e4c77"
branch_labels = None
depends_on = None
db = sa


def upgrade():
    # the guide's revision; the column is added nullable here, as SQLite requires
    Base = declarative_base()
    bind = op.get_bind()
    session = Session(bind=bind)

    class _Election(Base):
        __tablename__ = "election"
        electionId = db.Column(db.Integer, primary_key=True, autoincrement=True)
        rootElectionId = db.Column(db.Integer, nullable=True)
        isListed = db.Column(db.String(100), nullable=True)

    op.add_column("election", db.Column("isListed", db.String(length=100), nullable=True))
    for election in session.query(_Election).all():
        election.isListed = election.rootElectionId == election.electionId
    session.flush()


def downgrade():
    with op.batch_alter_table("election") as batch_op:
        batch_op.drop_column("isListed")
REVISION
cat >migrations/versions/0b5e7a9c2d41_unique_election_names.py <<'REVISION'
"""unique election names

Revision ID: 0b5e7a9c2d41
Revises: 65900aaf5afd
"""
from alembic import op

revision = "0b5e7a9c2d41"
down_revision = "65900aaf5afd"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_election_electionName", "election", ["electionName"], unique=True)


def downgrade():
    op.drop_index("ix_election_electionName", table_name="election")
REVISION
git add -A
git commit -q -m "the guide's isListed, and unique election names"

step "Part 5, data: the guide's isListed fill (a bool into String(100)) and a unique index, over generated rows" \
  "alembic-sentinel ci --base-ref initial --format markdown   # --no-data migrates empty tables only"
alembic-sentinel ci --base-ref initial --format markdown || echo "(exit $?)"

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
- Part 2, in a git copy with the plain hooks of hooks/ (`git config core.hooksPath`): two branches
  each added a revision on top of the same head. `alembic-sentinel heads --against main` predicted
  the collision on feature-b before any merge (G107). The pre-commit hook refused a merge commit
  that left two heads; after `git merge`, the post-merge hook wrote the merge revision from
  migrations/script.py.mako, and `alembic-sentinel heads` showed one head again.
- Part 3, on a copy: a column added to the Party model without a revision. `python db check`
  (and the alembic-drift hook, the same check) failed with D401 `+ column party.partyColour` and
  printed the `op.*` code `migrate` would write; `python db migrate` wrote that revision,
  `python db upgrade` applied it, and `python db check` passed again. The check compares the
  models with a shadow database it migrates itself (an SQLite file in the cache directory
  here), never with election-dev.db.
- Part 4: the guide's own mistake on a new column (String(100) NOT NULL, filled with a bool
  through an inline ORM class). `python db migrate` reviewed the revision it wrote (L301: NOT
  NULL without a default); after the guide's fill loop `alembic-sentinel lint` (the alembic-lint
  hook's check) also found the bool stored in a String column (L303) and exited 1; written as the
  rules say (Boolean, nullable, filled, then NOT NULL) the review passed and the revision applied.
- Part 5, with data: from the initial schema, a branch with the guide's isListed fill and a
  unique index on election names. `ci` filled every table with 50 generated rows (repeats, NULLs,
  values at full length, non-ASCII text), ran the branch's revisions over them, and showed the
  isListed column's profile ('0' and '1' strings: booleans stored as text, C509) and the unique
  index failing over duplicate election names at its line (C502, "unique key over duplicates"),
  which empty tables never show.
- Part 5: `alembic-sentinel ci`, what the GitHub Action runs, on a branch holding those two
  revisions: graph and collision with main, upgrade from main's head with each revision's time,
  a downgrade/upgrade round trip of each new revision, drift, lint, and their MySQL SQL (the
  isPublished revision reads data through a Session, so it cannot be rendered offline and says
  so), printed as the Markdown of the pull request comment.
Next: the same on your own models: edit orm/, run `python db check`, then `python db migrate`,
review the revision it prints, and `python db upgrade`. `python drop_database` removes
election-dev.db again (it asks first).
SUMMARY
