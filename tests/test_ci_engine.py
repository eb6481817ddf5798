"""The engine of `alembic-sentinel ci`, in process: real git branches, the real MariaDB, SQLite.

Each scenario commits the reference app on `main`, checks out a `feature` branch that does what a
pull request would, and runs `run_ci` against `main` as the base.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import (
    HEAD,
    add_party_column,
    add_two_branch_heads,
    commit_all,
    git,
    mysql_cfg,
    table_names,
    write_cfg,
)

from alembic_sentinel.ci.run import CiOptions, run_ci
from alembic_sentinel.ci.scratch import backoff_delays, differences
from alembic_sentinel.errors import ConfigError, DatabaseUnreachable
from alembic_sentinel.graph.revision_changes import compare, git_blob_id
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.revision_files import ReadResult
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import Overrides, resolve_settings

VERSIONS = Path("migrations/versions")
NEW = "c0ffee000001"
pytestmark = pytest.mark.usefixtures("git_isolated", "fresh_orm_imports")


def write_revision(
    project: Path,
    revision: str,
    message: str,
    upgrade: str,
    downgrade: str = "pass",
    down: str = HEAD,
) -> Path:
    path = project / VERSIONS / f"{revision}_{message.replace(' ', '_')}.py"
    path.write_text(
        f'"""{message}\n\nRevision ID: {revision}\nRevises: {down}\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\nfrom sqlalchemy.orm import Session\n\n"
        f'revision = "{revision}"\ndown_revision = "{down}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{indent(upgrade)}\n\n\ndef downgrade():\n{indent(downgrade)}\n"
    )
    return path


def indent(body: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in body.splitlines())


def add_party_colour_revision(project: Path) -> Path:
    """The model change and the revision that makes it: what a clean pull request holds."""
    add_party_column(project)
    return write_revision(
        project,
        NEW,
        "add partyColour to party",
        'op.add_column("party", sa.Column("partyColour", sa.String(length=20), nullable=True))',
        'op.drop_column("party", "partyColour")',
    )


