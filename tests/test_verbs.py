"""Every CLI verb on both backends (SQLite file, MariaDB schema), run as a user runs it."""

from __future__ import annotations

from pathlib import Path

from conftest import (
    BRANCH_HEADS,
    HEAD,
    INITIAL_REVISION,
    ISLISTED_REVISION,
    ScratchDatabases,
    add_party_column,
    add_two_branch_heads,
    revision_files,
    run_cli,
    table_names,
)

REFERENCE_TABLES = {"alembic_version", "election", "area", "party", "candidate"}


def test_upgrade_brings_an_empty_database_to_head_with_progress(
    project: Path, database_url: str
) -> None:
    result = run_cli(project, "--url", database_url, "upgrade")
    assert result.code == 0, result.output
    assert table_names(database_url) == REFERENCE_TABLES
    assert f"to {HEAD}" in result.out
    progress = [line for line in result.err.splitlines() if line.startswith("[")]
    assert progress[0].startswith(f"[1/6] upgrade {INITIAL_REVISION} initial schema")
    assert progress[-1].startswith(f"[6/6] upgrade {HEAD} add electionId to candidate")


def test_upgrade_to_a_named_revision_then_current_shows_it(
    project: Path, database_url: str
) -> None:
    assert run_cli(project, "--url", database_url, "upgrade", ISLISTED_REVISION).code == 0
    current = run_cli(project, "--url", database_url, "current")
    assert current.code == 0, current.output
    assert current.out.strip() == f"{ISLISTED_REVISION} add isListed to election"
    assert "candidate" not in table_names(database_url)


def test_upgrade_at_head_changes_nothing(project: Path, database_url: str) -> None:
    assert run_cli(project, "--url", database_url, "upgrade").code == 0
    again = run_cli(project, "--url", database_url, "upgrade")
    assert again.code == 0
    assert "nothing to upgrade" in again.out
    assert "[1/" not in again.err


def test_current_on_a_database_alembic_never_touched(project: Path, mysql_url: str) -> None:
    result = run_cli(project, "--url", mysql_url, "current")
    assert result.code == 0, result.output
    assert "no revision applied" in result.out


