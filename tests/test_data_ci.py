"""`ci` runs a pull request's revisions over generated rows: real git, the real MariaDB, SQLite.

Each scenario commits the reference app (or part of it) on `main`, checks out `feature` with the
revision under test, and runs `run_ci` as the CLI does. The failures are the ones existing rows
cause in production and empty tables never show.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import (
    HEAD,
    INITIAL_REVISION,
    ISLISTED_REVISION,
    OFF_ACTIONS,
    add_party_column,
    commit_all,
    git,
    run_cli,
)

from alembic_sentinel.ci.commands import CiRequest, resolve_request
from alembic_sentinel.ci.run import CiOptions, run_ci
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.report.model import Finding, Report
from alembic_sentinel.settings import Overrides, resolve_settings

VERSIONS = Path("migrations/versions")
NEW = "da7a00000001"
pytestmark = pytest.mark.usefixtures("git_isolated", "fresh_orm_imports")


@pytest.fixture(params=["mariadb", "sqlite"])
def server(request: pytest.FixtureRequest) -> str | None:
    """Where the scratch goes: the MariaDB server, or (None) a scratch SQLite file."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("mysql_server_url"))


# upgrade and downgrade of a revision making election names unique over repeating rows
UNIQUE_ELECTION_NAMES = (
    'with op.batch_alter_table("election") as batch_op:\n'
    '    batch_op.create_unique_constraint("uq_election_electionName", ["electionName"])',
    'with op.batch_alter_table("election") as batch_op:\n'
    '    batch_op.drop_constraint("uq_election_electionName", type_="unique")',
)


def write_revision(
    project: Path, revision: str, message: str, upgrade: str, downgrade: str, down: str = HEAD
) -> Path:
    path = project / VERSIONS / f"{revision}_{message.replace(' ', '_')}.py"
    path.write_text(
        f'"""{message}\n\nRevision ID: {revision}\nRevises: {down}\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{revision}"\ndown_revision = "{down}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{indent(upgrade)}\n\n\ndef downgrade():\n{indent(downgrade)}\n"
    )
    return path


def indent(body: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in body.strip("\n").splitlines())


def ci(
    project: Path, server_url: str | None, *, data: bool = True, rows: int = 50
) -> tuple[Report, str]:
    settings = resolve_settings(Overrides(), environ={}, root=project)
    progress = io.StringIO()
    options = CiOptions(server_url, "main", 5.0, "error", data, rows)
    return run_ci(settings, options, progress), progress.getvalue()


def only(report: Report, code: str) -> Finding:
    [finding] = [f for f in report.findings if f.code == code]
    return finding


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# --- failures existing rows cause -----------------------------------------------------------------


def test_a_unique_constraint_over_a_repeating_column_fails_at_its_line(
    repo: Path, server: str | None
) -> None:
    path = write_revision(
        repo,
        NEW,
        "unique election names",
        *UNIQUE_ELECTION_NAMES,
    )
    commit_all(repo, "unique election names")

    report, progress = ci(repo, server)

    failure = only(report, "C502")
    assert failure.path == f"{VERSIONS}/{path.name}"
    # MariaDB fails at the operation; SQLite when batch mode copies the rows at the block's end
    assert failure.line in (line_of(path, "batch_op.create_unique"), line_of(path, "with op."))
    assert failure.message.startswith(
        f"upgrade of {NEW} failed over the generated rows: unique key over duplicates: "
    )
    if server is None:
        assert "UNIQUE constraint failed" in failure.message
    else:
        assert "(1062) Duplicate entry '" in failure.message
        assert "for key 'uq_election_electionName'" in failure.message
    assert failure.fix and "duplicate rows" in failure.fix
    data = report.facts["data"]
    assert data["filled"] is True
    assert {t["table"]: t["rows"] for t in data["tables"]} == {
        "area": 50,
        "candidate": 50,
        "election": 50,
        "party": 50,
    }
    assert data["revisions"][-1]["revision"] == NEW
    assert data["revisions"][-1]["problem"] == "unique key over duplicates"
    assert "[data] 200 rows in 4 tables" in progress
    assert report.facts["status"] == "failed"