def ci_schemas(server_url: str) -> set[str]:
    engine = sa.create_engine(server_url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SHOW DATABASES LIKE 'sentinel\\_ci\\_%%'")
            return {row[0] for row in rows}
    finally:
        engine.dispose()


def ci(
    project: Path,
    server_url: str | None,
    base_ref: str | None = "main",
    *,
    config: str | None = None,
    fail_on: str = "error",
) -> tuple[Report, str]:
    """run_ci as the CLI calls it; on MariaDB, its scratch schema must be gone afterwards."""
    settings = resolve_settings(Overrides(config=config), environ={}, root=project)
    progress = io.StringIO()
    report = run_ci(settings, CiOptions(server_url, base_ref, 5.0, fail_on), progress)
    database = report.facts["database"]
    if database["dialect"] == "mysql":
        assert database["scratch"].startswith("sentinel_ci_")
        assert server_url is not None or config is not None
        assert database["scratch"] not in ci_schemas(server_url or mysql_server(project, config))
    return report, progress.getvalue()


def mysql_server(project: Path, config: str | None) -> str:
    settings = resolve_settings(Overrides(config=config), environ={}, root=project)
    assert settings.url is not None
    return sa.engine.make_url(settings.url).set(database="").render_as_string(hide_password=False)


def codes(report: Report) -> list[str]:
    return [finding.code for finding in report.findings]


# --- pull requests on MariaDB -------------------------------------------------------------------


def test_a_clean_pull_request_passes_and_never_touches_the_configured_database(
    repo: Path, mysql_url: str
) -> None:
    write_cfg(repo, "ci.cfg", mysql_cfg(mysql_url))
    add_party_colour_revision(repo)
    commit_all(repo, "party colour")

    # no --database-url: the scratch goes on the configured database's server
    report, progress = ci(repo, None, config="env/ci.cfg")

    assert report.findings == []
    facts = report.facts
    assert facts["status"] == "passed"
    assert facts["database"]["dialect"] == "mysql"
    assert "MariaDB" in facts["database"]["server_version"]
    assert facts["heads"] == [NEW]
    assert facts["base_ref"] == "main"
    assert facts["base_heads"] == [HEAD]
    assert facts["new_revisions"] == [
        {
            "revision": NEW,
            "message": "add partyColour to party",
            "path": f"{VERSIONS}/{NEW}_add_partyColour_to_party.py",
        }
    ]
    assert facts["edited_revisions"] == []
    upgrade = facts["upgrade"]
    assert upgrade["ok"] is True
    assert [step["revision"] for step in upgrade["base_to_base_head"]][-1] == HEAD
    assert len(upgrade["base_to_base_head"]) == 6
    assert [step["revision"] for step in upgrade["base_head_to_head"]] == [NEW]
    assert all(step["seconds"] >= 0 for step in upgrade["base_head_to_head"])
    assert upgrade["seconds"] > 0
    assert facts["round_trips"] == [
        {
            "revision": NEW,
            "downgrade_ok": True,
            "upgrade_ok": True,
            "schema_restored": True,
            "differences": [],
        }
    ]
    assert facts["drift"] == {"checked": True, "changes": [], "operations": ""}
    assert facts["lint"]["files"] == 1
    assert facts["lint"]["statements"][0]["operation"] == "add_column party.partyColour"
    [sql] = facts["sql"]
    assert sql["error"] is None
    assert "ALTER TABLE party ADD COLUMN `partyColour` VARCHAR(20);" in sql["sql"]
    assert f"[1/1] upgrade {NEW} add partyColour to party" in progress
    assert f"[1/1] downgrade {NEW}" in progress
    assert table_names(mysql_url) == set()  # the configured database: still empty


def test_a_model_change_without_a_revision_fails_with_drift(
    repo: Path, mysql_server_url: str
) -> None:
    add_party_column(repo)
    commit_all(repo, "party colour, no revision")

    report, _ = ci(repo, mysql_server_url)

    assert codes(report) == ["D401"]
    assert report.findings[0].message == "+ column party.partyColour VARCHAR(20)"
    assert report.facts["status"] == "failed"
    assert report.facts["new_revisions"] == []
    assert report.facts["round_trips"] == []
    drift = report.facts["drift"]
    assert drift["checked"] is True
    assert "op.add_column('party', sa.Column('partyColour'" in drift["operations"]


def test_a_pull_request_adding_a_second_head_fails(repo: Path, mysql_server_url: str) -> None:
    add_two_branch_heads(repo)
    commit_all(repo, "two heads")

    report, _ = ci(repo, mysql_server_url)

    assert "G101" in codes(report)
    assert report.facts["status"] == "failed"
    assert sorted(report.facts["heads"]) == ["aaaa00000001", "bbbb00000002"]
    # both branches still upgrade and round trip
    assert report.facts["upgrade"]["ok"] is True
    assert {trip["revision"] for trip in report.facts["round_trips"]} == {
        "aaaa00000001",
        "bbbb00000002",
    }


def test_a_revision_merged_on_the_base_meanwhile_is_a_collision(
    repo: Path, mysql_server_url: str
) -> None:
    git(repo, "checkout", "-q", "main")
    write_revision(repo, "ba5e00000001", "on main meanwhile", "pass")
    commit_all(repo, "main moved on")
    git(repo, "checkout", "-q", "feature")
    add_party_colour_revision(repo)
    commit_all(repo, "party colour")

    report, _ = ci(repo, mysql_server_url)

    [collision] = [f for f in report.findings if f.code == "G107"]
    assert collision.path == f"{VERSIONS}/{NEW}_add_partyColour_to_party.py"
    assert report.facts["base_heads"] == ["ba5e00000001"]
    # the branch does not have main's revision: it upgrades from what both have
    assert [s["revision"] for s in report.facts["upgrade"]["base_head_to_head"]] == [NEW]
    assert report.facts["status"] == "failed"


def test_editing_a_merged_revision_is_c501(repo: Path, mysql_server_url: str) -> None:
    edited = repo / VERSIONS / "b7e4a91c5d20_add_areatype_to_area.py"
    edited.write_text(edited.read_text().replace("length=50", "length=60"))
    commit_all(repo, "widen areaType")

    report, _ = ci(repo, mysql_server_url)

    [finding] = [f for f in report.findings if f.code == "C501"]
    assert finding.severity == "error"
    assert (finding.path, finding.line) == (f"{VERSIONS}/b7e4a91c5d20_add_areatype_to_area.py", 13)
    assert "b7e4a91c5d20 exists on main and was edited here" in finding.message
    assert report.facts["edited_revisions"] == [
        {"revision": "b7e4a91c5d20", "path": f"{VERSIONS}/b7e4a91c5d20_add_areatype_to_area.py"}
    ]
    assert report.facts["new_revisions"] == []
    assert report.facts["status"] == "failed"


@pytest.mark.parametrize(
    ("body", "message", "offline"),
    [
        ('op.execute("ALTER TABLE no_such_table ADD COLUMN x INT")', "(1146) Table", True),
        ('raise RuntimeError("not ready")', "RuntimeError: not ready", False),
    ],
)
def test_a_failing_upgrade_is_c502_at_its_line_and_the_scratch_is_dropped(
    repo: Path, mysql_url: str, body: str, message: str, offline: bool
) -> None:
    write_cfg(repo, "ci.cfg", mysql_cfg(mysql_url))
    path = write_revision(
        repo, NEW, "breaks", f"op.add_column('party', sa.Column('x', sa.Integer()))\n{body}"
    )
    commit_all(repo, "a broken revision")
    line = path.read_text().splitlines().index(f"    {body}") + 1

    report, _ = ci(repo, None, config="env/ci.cfg")

    [failure] = [f for f in report.findings if f.code == "C502"]
    assert (failure.path, failure.line) == (f"{VERSIONS}/{path.name}", line)
    assert failure.message.startswith(f"upgrade of {NEW} failed: {message}")
    assert report.facts["upgrade"]["ok"] is False
    assert [s["revision"] for s in report.facts["upgrade"]["base_to_base_head"]][-1] == HEAD
    assert report.facts["upgrade"]["base_head_to_head"] == []
    assert report.facts["drift"]["checked"] is False
    assert report.facts["round_trips"] == []
    # offline SQL needs no database: only a revision that raises by itself fails there too
    assert (report.facts["sql"][0]["sql"] is not None) is offline
    assert report.facts["status"] == "failed"
    assert table_names(mysql_url) == set()


def test_a_downgrade_that_does_not_undo_the_upgrade_is_c504_naming_what_is_left(
    repo: Path, mysql_server_url: str
) -> None:
    path = write_revision(
        repo,
        NEW,
        "index party symbol",
        'op.create_index("ix_party_symbol", "party", ["partySymbol"])',
        "pass",
    )
    commit_all(repo, "an index, no way back")

    report, _ = ci(repo, mysql_server_url)

    [mismatch] = [f for f in report.findings if f.code == "C504"]
    assert "index ix_party_symbol on party left behind" in mismatch.message
    assert mismatch.path == f"{VERSIONS}/{path.name}"
    assert mismatch.line == path.read_text().splitlines().index("def downgrade():") + 1
    [trip] = report.facts["round_trips"]
    assert trip["downgrade_ok"] is True
    assert trip["schema_restored"] is False
    assert trip["differences"][0] == "index ix_party_symbol on party left behind"
    # upgrading again meets the index it left: MariaDB refuses the duplicate
    assert trip["upgrade_ok"] is False
    assert "Duplicate key name 'ix_party_symbol'" in trip["differences"][1]
    assert report.facts["status"] == "failed"


def test_a_downgrade_that_raises_is_c503(repo: Path, mysql_server_url: str) -> None:
    add_party_column(repo)
    path = write_revision(
        repo,
        NEW,
        "add partyColour to party",
        'op.add_column("party", sa.Column("partyColour", sa.String(length=20), nullable=True))',
        'op.drop_column("party", "noSuchColumn")',
    )
    commit_all(repo, "a downgrade that cannot run")

    report, _ = ci(repo, mysql_server_url)

    [failure] = [f for f in report.findings if f.code == "C503"]
    assert failure.path == f"{VERSIONS}/{path.name}"
    assert failure.line == path.read_text().splitlines().index("def downgrade():") + 2
    assert failure.message.startswith(f"downgrade of {NEW} failed: (1091)")
    assert report.facts["round_trips"][0]["downgrade_ok"] is False


def test_a_data_migration_has_no_offline_sql_but_passes(repo: Path, mysql_server_url: str) -> None:
    write_revision(
        repo,
        NEW,
        "tidy party symbols",
        "session = Session(bind=op.get_bind())\n"
        'session.execute(sa.text("UPDATE party SET partySymbol = TRIM(partySymbol)"))',
        "pass",
    )
    commit_all(repo, "a data migration")

    report, _ = ci(repo, mysql_server_url)

    [notice] = [f for f in report.findings if f.code == "C505"]
    assert notice.severity == "notice"
    assert "its data fill reads or writes rows through the connection" in notice.message
    assert "MockConnection" not in notice.message  # said in words, not Alembic's internals
    [sql] = report.facts["sql"]
    assert sql["sql"] is None and sql["error"]
    assert report.facts["upgrade"]["ok"] is True
    assert report.facts["round_trips"][0]["schema_restored"] is True
    assert not report.errors
    assert report.facts["status"] == "passed"


def test_a_run_that_stops_on_a_configuration_error_still_drops_its_scratch(
    repo: Path, mysql_server_url: str
) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.alembic-sentinel]\nmigrations = "migrations"\n'
        'metadata = "no_such_module:Base.metadata"\n'
    )
    progress = io.StringIO()

    with pytest.raises(ConfigError, match="cannot import 'no_such_module'"):
        run_ci(
            resolve_settings(environ={}, root=repo),
            CiOptions(mysql_server_url, "main"),
            progress,
        )

    [name] = re.findall(r"scratch (sentinel_ci_[0-9a-f]{8})", progress.getvalue())
    assert name not in ci_schemas(mysql_server_url)


