"""`make demo` runs on a fresh machine with no database server: run its script on a copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SETTINGS_ENV_VARS


def test_demo_upgrades_the_reference_app_on_sqlite_and_explains_itself(tmp_path: Path) -> None:
    for name in ("orm", "migrations", "env", "demo", "hooks"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("db", "drop_database", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_ENV_VARS
        and not k.startswith("GIT_")
        and k != "ALEMBIC_SENTINEL_WARN_ONLY"
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"

    # stderr into stdout, in order: git passes its hooks' output on to stderr
    completed = subprocess.run(
        ["bash", "demo/demo.sh"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    assert completed.returncode == 0, completed.stdout
    assert "\033[" not in completed.stdout  # not a terminal: `make demo > file` is plain text
    assert "election 1: isListed = True" in completed.stdout
    assert "election 2: isListed = False" in completed.stdout
    assert "e5a9c3f7d812 (head) add electionId to candidate" in completed.stdout
    assert "no changes: the models match the revisions" in completed.stdout
    assert "What the demo showed" in completed.stdout
    assert (tmp_path / "election-dev.db").exists()

    # part 2: two branches, one parent, in a git copy with the plain hooks of hooks/
    out = completed.stdout
    assert (
        "error: G107 merging main would leave 2 heads since e5a9c3f7d812: "
        "1c9e4d7a2b30 (on main), 7f2a8b5c6d41 (this branch)"
    ) in out
    assert "alembic-heads: the revision graph needs attention" in out
    assert "(exit 1: the merge commit was refused)" in out
    written = re.search(
        r"alembic-merge-heads: the merge left 2 heads \(1c9e4d7a2b30, 7f2a8b5c6d41\); "
        r"wrote migrations/versions/([0-9a-f]{12})_merge_heads\.py and added it to the merge "
        r"commit: one head",
        out,
    )
    assert written is not None, out
    after = out.split("== One head again", 1)[1].split("What the demo showed", 1)[0]
    assert set(re.findall(r"^(\w+) \(head\)", after, re.MULTILINE)) == {written.group(1)}
    assert f"{written.group(1)} (head) merge heads" in after
    # in the merge commit itself, on top of both branches
    merge_file = f"migrations/versions/{written.group(1)}_merge_heads.py"
    assert f"Merge branch 'feature-b'\n\n{merge_file}\n" in after
    assert re.search(r"^\*   [0-9a-f]+ Merge branch 'feature-b'$", after, re.MULTILINE)

    # part 3: a model edited without a revision, on a copy; check fails, migrate, upgrade, pass
    drift = out.split("== Part 3, drift", 1)[1].split("What the demo showed", 1)[0]
    assert "orm/party.py: added partyColour = Column(String(20), nullable=True)" in drift
    failed, rest = drift.split("== Write the revision", 1)
    change = "error: D401 + column party.partyColour VARCHAR(20)"
    operation = "add_column(sa.Column('partyColour', sa.String(length=20), nullable=True))"
    # shown twice: by `python db check` and by the alembic-drift hook, each exiting 1
    assert failed.count(change) == 2, failed
    assert failed.count(operation) == 2, failed
    assert len(re.findall(r"^\(exit 1\)$", failed, re.MULTILINE)) == 2, failed
    assert "no changes" not in failed
    revision = re.search(
        r"^wrote migrations/versions/([0-9a-f]{12})_add_partycolour_to_party\.py$",
        rest,
        re.MULTILINE,
    )
    assert revision is not None, rest
    assert "  + column party.partyColour VARCHAR(20)" in rest
    assert "op.batch_alter_table('party'" in rest and operation in rest  # the revision's upgrade()
    assert re.search(
        rf"^upgraded sqlite:///\S+/election-dev\.db to {revision.group(1)}$", rest, re.M
    )
    passed = rest.split("== Models and revisions agree again", 1)[1].split("== Part 4", 1)[0]
    assert "no changes: the models match the revisions" in passed
    assert "error" not in passed

    # part 4: the guide's String(100) NOT NULL flag filled with a bool, reviewed, then fixed
    review = out.split("== Part 4, review", 1)[1].split("What the demo showed", 1)[0]
    migrated, rest = review.split("== Fill it the way the guide does", 1)
    assert re.search(r"_add_ispublished_to_election\.py:\d+: error: L301 ", migrated), migrated
    found, rest = rest.split("== What a rule means", 1)
    assert "linted 1 revision file: 2 errors, 0 warnings" in found
    assert re.search(r": error: L301 add_column election\.isPublished is NOT NULL", found)
    assert re.search(
        r": error: L303 upgrade\(\) assigns a bool .* to election\.isPublished, "
        r"typed String\(100\)",
        found,
    )
    assert "\n(exit 1)\n" in found
    assert "L303 fill-wrong-kind (error)" in rest
    fixed = rest.split("== The review passes", 1)[1].split("== Part 5", 1)[0]
    assert "linted 1 revision file: 0 errors, 0 warnings" in fixed
    assert re.search(r"^upgraded sqlite:///\S+/election-dev\.db to [0-9a-f]{12}$", fixed, re.M)

    # part 5: `alembic-sentinel ci` on a branch with parts 3 and 4's revisions, as Markdown
    ci = out.split("== Part 5, CI", 1)[1].split("What the demo showed", 1)[0]
    assert "## ✅ alembic-sentinel: passed" in ci
    assert "2 new revisions" in ci
    assert "| Downgrade/upgrade round trips | ✅ | 2 of 2 restored the schema |" in ci
    assert "| Drift (models vs schema) | ✅ |" in ci
    assert "**C505** offline-sql-unavailable" in ci
    assert "### SQL of the new revisions (mysql-8.0)" in ci  # the target server's, not SQLite's
    assert "ALTER TABLE party ADD COLUMN `partyColour` VARCHAR(20);" in ci
    assert "| Upgrade over generated rows | ✅ | 200 rows in 4 tables; 2 columns profiled |" in ci
    assert re.search(r"election\.isPublished \(added\): 0 x \d+, 1 x \d+; 50 rows", ci)

    # part 5 with data: the guide's bool-into-String fill profiled, a unique index over duplicates
    data = out.split("== Part 5, data", 1)[1].split("What the demo showed", 1)[0]
    assert "[data] 150 rows in 3 tables (50 a table asked, seed 0)" in data
    profile = re.search(
        r"\| <code>65900aaf5afd</code> \| <code>election\.isListed</code> \(added\) \| 50 \| 0 "
        r"\| 0 \| 2 \| <code>'0'</code> x (\d+), <code>'1'</code> x (\d+) \|",
        data,
    )
    assert profile is not None, data
    assert int(profile.group(1)) + int(profile.group(2)) == 50
    assert "**C509** fill-of-the-wrong-kind" in data
    assert "a VARCHAR(100) column holding only '0', '1': booleans stored as text" in data
    assert re.search(
        r"\*\*C502\*\* upgrade-failed at <code>migrations/versions/0b5e7a9c2d41\\_unique\\_"
        r"election\\_names\.py:15</code>: upgrade of 0b5e7a9c2d41 failed over the generated rows: "
        r"unique key over duplicates: values of election\.electionName repeat in the rows "
        r"\('.+' x \d+ the most\)",
        data,
    ), data
    assert "| Upgrade over generated rows | ❌ | 150 rows in 3 tables; " in data
    assert "\n(exit 1)\n" in data
    # the copy is gone, its cached shadow with it; the project's own models are untouched
    assert "partyColour" not in (tmp_path / "orm" / "party.py").read_text()
    assert not list((tmp_path / "migrations" / "versions").glob("*partycolour*"))
    shadows = Path(env["XDG_CACHE_HOME"]) / "alembic-sentinel" / "shadow"
    assert len(list(shadows.glob("*.sqlite3"))) == 1  # part 1's, of the project itself