def test_the_same_pull_request_passes_without_data(repo: Path) -> None:
    write_revision(
        repo,
        NEW,
        "unique election names",
        *UNIQUE_ELECTION_NAMES,
    )
    commit_all(repo, "unique election names")

    report, progress = ci(repo, None, data=False)

    assert "C502" not in [f.code for f in report.findings]
    assert report.facts["data"]["enabled"] is False
    assert report.facts["data"]["skipped"] == "turned off (--no-data)"
    assert "[data]" not in progress


def test_not_null_over_nulls_fails_at_its_line(repo: Path, server: str | None) -> None:
    path = write_revision(
        repo,
        NEW,
        "party symbol required",
        'with op.batch_alter_table("party") as batch_op:\n'
        '    batch_op.alter_column("partySymbol", existing_type=sa.String(100), nullable=False)',
        'with op.batch_alter_table("party") as batch_op:\n'
        '    batch_op.alter_column("partySymbol", existing_type=sa.String(100), nullable=True)',
    )
    commit_all(repo, "party symbol required")

    report, _ = ci(repo, server)

    failure = only(report, "C502")
    assert failure.path == f"{VERSIONS}/{path.name}"
    assert failure.line in (line_of(path, "batch_op.alter_column"), line_of(path, "with op."))
    assert f"upgrade of {NEW} failed over the generated rows: NOT NULL over NULLs: " in (
        failure.message
    )
    if server is None:
        assert "partySymbol holds NULLs" in failure.message
        assert "NOT NULL constraint failed" in failure.message
    else:
        # MariaDB says "Data truncated", as for a narrowing: the column's NULLs tell them apart
        assert "partySymbol holds" in failure.message and "NULLs, so it cannot" in failure.message
        assert "(1265) Data truncated for column 'partySymbol'" in failure.message
    assert failure.fix and failure.fix.startswith("fill the NULLs of ")
    assert "partySymbol in the revision" in failure.fix


def test_a_narrowing_over_full_length_values_fails_on_mariadb(
    repo: Path, mysql_server_url: str
) -> None:
    path = write_revision(
        repo,
        NEW,
        "shorter party names",
        'op.alter_column("party", "partyName", existing_type=sa.String(100), '
        "type_=sa.String(20), existing_nullable=False)",
        'op.alter_column("party", "partyName", existing_type=sa.String(20), '
        "type_=sa.String(100), existing_nullable=False)",
    )
    commit_all(repo, "shorter party names")

    report, _ = ci(repo, mysql_server_url)

    failure = only(report, "C502")
    assert (failure.path, failure.line) == (f"{VERSIONS}/{path.name}", line_of(path, "op.alter"))
    assert failure.message.startswith(
        f"upgrade of {NEW} failed over the generated rows: values do not fit the new type: "
        "values of party.partyName do not fit its new type: the longest value has 100 "
        "characters; the new type is VARCHAR(20)"
    ), failure.message
    assert "(1406) Data too long for column 'partyName'" in failure.message
    assert failure.fix is not None and "party.partyName" in failure.fix


def test_a_foreign_key_over_orphans_fails_on_mariadb(repo: Path, mysql_server_url: str) -> None:
    # on main: a plain integer column that refers to areas without saying so
    git(repo, "checkout", "-q", "main")
    write_revision(
        repo,
        "ba5e00000001",
        "parent area",
        'op.add_column("area", sa.Column("parentAreaId", sa.Integer(), nullable=True))',
        'op.drop_column("area", "parentAreaId")',
    )
    commit_all(repo, "a parent area column")
    git(repo, "checkout", "-q", "-B", "feature")
    path = write_revision(
        repo,
        NEW,
        "parent area is an area",
        'op.create_foreign_key("fk_area_parent", "area", "area", ["parentAreaId"], ["areaId"])',
        'op.drop_constraint("fk_area_parent", "area", type_="foreignkey")',
        down="ba5e00000001",
    )
    commit_all(repo, "parent area is an area")

    report, _ = ci(repo, mysql_server_url)

    failure = only(report, "C502")
    assert (failure.path, failure.line) == (f"{VERSIONS}/{path.name}", line_of(path, "op.create"))
    assert failure.message.startswith(
        f"upgrade of {NEW} failed over the generated rows: foreign key over orphans: "
        "rows refer to keys the parent table does not have ((1452) Cannot add or update a child"
    )
    assert failure.fix and "orphans" in failure.fix