def test_an_unreachable_server_is_database_unreachable_without_the_password(repo: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseUnreachable) as raised:
        run_ci(
            resolve_settings(environ={}, root=repo),
            CiOptions("mysql+pymysql://root:s3cret@127.0.0.1:9/", "main", wait_seconds=1),
            io.StringIO(),
        )
    assert time.monotonic() - started < 5
    message = raised.value.message
    assert raised.value.exit_code == 3
    assert "\n" not in message
    assert "s3cret" not in message
    assert message.startswith("cannot connect to mysql+pymysql://root:***@127.0.0.1:9/")


def test_a_wrong_password_fails_at_once_instead_of_waiting(repo: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseUnreachable) as raised:
        run_ci(
            resolve_settings(environ={}, root=repo),
            CiOptions("mysql+pymysql://nobody:s3cret@127.0.0.1:3306/", None, wait_seconds=30),
            io.StringIO(),
        )
    assert time.monotonic() - started < 5
    assert "Access denied for user 'nobody'" in raised.value.message
    assert "s3cret" not in raised.value.message


def test_a_database_url_with_an_unknown_driver_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(ConfigError, match="--database-url: SQLAlchemy has no dialect"):
        run_ci(
            resolve_settings(environ={}, root=repo),
            CiOptions("mysql+nosuchdriver://root@127.0.0.1/", None),
            io.StringIO(),
        )


