"""The drift check on a shadow database: right answers, a cache that is never wrong, no harm."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import (
    add_party_column,
    mysql_cfg,
    query,
    revision_files,
    run_cli,
    write_cfg,
)

from alembic_sentinel.drift.shadow import (
    ShadowState,
    project_identity,
    read_state,
    write_state,
)
from alembic_sentinel.settings import resolve_settings

SHADOW_LIKE = "sentinel\\_shadow\\_"


def shadow_schemas(server_url: str, project: Path) -> set[str]:
    """This project's shadow schemas (other projects' checks may run on the same server)."""
    identity = project_identity(resolve_settings(root=project, database=False))
    rows = query(
        server_url,
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE :p",
        p=SHADOW_LIKE + identity + "%",
    )
    return {str(row[0]) for row in rows}


@pytest.fixture
def configured(request: pytest.FixtureRequest, project: Path) -> Iterator[str]:
    """The project's configured database, at head: an SQLite file or a MariaDB scratch schema."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        url = f"sqlite:///{project / 'configured.db'}"
        write_cfg(project, "dev.cfg", f'SQLALCHEMY_DATABASE_URI = "{url}"\n')
    else:
        url = str(request.getfixturevalue("mysql_url"))
        write_cfg(project, "dev.cfg", mysql_cfg(url))
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('config = "env/dev.cfg"\n')
    yield url
    # the cached shadow schema belongs to this throwaway project: leave nothing on the server
    run_cli(project, "cache", "clear")


both_backends = pytest.mark.parametrize("configured", ["sqlite", "mariadb"], indirect=True)


def check(project: Path, *args: str) -> tuple[int, dict[str, object], str]:
    result = run_cli(project, "check", "--format", "json", *args)
    document = json.loads(result.out) if result.out.startswith("{") else {}
    return result.code, document, result.err


@both_backends
def test_the_reference_app_has_no_drift(project: Path, configured: str) -> None:
    code, document, err = check(project)
    assert code == 0, err
    assert document["changes"] == []
    assert document["findings"] == []


@both_backends
def test_a_model_change_without_a_revision_is_shown_as_op_code(
    project: Path, configured: str
) -> None:
    add_party_column(project)
    result = run_cli(project, "check")
    assert result.code == 1, result.output
    assert "+ column party.partyColour VARCHAR(20)" in result.out
    assert "sa.Column('partyColour', sa.String(length=20), nullable=True)" in result.out
    assert 'fix: alembic-sentinel migrate -m "describe the change"' in result.out

    assert run_cli(project, "upgrade").code == 0
    assert run_cli(project, "migrate", "-m", "party colour").code == 0
    code, document, err = check(project)
    assert code == 0, (err, document)


@both_backends
def test_the_configured_database_is_byte_for_byte_unchanged(project: Path, configured: str) -> None:
    assert run_cli(project, "upgrade").code == 0
    query(configured, "INSERT INTO party (partyName) VALUES ('Blue')")
    before = database_fingerprint(configured)
    add_party_column(project)
    assert run_cli(project, "check").code == 1
    assert run_cli(project, "check", "--no-cache").code == 1
    assert database_fingerprint(configured) == before


def database_fingerprint(url: str) -> list[object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            tables = sorted(inspector.get_table_names())
            rows: list[object] = [tables]
            for table in tables:
                rows.append(
                    [tuple(r) for r in connection.execute(sa.text(f"SELECT * FROM {table}"))]
                )
                if connection.dialect.name != "sqlite":
                    rows.append(
                        tuple(connection.exec_driver_sql(f"CHECKSUM TABLE `{table}`").one())
                    )
                    rows.append(connection.exec_driver_sql(f"SHOW CREATE TABLE `{table}`").one()[1])
                else:
                    rows.append(
                        connection.execute(
                            sa.text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": table}
                        ).scalar()
                    )
            return rows
    finally:
        engine.dispose()


def test_the_cache_applies_only_new_revisions_and_rebuilds_after_an_edit(
    project: Path, configured: str
) -> None:
    code, first, _ = check(project)
    assert code == 0 and first["shadow_rebuilt"] is True
    code, second, _ = check(project)
    assert code == 0 and second["shadow_rebuilt"] is False

    # a new revision on top: applied to the cached shadow, no rebuild
    add_party_column(project)
    run_cli(project, "upgrade")
    before = revision_files(project)
    assert run_cli(project, "migrate", "-m", "party colour").code == 0
    code, third, err = check(project)
    assert code == 0, err
    assert third["shadow_rebuilt"] is False

    # an applied revision edited: the cache cannot be trusted, the shadow is rebuilt
    (new_file,) = revision_files(project) - before
    path = project / "migrations" / "versions" / new_file
    # a new size too: Python's bytecode cache checks a source by its size and its mtime in
    # whole seconds, so an edit of the same size within that second would run the old code
    path.write_text(path.read_text().replace("sa.String(length=20)", "sa.String(length=300)"))
    code, fourth, _ = check(project)
    assert fourth["shadow_rebuilt"] is True
    assert code == 1  # the edited revision now disagrees with the model
    assert fourth["changes"] == ["~ type party.partyColour: VARCHAR(300) -> VARCHAR(20)"]


def test_a_removed_revision_rebuilds_the_shadow(project: Path, configured: str) -> None:
    add_party_column(project)
    run_cli(project, "upgrade")
    before = revision_files(project)
    run_cli(project, "migrate", "-m", "party colour")
    assert check(project)[0] == 0
    (new_file,) = revision_files(project) - before
    (project / "migrations" / "versions" / new_file).unlink()
    code, document, _ = check(project)
    assert document["shadow_rebuilt"] is True
    assert code == 1
    assert document["changes"] == ["+ column party.partyColour VARCHAR(20)"]


@pytest.mark.parametrize("configured", ["mariadb"], indirect=True)
def test_a_tampered_or_foreign_mysql_shadow_is_rebuilt(
    project: Path, configured: str, mysql_server_url: str
) -> None:
    before = shadow_schemas(mysql_server_url, project)
    assert check(project)[0] == 0
    (shadow,) = shadow_schemas(mysql_server_url, project) - before
    try:
        shadow_url = sa.engine.make_url(mysql_server_url).set(database=shadow)
        url = shadow_url.render_as_string(hide_password=False)
        query(url, "DROP TABLE candidate")  # someone dropped a table in the shadow
        code, document, _ = check(project)
        assert code == 0 and document["shadow_rebuilt"] is True

        query(url, "UPDATE sentinel_shadow_state SET state = '{not json'")
        code, document, _ = check(project)
        assert code == 0 and document["shadow_rebuilt"] is True

        query(
            url, "UPDATE sentinel_shadow_state SET state = REPLACE(state, 'alembic-sentinel', 'x')"
        )
        code, document, _ = check(project)
        assert code == 0 and document["shadow_rebuilt"] is True
    finally:
        assert run_cli(project, "cache", "clear").code == 0
    assert shadow not in shadow_schemas(mysql_server_url, project)


@pytest.mark.parametrize("configured", ["mariadb"], indirect=True)
def test_four_concurrent_checks_agree_and_leave_no_stray_schemas(
    project: Path, configured: str, mysql_server_url: str
) -> None:
    before = shadow_schemas(mysql_server_url, project)
    add_party_column(project)
    for extra in ([], ["--no-cache"]):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "alembic_sentinel", "check", "--format", "json", *extra],
                cwd=project,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
        for code, out, err in results:
            assert code == 1, err
            assert json.loads(out)["changes"] == ["+ column party.partyColour VARCHAR(20)"]
    # the cached shadow of this project is the only schema the checks leave
    left = shadow_schemas(mysql_server_url, project) - before
    assert len(left) == 1
    assert run_cli(project, "cache", "clear").code == 0
    assert shadow_schemas(mysql_server_url, project) - before == set()