# --- the guide's isListed revision: a bool into String(100) ---------------------------------------

# the guide's revision as tests/data keeps it (and the lint tests read it), with the flush its
# fill needs to write anything: a Session's changes never reach the database without one
GUIDE_ISLISTED = (
    '"""add isListed to election\n\nRevision ID: 65900aaf5afd\nRevises: a8a2fc4e4c77\n"""\n'
    + (Path(__file__).parent / "data" / "guide_islisted_revision.py")
    .read_text()
    .replace("\n\n\ndef downgrade", "\n    session.flush()\n\n\ndef downgrade")
)


@pytest.fixture
def guide_repo(project: Path) -> Path:
    """`main` at the initial schema only; `feature` adds the guide's isListed revision as the
    guide writes it (String(100), NOT NULL, filled with a bool)."""
    for path in (project / VERSIONS).glob("*.py"):
        if not path.name.startswith(INITIAL_REVISION):
            path.unlink()
    (project / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "the initial schema")
    git(project, "checkout", "-q", "-b", "feature")
    (project / VERSIONS / f"{ISLISTED_REVISION}_add_islisted_to_election.py").write_text(
        GUIDE_ISLISTED
    )
    commit_all(project, "the guide's isListed revision")
    return project


def test_the_guides_islisted_revision_upgrades_and_its_profile_shows_the_bool_in_a_string(
    guide_repo: Path, mysql_server_url: str
) -> None:
    report, progress = ci(guide_repo, mysql_server_url)

    assert "C502" not in [f.code for f in report.findings]  # it upgrades: MySQL fills '' first
    assert report.facts["upgrade"]["ok"] is True
    [entry] = report.facts["data"]["revisions"]
    assert entry["revision"] == ISLISTED_REVISION and entry["ok"] is True
    [profile] = entry["profiles"]
    assert (profile["table"], profile["column"], profile["change"]) == (
        "election",
        "isListed",
        "added",
    )
    assert profile["declared"].startswith("varchar(100) NOT NULL")
    assert profile["rows"] == 50 and profile["nulls"] == 0 and profile["distinct"] == 2
    (zero, zeros), (one, ones) = profile["common"]
    assert (zero, one) == ("'0'", "'1'") and zeros + ones == 50 and zeros > ones > 0
    assert f"election.isListed (added): '0' x {zeros}, '1' x {ones}; 50 rows" in progress
    flag = only(report, "C509")
    assert flag.severity == "warning"
    path = guide_repo / VERSIONS / f"{ISLISTED_REVISION}_add_islisted_to_election.py"
    assert flag.line == line_of(path, "election.isListed = ")
    assert "a varchar(100) column holding only '0', '1': booleans stored as text" in flag.message
    assert "C508" not in [f.code for f in report.findings]  # the fill did write every row
    # the static review finds the same revision's problems: it still fails the run
    assert {"L301", "L303"} <= {f.code for f in report.findings}


def test_the_guides_islisted_revision_is_refused_by_sqlite_and_says_why(guide_repo: Path) -> None:
    report, _ = ci(guide_repo, None)

    failure = only(report, "C502")
    path = guide_repo / VERSIONS / f"{ISLISTED_REVISION}_add_islisted_to_election.py"
    assert failure.line == line_of(path, "op.add_column(")
    assert "NOT NULL column without a default: a NOT NULL column without a default cannot be " in (
        failure.message
    )
    assert "(MySQL/MariaDB would fill '' or 0 into every existing row without a word)" in (
        failure.message
    )


def test_a_new_not_null_column_left_at_the_implicit_default_is_flagged(
    repo: Path, mysql_server_url: str
) -> None:
    path = write_revision(
        repo,
        NEW,
        "party code",
        'op.add_column("party", sa.Column("partyCode", sa.String(10), nullable=False))',
        'op.drop_column("party", "partyCode")',
    )
    commit_all(repo, "party code")

    report, _ = ci(repo, mysql_server_url)

    flag = only(report, "C508")
    assert (flag.path, flag.line) == (f"{VERSIONS}/{path.name}", line_of(path, "op.add_column"))
    assert "party.partyCode: every one of the 50 rows holds the implicit default ''" in flag.message
    [entry] = report.facts["data"]["revisions"]
    [profile] = entry["profiles"]
    assert profile["common"] == [["''", 50]] and profile["empty"] == 50