# --- SQLite, no base ----------------------------------------------------------------------------


def test_a_clean_pull_request_on_a_scratch_sqlite_file(repo: Path) -> None:
    add_party_colour_revision(repo)
    commit_all(repo, "party colour")

    report, _ = ci(repo, None)  # no URL configured: SQLite

    assert report.findings == []
    assert report.facts["database"]["dialect"] == "sqlite"
    assert report.facts["database"]["scratch"].startswith("sentinel_ci_")
    assert report.facts["round_trips"][0]["schema_restored"] is True
    assert report.facts["status"] == "passed"


def test_without_a_base_only_the_graph_the_full_upgrade_and_drift_run(repo: Path) -> None:
    add_party_colour_revision(repo)

    report, progress = ci(repo, None, base_ref=None)

    facts = report.facts
    assert report.findings == []
    assert facts["base_ref"] is None and facts["base_heads"] == []
    assert facts["new_revisions"] == [] and facts["edited_revisions"] == []
    assert facts["upgrade"]["base_to_base_head"] == []
    assert len(facts["upgrade"]["base_head_to_head"]) == 7
    assert facts["drift"]["checked"] is True
    assert facts["round_trips"] == [] and facts["sql"] == []
    assert facts["lint"] == {"files": 0, "statements": []}
    assert "[7/7] upgrade" in progress