def test_no_cache_leaves_nothing_behind_on_sqlite(project: Path, configured: str) -> None:
    code, document, _ = check(project, "--no-cache")
    assert code == 0
    shadow_dir = Path(str(document["shadow"]).replace("sqlite:///", "")).parent
    assert list(shadow_dir.glob("*.sqlite3")) == []


def test_without_any_configured_database_the_shadow_is_sqlite(project: Path) -> None:
    code, document, err = check(project)
    assert code == 0, err
    assert str(document["shadow"]).startswith("sqlite:///")


def test_check_needs_the_metadata(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    result = run_cli(project, "check")
    assert result.code == 2
    assert "no target metadata configured" in result.err


def test_an_unreachable_shadow_server_is_exit_3(project: Path) -> None:
    result = run_cli(
        project, "check", "--shadow-url", "mysql+pymysql://root:pw-s3cret@127.0.0.1:1/"
    )
    assert result.code == 3
    assert "pw-s3cret" not in result.output
    assert result.err.count("\n") == 1


def test_include_object_and_include_name_from_settings_are_honoured(project: Path) -> None:
    add_party_column(project)
    (project / "sentinel_filters.py").write_text(
        "def skip_colour(obj, name, type_, reflected, compare_to):\n"
        "    return name != 'partyColour'\n\n\n"
        "def skip_area(name, type_, parent_names):\n"
        "    return not (type_ == 'table' and name == 'area')\n"
    )
    assert check(project)[0] == 1
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('include-object = "sentinel_filters:skip_colour"\n')
    code, document, err = check(project)
    assert code == 0, (err, document)

    # include_name hides the reflected `area` table, so the model's `area` looks new
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('include-name = "sentinel_filters:skip_area"\n')
    code, document, _ = check(project)
    assert code == 1
    assert document["changes"] == ["+ table area"]


def test_an_include_filter_that_is_not_a_function_is_a_config_error(project: Path) -> None:
    (project / "sentinel_filters.py").write_text("NOT_A_FUNCTION = 3\n")
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('include-object = "sentinel_filters:NOT_A_FUNCTION"\n')
    result = run_cli(project, "check")
    assert result.code == 2
    assert result.err == (
        "alembic-sentinel: error: pyproject.toml [tool.alembic-sentinel] include-object: "
        "sentinel_filters:NOT_A_FUNCTION is a int, not a function\n"
    )


def test_the_state_of_a_long_history_fits_on_mysql(mysql_url: str) -> None:
    # ~86 bytes per revision: 2,000 revisions are far past MySQL's 64 KiB TEXT
    state = ShadowState("stamp", {f"{i:012x}": "ab" * 32 for i in range(2000)}, "schema")
    engine = sa.create_engine(mysql_url)
    try:
        with engine.connect() as connection:
            write_state(connection, state)
            assert read_state(connection) == state
    finally:
        engine.dispose()


@pytest.mark.parametrize("configured", ["sqlite", "mariadb"], indirect=True)
def test_cache_clear_says_what_it_dropped_and_nothing_it_did_not(
    project: Path, configured: str
) -> None:
    never_checked = run_cli(project, "cache", "clear")
    assert never_checked.code == 0, never_checked.output
    assert never_checked.out.startswith("nothing to clear: no shadow database ")
    assert "dropped" not in never_checked.out

    assert run_cli(project, "check").code == 0
    cleared = run_cli(project, "cache", "clear")
    assert cleared.out.startswith("dropped the shadow database "), cleared.output
    assert cleared.out.rstrip().endswith(" and the parse cache")
    again = run_cli(project, "cache", "clear")
    assert again.out.startswith("nothing to clear"), again.output