# --- round trips keep the data --------------------------------------------------------------------


def test_a_downgrade_that_cannot_bring_a_dropped_column_back_loses_its_values(
    repo: Path, server: str | None
) -> None:
    party = repo / "orm" / "party.py"
    party.write_text(
        party.read_text().replace("    partySymbol = Column(String(100), nullable=True)\n", "")
    )
    path = write_revision(
        repo,
        NEW,
        "drop party symbol",
        'with op.batch_alter_table("party") as batch_op:\n    batch_op.drop_column("partySymbol")',
        'with op.batch_alter_table("party") as batch_op:\n'
        '    batch_op.add_column(sa.Column("partySymbol", sa.String(100), nullable=True))',
    )
    commit_all(repo, "drop party symbol")

    report, _ = ci(repo, server)

    assert report.facts["round_trips"][0]["schema_restored"] is True  # the schema comes back
    loss = only(report, "C507")
    assert loss.severity == "warning"
    assert (loss.path, loss.line) == (f"{VERSIONS}/{path.name}", line_of(path, "def downgrade"))
    assert f"downgrade and upgrade of {NEW} do not keep the rows: party.partySymbol: " in (
        loss.message
    )
    assert "of 50 values not restored" in loss.message
    [trip] = report.facts["data"]["round_trips"]
    assert trip["revision"] == NEW and trip["lost"][0].startswith("party.partySymbol: ")
    assert "party.partyName" not in loss.message  # the rest of the table is intact
    assert report.facts["status"] == "passed"  # a warning: some downgrades cannot do better


def test_a_round_trip_that_keeps_the_rows_reports_nothing_lost(
    repo: Path, server: str | None
) -> None:
    add_party_column(repo)
    write_revision(
        repo,
        NEW,
        "party colour",
        'op.add_column("party", sa.Column("partyColour", sa.String(20), nullable=True))',
        'op.drop_column("party", "partyColour")',
    )
    commit_all(repo, "party colour")

    report, _ = ci(repo, server)

    assert report.findings == []
    assert report.facts["data"]["round_trips"] == [{"revision": NEW, "lost": []}]
    [entry] = report.facts["data"]["revisions"]
    [profile] = entry["profiles"]  # an added column: all NULL, nothing to flag
    assert (profile["column"], profile["common"], profile["flags"]) == (
        "partyColour",
        [["NULL", 50]],
        [],
    )
    assert report.facts["status"] == "passed"


# --- the project's own rows -----------------------------------------------------------------------


def test_fixtures_are_applied_at_their_revision_and_take_part(
    repo: Path, server: str | None
) -> None:
    data = repo / "migrations" / "data"
    data.mkdir()
    # at the initial schema: a party whose symbol the PR's fill reads
    (data / f"{INITIAL_REVISION}.sql").write_text(
        "-- a party the team cares about; ';' in a string does not end the statement\n"
        "INSERT INTO party (partyId, partyName, partySymbol) VALUES (9001, 'Pinned; party', 'P');\n"
    )
    (data / f"{NEW}.py").write_text(
        "import sqlalchemy as sa\n\n\n"
        "def insert_rows(connection):\n"
        "    connection.execute(sa.text(\"UPDATE party SET partyColour = 'red' "
        'WHERE partyId = 9001"))\n'
    )
    write_revision(
        repo,
        NEW,
        "party colour",
        'op.add_column("party", sa.Column("partyColour", sa.String(20), nullable=True))\n'
        "op.execute(\"UPDATE party SET partyColour = 'blue' WHERE partySymbol = 'P'\")",
        'op.drop_column("party", "partyColour")',
    )
    commit_all(repo, "party colour, with fixtures")

    report, progress = ci(repo, server)

    fixtures = report.facts["data"]["fixtures"]
    assert [(f["revision"], f["ok"]) for f in fixtures] == [(INITIAL_REVISION, True), (NEW, True)]
    assert f"[data] fixture migrations/data/{INITIAL_REVISION}.sql applied (1 statements)" in (
        progress
    )
    [entry] = report.facts["data"]["revisions"]
    [profile] = entry["profiles"]
    assert profile["column"] == "partyColour"
    assert profile["common"][0] == ["NULL", 50] and ["'blue'", 1] in profile["common"]
    assert {t["table"]: t["rows"] for t in report.facts["data"]["tables"]}["party"] == 50