def test_without_metadata_drift_is_a_notice(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')

    report, _ = ci(repo, None, base_ref=None)

    assert codes(report) == ["C506"]
    assert report.facts["drift"]["checked"] is False
    assert report.facts["status"] == "passed"


# --- fail_on --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "status"), [("error", "passed"), ("warning", "failed"), ("never", "passed")]
)
def test_fail_on_decides_whether_warnings_fail(repo: Path, fail_on: str, status: str) -> None:
    write_revision(repo, NEW, "nothing yet", "pass")  # an empty upgrade: a lint warning
    commit_all(repo, "an empty revision")

    report, _ = ci(repo, None, fail_on=fail_on)

    assert report.findings and not report.errors
    assert report.facts["status"] == status


def test_a_suppressed_lint_finding_is_counted_in_the_report_not_hidden(repo: Path) -> None:
    path = write_revision(repo, NEW, "nothing yet", "pass")  # an empty upgrade: L317
    path.write_text(
        path.read_text().replace(
            "nothing yet\n", "nothing yet\n\nsentinel: ignore[L317] -- a placeholder\n", 1
        )
    )
    commit_all(repo, "an empty revision, on purpose")

    report, _ = ci(repo, None)

    assert "L317" not in [finding.code for finding in report.findings]
    assert [s.finding.code for s in report.suppressed or []] == ["L317"]


def test_an_unknown_fail_on_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(ConfigError, match="--fail-on: expected one of error, warning, never"):
        run_ci(
            resolve_settings(environ={}, root=repo),
            CiOptions(None, None, 1, "sometimes"),
            io.StringIO(),
        )


def test_fail_on_never_passes_even_with_errors(repo: Path) -> None:
    add_party_column(repo)
    commit_all(repo, "party colour, no revision")

    report, _ = ci(repo, None, fail_on="never")

    assert report.errors
    assert report.facts["status"] == "passed"


# --- the pure parts -------------------------------------------------------------------------------


def test_new_and_edited_revisions_are_told_apart_by_id_and_bytes() -> None:
    def rev(revision: str, down: str | None) -> RevisionFile:
        return RevisionFile(f"v/{revision}.py", revision, (down,) if down else ())

    base = ReadResult([rev("a", None), rev("b", "a")])
    ours = ReadResult([rev("a", None), rev("b", "a"), rev("d", "c"), rev("c", "b")])
    digests = {"v/a.py": git_blob_id(b"a"), "v/b.py": git_blob_id(b"b")}

    changes = compare(ours, base, {**digests, "v/b.py": git_blob_id(b"b, edited")}, digests)

    assert [r.revision for r in changes.new] == ["c", "d"]  # upgrade order
    assert [r.revision for r in changes.edited] == ["b"]
    assert changes.shared_heads == ["b"]


def test_the_git_blob_id_is_gits() -> None:
    assert git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_the_wait_backs_off_from_half_a_second_to_five_seconds() -> None:
    assert list(itertools.islice(backoff_delays(), 7)) == [0.5, 1, 2, 4, 5, 5, 5]


def test_schema_differences_read_as_one_line_each() -> None:
    before = {("table", "party", "party"): "", ("column", "party", "id"): "int(11) NOT NULL"}
    after = {
        **before,
        ("column", "party", "id"): "bigint(20) NOT NULL",
        ("index", "party", "ix_party_code"): "(code)",
        ("table", "extra", "extra"): "",
        ("column", "extra", "id"): "int(11) NOT NULL",
    }

    assert differences(before, after) == [
        "column party.id is bigint(20) NOT NULL, was int(11) NOT NULL",
        "index ix_party_code on party left behind",
        "table extra left behind",
    ]
    assert differences(after, before) == [
        "column party.id is int(11) NOT NULL, was bigint(20) NOT NULL",
        "index ix_party_code on party missing",
        "table extra missing",
    ]