def test_current_marks_head(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    result = run_cli(project, "--url", database_url, "current")
    assert result.out.strip() == f"{HEAD} (head) add electionId to candidate"


def test_downgrade_to_base_leaves_only_the_version_table(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    result = run_cli(project, "--url", database_url, "downgrade", "base")
    assert result.code == 0, result.output
    assert table_names(database_url) == {"alembic_version"}
    assert "[6/6] downgrade" in result.err
    assert run_cli(project, "--url", database_url, "upgrade").code == 0
    assert table_names(database_url) == REFERENCE_TABLES


def test_downgrade_one_step(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    result = run_cli(project, "--url", database_url, "downgrade", "-1")
    assert result.code == 0, result.output
    assert "d21f6c8e4b13" in run_cli(project, "--url", database_url, "current").out


def test_heads_and_history_need_no_database(project: Path) -> None:
    heads = run_cli(project, "heads")
    assert heads.code == 0, heads.output
    assert heads.out.strip() == f"{HEAD} (head) add electionId to candidate"
    history = run_cli(project, "history")
    assert history.code == 0
    lines = history.out.splitlines()
    assert lines[0].startswith(f"d21f6c8e4b13 -> {HEAD} (head)")
    assert lines[-1] == f"<base> -> {INITIAL_REVISION}, initial schema"
    assert any("(mergepoint)" in line for line in lines)


def test_check_is_clean_for_the_reference_app_at_head(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    result = run_cli(project, "--url", database_url, "check")
    assert result.code == 0, result.output
    assert "no changes" in result.out


def test_check_reports_a_model_change_without_a_revision(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    add_party_column(project)
    result = run_cli(project, "--url", database_url, "check")
    assert result.code == 1, result.output
    assert "+ column party.partyColour VARCHAR(20)" in result.out
    assert "alembic-sentinel migrate" in result.out


def test_check_does_not_care_where_the_configured_database_is(
    project: Path, database_url: str
) -> None:
    # the drift check migrates its own shadow database; the configured one stays behind head
    run_cli(project, "--url", database_url, "upgrade", ISLISTED_REVISION)
    result = run_cli(project, "--url", database_url, "check")
    assert result.code == 0, result.output
    current = run_cli(project, "--url", database_url, "current")
    assert current.out.startswith(ISLISTED_REVISION)


def test_migrate_writes_one_revision_for_a_model_change_then_nothing(
    project: Path, database_url: str
) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    before = revision_files(project)
    add_party_column(project)
    result = run_cli(project, "--url", database_url, "migrate", "-m", "add party colour")
    assert result.code == 0, result.output
    new = revision_files(project) - before
    assert len(new) == 1
    (new_file,) = new
    text = (project / "migrations" / "versions" / new_file).read_text()
    assert "op.add_column" in text and "partyColour" in text
    assert f"down_revision = '{HEAD}'" in text
    assert f"wrote migrations/versions/{new_file}" in result.out
    assert "+ column party.partyColour" in result.out

    assert run_cli(project, "--url", database_url, "upgrade").code == 0
    again = run_cli(project, "--url", database_url, "migrate", "-m", "nothing")
    assert again.code == 0, again.output
    assert "no revision written" in again.out
    assert revision_files(project) == before | new


def test_migrate_without_changes_writes_nothing(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade")
    before = revision_files(project)
    result = run_cli(project, "--url", database_url, "migrate")
    assert result.code == 0, result.output
    assert revision_files(project) == before


def test_migrate_refuses_when_the_database_is_not_at_head(project: Path, database_url: str) -> None:
    run_cli(project, "--url", database_url, "upgrade", ISLISTED_REVISION)
    before = revision_files(project)
    add_party_column(project)
    result = run_cli(project, "--url", database_url, "migrate", "-m", "x")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert f"is at {ISLISTED_REVISION}, not at head {HEAD}" in result.err
    assert revision_files(project) == before


def test_merge_heads_after_two_branches_add_revisions(project: Path) -> None:
    versions = add_two_branch_heads(project)
    heads = run_cli(project, "heads")
    assert heads.code == 1
    assert heads.out.startswith("aaaa00000001 (head) branch one\nbbbb00000002 (head) branch two\n")
    assert heads.out.count("G101") == 2
    before = revision_files(project)
    result = run_cli(project, "merge", "heads")
    assert result.code == 0, result.output
    (merge_file,) = revision_files(project) - before
    text = (versions / merge_file).read_text()
    assert "('aaaa00000001', 'bbbb00000002')" in text
    assert f"wrote migrations/versions/{merge_file}" in result.out
    after = run_cli(project, "heads")
    assert after.code == 0, after.output
    assert after.out.count("(head)") == 1


def test_merge_heads_with_a_single_head_writes_nothing(project: Path) -> None:
    before = revision_files(project)
    result = run_cli(project, "merge", "heads")
    assert result.code == 0
    assert f"nothing to merge: single head {HEAD}" in result.out
    assert revision_files(project) == before


def test_merge_named_revisions(project: Path) -> None:
    add_two_branch_heads(project)
    before = revision_files(project)
    result = run_cli(project, "merge", *BRANCH_HEADS, "-m", "again")
    assert result.code == 0, result.output
    (new,) = revision_files(project) - before
    assert new.endswith("_again.py")


def test_merge_with_one_revision_is_a_usage_error(project: Path) -> None:
    result = run_cli(project, "merge", HEAD)
    assert result.code == 2
    assert "merge needs `heads` or at least two revisions" in result.err


def test_create_then_drop_a_mysql_database(project: Path, scratch_mysql: ScratchDatabases) -> None:
    url = scratch_mysql.create()
    name = url.rsplit("/", 1)[1]
    scratch_mysql.drop_all()  # start from "does not exist"; the fixture drops it again later
    scratch_mysql.names.append(name)
    created = run_cli(project, "--url", url, "create-database")
    assert created.code == 0, created.output
    assert f"created database {name!r}" in created.out
    assert scratch_mysql.exists(name)
    again = run_cli(project, "--url", url, "create-database")
    assert "already exists" in again.out
    dropped = run_cli(project, "--url", url, "drop-database", "--yes")
    assert dropped.code == 0, dropped.output
    assert not scratch_mysql.exists(name)


def test_create_then_drop_an_sqlite_database(project: Path) -> None:
    path = project / "made.db"
    url = f"sqlite:///{path}"
    assert run_cli(project, "--url", url, "create-database").code == 0
    assert path.exists()
    assert run_cli(project, "--url", url, "drop-database", "--yes").code == 0
    assert not path.exists()
    gone = run_cli(project, "--url", url, "drop-database", "--yes")
    assert gone.code == 0
    assert "nothing dropped" in gone.out


def test_settings_shows_the_data_and_rollout_settings_with_their_sources(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + 'data-rows = {"party" = 500}\ntable-stats = "stats.json"\nlock-timeout = 5\n'
    )
    result = run_cli(project, "settings", env={"ENV_CONFIG": "./env/dev.cfg"})
    assert result.code == 0, result.output
    rows = {line.split()[0]: line for line in result.out.splitlines()}
    assert "party=500" in rows["data_rows"] and "data-rows]" in rows["data_rows"]
    assert "stats.json" in rows["table_stats"]
    assert "5 s" in rows["lock_timeout"] and "lock-timeout" in rows["lock_timeout"]
    assert "10" in rows["max_blocking_seconds"] and "[default]" in rows["max_blocking_seconds"]


def test_a_database_at_another_branchs_revision_is_one_explanation_in_every_verb(
    project: Path,
) -> None:
    """The developer's database was upgraded on another branch: every verb names the revision
    and what to run, instead of Alembic's "Can't locate revision identified by ..."."""
    env = {"ENV_CONFIG": "./env/dev.cfg"}
    assert run_cli(project, "upgrade", env=env).code == 0
    other = project / "migrations" / "versions" / "0b0b0b0b0b0b_other_branch.py"
    other.write_text(
        '"""on another branch"""\nrevision = "0b0b0b0b0b0b"\n'
        'down_revision = "e5a9c3f7d812"\n\n\ndef upgrade():\n    pass\n\n\n'
        "def downgrade():\n    pass\n"
    )
    assert run_cli(project, "upgrade", env=env).code == 0
    other.unlink()  # back on this branch: the file is gone, the database is still there

    for verb in (["current"], ["upgrade"], ["downgrade", "-1"], ["migrate", "-m", "x"]):
        result = run_cli(project, *verb, env=env)
        assert result.code == 1, (verb, result.output)
        [line] = result.err.strip().splitlines()
        assert "is at 0b0b0b0b0b0b, which is not in this history" in line, verb
        assert "Can't locate" not in result.output