def test_a_failing_fixture_is_an_error_at_its_line(repo: Path) -> None:
    data = repo / "migrations" / "data"
    data.mkdir()
    (data / f"{NEW}.sql").write_text(
        "INSERT INTO party (partyName) VALUES ('fine');\n\nINSERT INTO no_such_table VALUES (1);\n"
    )
    write_revision(repo, NEW, "nothing much", 'op.execute("SELECT 1")', "pass")
    commit_all(repo, "a broken fixture")

    report, _ = ci(repo, None)

    failure = only(report, "C510")
    assert (failure.path, failure.line) == (f"migrations/data/{NEW}.sql", 3)
    assert "no such table: no_such_table" in failure.message
    assert report.facts["status"] == "failed"


def test_without_new_revisions_no_rows_are_generated(repo: Path) -> None:
    report, progress = ci(repo, None)

    assert report.facts["data"]["filled"] is False
    assert report.facts["data"]["skipped"] == "no new revisions"
    assert "[data]" not in progress


# --- the switches ---------------------------------------------------------------------------------


def test_data_and_data_rows_come_from_flags_or_variables(tmp_path: Path) -> None:
    environ = {"SENTINEL_CI_DATA": "false", "SENTINEL_CI_DATA_ROWS": "7"}

    def data(request: CiRequest) -> tuple[bool, int]:
        return request.data, request.data_rows

    assert data(resolve_request({}, {}, tmp_path)) == (True, 50)
    assert data(resolve_request({}, environ, tmp_path)) == (False, 7)
    assert data(resolve_request({"data": True, "data_rows": "3"}, environ, tmp_path)) == (True, 3)
    with pytest.raises(ConfigError, match="SENTINEL_CI_DATA_ROWS / --data-rows: 'many'"):
        resolve_request({"data_rows": "many"}, {}, tmp_path)
    with pytest.raises(ConfigError, match="--data-rows: expected a number of rows from 1, got 0"):
        run_ci(
            resolve_settings(environ={}, root=tmp_path),
            CiOptions(None, None, data_rows=0),
            io.StringIO(),
        )


def test_no_data_and_data_rows_on_the_command_line(repo: Path) -> None:
    write_revision(
        repo,
        NEW,
        "unique party symbols",
        'op.create_index("ix_party_partySymbol", "party", ["partySymbol"], unique=True)',
        'op.drop_index("ix_party_partySymbol", table_name="party")',
    )
    commit_all(repo, "unique party symbols")
    env = {**OFF_ACTIONS, "GIT_CONFIG_GLOBAL": os.devnull}

    with_rows = run_cli(repo, "ci", "--base-ref", "main", "--data-rows", "5", env=env)
    without = run_cli(repo, "ci", "--base-ref", "main", "--no-data", env=env)

    assert with_rows.code == 1, with_rows.output
    assert "[data] 20 rows in 4 tables (5 a table asked, seed 0)" in with_rows.err
    assert "unique key over duplicates: values of party.partySymbol repeat in the rows" in (
        with_rows.out
    )
    assert "data: 20 generated rows in 4 tables, 0 columns profiled" in with_rows.out
    assert "[data]" not in without.err
    assert "C502" not in without.out


def test_a_failure_inside_a_batch_block_is_reported_at_the_operations_line(
    repo: Path, mysql_server_url: str
) -> None:
    """A batch runs its operations as its `with` block ends, so the traceback stops at the
    `with`: the finding goes to the operation the failed statement names."""
    path = write_revision(
        repo,
        NEW,
        "batch narrowing",
        """
with op.batch_alter_table("party") as batch_op:
    batch_op.add_column(sa.Column("note", sa.String(20), nullable=True))
    batch_op.alter_column(
        "partyName", existing_type=sa.String(100), type_=sa.String(20), existing_nullable=False
    )
""",
        """
with op.batch_alter_table("party") as batch_op:
    batch_op.drop_column("note")
""",
    )
    commit_all(repo, "batch narrowing")

    report, _ = ci(repo, mysql_server_url)

    failure = only(report, "C502")
    assert (failure.path, failure.line) == (
        f"{VERSIONS}/{path.name}",
        line_of(path, "batch_op.alter_column("),
    ), failure.message
