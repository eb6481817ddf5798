"""Issue 20, round 32 (fix32b-data): what a revision shows about the rows it changes.

L302: a rename that restates NOT NULL on both sides; L305: a column whose link a join wrote down
elsewhere (the lookup id filled through it); L308: rows moved off a removed Enum value by a Core
UPDATE run once per parameter row; L314: an `except ValueError:` handler of SQLite's batch path
that MySQL never reaches; a table's character set from `mysql_CHARSET=` in any letter case.
Fixtures are our own snippets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import CreateTable
from test_lint_histories import chained, codes, lint
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.report.model import Finding


def history(tmp_path: Path, sources: list[str], code: str) -> list[Finding]:
    """The `code` findings of the last of a chain of complete revision files."""
    tmp_path.mkdir(exist_ok=True)
    down = "a8a2fc4e4c77"
    for number, source in enumerate(sources):
        revision_id = f"e5{number:010d}"
        (tmp_path / f"{revision_id}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [f for f in result.findings if f.code == code and f.path == f"{down}.py"]


# --- L302: a rename restating NOT NULL, the downgrade renaming it back NOT NULL -------------

RENAME_UP = (
    'op.alter_column("shipment", "sent_on", new_column_name="dispatched_at", '
    "existing_type=sa.Date(), nullable=False)"
)


@pytest.mark.parametrize(
    ("upgrade", "downgrade", "flagged"),
    [
        (
            RENAME_UP,
            'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
            "existing_type=sa.Date(), nullable=False)",
            False,
        ),
        (
            RENAME_UP,
            'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
            "existing_type=sa.Date(), existing_nullable=False)",
            False,
        ),
        (
            RENAME_UP,
            'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
            "existing_type=sa.Date(), nullable=True)",
            True,
        ),
        (
            RENAME_UP,
            'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
            "existing_type=sa.Date())",
            True,
        ),
        # round r40: nothing shows the old column nullable (no alter back to it, or the
        # downgrade leaves the new name): a rename restating NOT NULL with its type, no L302
        (RENAME_UP, 'op.drop_column("shipment", "note")', False),
        (
            RENAME_UP,
            'op.alter_column("shipment", "dispatched_at", existing_type=sa.Date(), nullable=False)',
            False,
        ),
        (
            # the renamed column was added nullable by this upgrade
            'op.add_column("shipment", sa.Column("sent_on", sa.Date(), nullable=True))\n'
            + RENAME_UP,
            'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
            "existing_type=sa.Date(), nullable=False)\n"
            'op.drop_column("shipment", "sent_on")',
            True,
        ),
        (
            # no type stated: not MySQL's CHANGE restating the column (PostgreSQL's RENAME and
            # SET NOT NULL, the downgrade's words copied from the upgrade's)
            'op.alter_column("shipment", "sent_on", new_column_name="dispatched_at", '
            "nullable=False)",
            'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
            "nullable=False)",
            True,
        ),
    ],
    ids=[
        "back-not-null",
        "back-existing-not-null",
        "back-nullable",
        "back-silent",
        "no-alter-back",
        "not-renamed-back",
        "added-here",
        "no-type-stated",
    ],
)
def test_not_null_restated_by_a_rename_and_its_inverse(
    upgrade: str, downgrade: str, flagged: bool
) -> None:
    assert ("L302" in codes(revision(upgrade, downgrade))) is flagged


def test_a_rename_restated_both_ways_of_a_column_the_history_shows_nullable(
    tmp_path: Path,
) -> None:
    renames = revision(
        RENAME_UP,
        'op.alter_column("shipment", "dispatched_at", new_column_name="sent_on", '
        "existing_type=sa.Date(), nullable=False)",
    )
    created = 'op.create_table("shipment", sa.Column("sent_on", sa.Date(), nullable={}))'
    nullable = revision(created.format("True"), 'op.drop_table("shipment")')
    assert len(history(tmp_path / "a", [nullable, renames], "L302")) == 1
    not_null = revision(created.format("False"), 'op.drop_table("shipment")')
    assert history(tmp_path / "b", [not_null, renames], "L302") == []


# --- L305: the link a join wrote down before the column is dropped ------------------------

DROPS_REGION = revision('op.drop_column("hosts", "region")')
REGION_TABLES = """
hosts = sa.table("hosts", sa.column("region"), sa.column("region_id"), sa.column("zone_id"))
regions = sa.table("regions", sa.column("id"), sa.column("name"))
"""


def _filled(body: str, header: str = "") -> str:
    return revision(
        'op.add_column("hosts", sa.Column("region_id", sa.Integer(), nullable=True))\n' + body,
        'op.drop_column("hosts", "region_id")',
        header=header,
    )


@pytest.mark.parametrize(
    "fill",
    [
        'op.execute("UPDATE hosts JOIN regions USING (region) SET hosts.region_id = regions.id")',
        'op.execute("UPDATE hosts h JOIN regions r ON h.region = r.name SET h.region_id = r.id")',
        'op.execute("UPDATE hosts h INNER JOIN regions r ON r.name = h.region AND r.id > 0 '
        'SET h.region_id = r.id")',
        'op.execute("UPDATE hosts, regions SET hosts.region_id = regions.id '
        'WHERE regions.name = hosts.region")',
        'op.execute("UPDATE hosts SET region_id = (SELECT r.id FROM regions r '
        'WHERE r.name = hosts.region)")',
        'op.execute("UPDATE hosts SET region_id = r.id FROM regions r '
        'WHERE r.name = hosts.region")',
    ],
    ids=["using", "on", "on-reversed-and", "comma-where", "scalar-subquery", "update-from"],
)
def test_a_lookup_filled_through_the_column_carries_it(tmp_path: Path, fill: str) -> None:
    assert history(tmp_path, [_filled(fill), DROPS_REGION], "L305") == []


def test_a_core_lookup_matched_by_the_column_carries_it(tmp_path: Path) -> None:
    fill = (
        "op.execute(hosts.update().values(region_id=regions.c.id)"
        ".where(regions.c.name == hosts.c.region))"
    )
    assert history(tmp_path, [_filled(fill, REGION_TABLES), DROPS_REGION], "L305") == []


@pytest.mark.parametrize(
    "fill",
    [
        # a constant written: the join's match is not kept
        'op.execute("UPDATE hosts h JOIN regions r ON h.region = r.name SET h.zone_id = 1")',
        # the join is on another column
        'op.execute("UPDATE hosts h JOIN regions r ON h.zone_id = r.id SET h.region_id = r.id")',
        # the value is the row's own
        'op.execute("UPDATE hosts h JOIN regions r ON h.region = r.name '
        'SET h.region_id = h.zone_id")',
        # the column is only compared with a constant
        "op.execute(\"UPDATE hosts SET region_id = 1 WHERE region = 'eu'\")",
    ],
    ids=["constant", "other-key", "own-value", "where-constant"],
)
def test_a_join_that_writes_no_link_through_the_column_keeps_l305(
    tmp_path: Path, fill: str
) -> None:
    assert len(history(tmp_path, [_filled(fill), DROPS_REGION], "L305")) == 1


def test_a_core_update_matched_by_another_column_keeps_l305(tmp_path: Path) -> None:
    fill = (
        "op.execute(hosts.update().values(region_id=regions.c.id)"
        ".where(regions.c.id == hosts.c.zone_id))"
    )
    assert len(history(tmp_path, [_filled(fill, REGION_TABLES), DROPS_REGION], "L305")) == 1


MOVES_TASK_LINKS = revision(
    """
    op.execute(
        \"\"\"
        INSERT INTO task_links (task_id, target_id, target_kind)
        SELECT t.id, o.target_id, o.target_kind
        FROM tasks AS t LEFT JOIN objects AS o ON t.object_ref = o.id
        WHERE t.object_ref IS NOT NULL
        \"\"\"
    )
    """
)
DROPS_TASK_LINK = revision('op.drop_column("tasks", "object_ref")')


def test_an_insert_select_over_the_join_carries_the_link(tmp_path: Path) -> None:
    assert history(tmp_path, [MOVES_TASK_LINKS, DROPS_TASK_LINK], "L305") == []


@pytest.mark.parametrize(
    "select",
    [
        # only the joined table's values: which task they belonged to is lost
        "SELECT o.target_id, o.target_kind FROM tasks AS t JOIN objects AS o "
        "ON t.object_ref = o.id",
        # joined by another column
        "SELECT t.id, o.target_id, o.target_kind FROM tasks AS t JOIN objects AS o "
        "ON t.owner_id = o.id",
    ],
    ids=["one-side", "other-key"],
)
def test_an_insert_select_that_keeps_no_link_keeps_l305(tmp_path: Path, select: str) -> None:
    moves = revision(
        f'op.execute("INSERT INTO task_links (task_id, target_id, target_kind) {select}")'
    )
    assert len(history(tmp_path, [moves, DROPS_TASK_LINK], "L305")) == 1


def test_the_using_column_is_read_by_the_same_upgrade() -> None:
    fill = 'op.execute("UPDATE hosts JOIN regions USING ({}) SET hosts.region_id = regions.id")'
    reads = _filled(fill.format("region") + '\nop.drop_column("hosts", "region")')
    assert "L305" not in codes(reads)
    other = _filled(fill.format("zone_id") + '\nop.drop_column("hosts", "region")')
    assert "L305" in codes(other)


# --- L308: rows moved off the removed value one parameter row at a time --------------------

JOBS = 'jobs = sa.table("jobs", sa.column("id"), sa.column("state"), sa.column("owner"))'
NARROWS_STATE = (
    'op.alter_column("jobs", "state", type_=sa.Enum("RUNNING", "STOPPED"), '
    'existing_type=sa.Enum("RUNNING", "PAUSED", "STOPPED"), nullable=False)'
)
HELD_UPDATE = 'update = jobs.update().where(jobs.c.id == sa.bindparam("job_id"))'


def _moves(
    rows: str, params: str, value: str = "STOPPED", update: str = HELD_UPDATE, run: str = ""
) -> str:
    run = run or f'bind.execute(update.values(state="{value}"), params)'
    return revision(
        f"""
        bind = op.get_bind()
        {update}
        rows = {rows}
        params = {params}
        if params:
            {run}
        {NARROWS_STATE}
        """,
        header=JOBS,
    )


SELECT_PAUSED = 'bind.execute(sa.select([jobs]).where(jobs.c.state == "PAUSED")).fetchall()'
BY_TUPLE = '[{"job_id": job_id} for job_id, _, _ in rows]'
BY_ATTRIBUTE = '[{"job_id": row.id} for row in rows]'


@pytest.mark.parametrize(
    ("rows", "params", "run"),
    [
        (SELECT_PAUSED, BY_TUPLE, ""),
        (SELECT_PAUSED, BY_ATTRIBUTE, ""),
        (
            'bind.execute(sa.select(jobs.c.id, jobs.c.state).where(jobs.c.state == "PAUSED"))',
            '[{"job_id": row[0]} for row in rows]',
            "",
        ),
        (
            'bind.execute(sa.select([jobs.c.id]).where(jobs.c.state.in_(["PAUSED"]))).fetchall()',
            '[{"job_id": row["id"]} for row in rows]',
            "",
        ),
        (
            "bind.execute(sa.text(\"SELECT id, owner FROM jobs WHERE state = 'PAUSED'\"))"
            ".fetchall()",
            BY_ATTRIBUTE,
            "",
        ),
        (
            SELECT_PAUSED,
            BY_TUPLE,
            'bind.execute(jobs.update().where(jobs.c.id == sa.bindparam("job_id"))'
            '.values(state="STOPPED"), params)',
        ),
    ],
    ids=["tuple", "attribute", "index", "in-list", "raw-select", "inline-update"],
)
def test_rows_moved_off_the_removed_value_by_key_are_no_l308(
    rows: str, params: str, run: str
) -> None:
    assert "L308" not in codes(_moves(rows, params, run=run))


@pytest.mark.parametrize(
    ("rows", "params", "value", "update"),
    [
        # the rows of another value are moved
        (SELECT_PAUSED.replace("PAUSED", "RUNNING"), BY_TUPLE, "STOPPED", HELD_UPDATE),
        # moved onto the removed value itself, or onto one the new type lacks
        (SELECT_PAUSED, BY_TUPLE, "PAUSED", HELD_UPDATE),
        (SELECT_PAUSED, BY_TUPLE, "ARCHIVED", HELD_UPDATE),
        # the parameter is given the owner, not the key
        (SELECT_PAUSED, '[{"job_id": owner} for _, _, owner in rows]', "STOPPED", HELD_UPDATE),
        # only some of the rows holding the value
        (
            'bind.execute(sa.select([jobs]).where(sa.and_(jobs.c.state == "PAUSED", '
            'jobs.c.owner == "ci"))).fetchall()',
            BY_TUPLE,
            "STOPPED",
            HELD_UPDATE,
        ),
        (
            SELECT_PAUSED,
            '[{"job_id": r.id} for r in rows if r.owner == "ci"]',
            "STOPPED",
            HELD_UPDATE,
        ),
        (
            SELECT_PAUSED,
            BY_TUPLE,
            "STOPPED",
            HELD_UPDATE.replace(")", ").where(jobs.c.owner == 'ci')", 1),
        ),
    ],
    ids=[
        "other-value",
        "onto-removed",
        "onto-unknown",
        "parameter-not-key",
        "narrowed-query",
        "filtered-rows",
        "narrowed-update",
    ],
)
def test_a_keyed_update_that_leaves_rows_on_the_value_keeps_l308(
    rows: str, params: str, value: str, update: str
) -> None:
    assert "L308" in codes(_moves(rows, params, value, update))


def test_an_inline_keyed_update_of_other_rows_keeps_l308() -> None:
    run = (
        'bind.execute(jobs.update().where(jobs.c.id == sa.bindparam("job_id"))'
        '.values(state="STOPPED"), params)'
    )
    source = _moves(SELECT_PAUSED.replace("PAUSED", "RUNNING"), BY_TUPLE, run=run)
    assert "L308" in codes(source)


def test_a_move_after_the_alter_keeps_l308() -> None:
    source = revision(
        f"""
        bind = op.get_bind()
        {HELD_UPDATE}
        rows = {SELECT_PAUSED}
        params = {BY_TUPLE}
        {NARROWS_STATE}
        bind.execute(update.values(state="STOPPED"), params)
        """,
        header=JOBS,
    )
    assert "L308" in codes(source)


def test_each_removed_value_needs_its_move() -> None:
    source = revision(
        f"""
        bind = op.get_bind()
        {HELD_UPDATE}
        rows = {SELECT_PAUSED}
        params = {BY_TUPLE}
        bind.execute(update.values(state="STOPPED"), params)
        op.alter_column("jobs", "state", type_=sa.Enum("RUNNING", "STOPPED"),
                        existing_type=sa.Enum("RUNNING", "PAUSED", "QUEUED", "STOPPED"))
        """,
        header=JOBS,
    )
    [finding] = [f for f in lint(source) if f.code == "L308"]
    assert "'QUEUED'" in finding.message and "'PAUSED'" in finding.message


# --- L314: an `except ValueError:` of SQLite's batch path MySQL never reaches ---------------


def _renames_keys(body_extra: str = "", caught: str = "ValueError", batch: str = "") -> str:
    return revision(
        f"""
        for table in ("orders", "invoices"):
            try:
                {body_extra}
                with op.batch_alter_table(table{batch}) as batch_op:
                    if has_key(op.get_bind(), table, table + "_ibfk_1"):
                        batch_op.drop_constraint(table + "_ibfk_1", type_="foreignkey")
            except {caught}:
                # SQLite: "No such constraint"
                with op.batch_alter_table("audit_log") as batch_op:
                    batch_op.create_foreign_key(
                        "fk_audit_log_customer", "customer", ["customer_id"], ["id"]
                    )
        """,
        header="from app.migrations import has_key",
    )


def _audit_copies(source: str) -> bool:
    return any(f.code == "L314" and "audit_log" in f.message for f in lint(source))


@pytest.mark.parametrize("caught", ["ValueError", "(ValueError,)", "ValueError as error"])
def test_a_handler_of_the_batch_recreate_error_is_not_read_on_mysql(caught: str) -> None:
    assert not _audit_copies(_renames_keys(caught=caught))


@pytest.mark.parametrize(
    ("body_extra", "caught", "batch"),
    [
        ("", "Exception", ""),
        ("", "(ValueError, KeyError)", ""),
        ("", "ValueError", ', recreate="always"'),
        ('limit = int("10")', "ValueError", ""),
        ("first, second = table.split('_')", "ValueError", ""),
    ],
    ids=["broad", "key-error-too", "recreate-always", "int-parse", "unpacking"],
)
def test_a_handler_the_target_may_reach_is_read(body_extra: str, caught: str, batch: str) -> None:
    assert _audit_copies(_renames_keys(body_extra, caught, batch))


def test_a_value_error_around_plain_operations_is_read() -> None:
    source = revision(
        """
        try:
            op.drop_constraint("orders_ibfk_1", "orders", type_="foreignkey")
        except ValueError:
            op.create_foreign_key("fk_audit_log_customer", "audit_log", "customer",
                                  ["customer_id"], ["id"])
        """
    )
    assert _audit_copies(source)


# --- a table's character set from mysql_CHARSET= and its spellings -----------------------

CHARSET_SPELLINGS = [
    ("mysql_charset", True),
    ("mysql_CHARSET", True),
    ("mysql_Default_Charset", True),
    ("mysql_character_set", True),
    ("mysql_DEFAULT_CHARACTER_SET", True),
    ("mariadb_CHARSET", True),
    # SQLAlchemy finds no dialect "MYSQL": the table keeps the server's utf8mb4
    ("MYSQL_charset", False),
    ("mysql_charsets", False),
]


def _keyed_page(keyword: str) -> str:
    return revision(
        f"""
        op.create_table(
            "page",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("path", sa.String(1000), nullable=False),
            {keyword}="utf8mb3",
        )
        op.create_index("ix_page_path", "page", ["path"])
        """,
        'op.drop_table("page")',
    )


@pytest.mark.filterwarnings("ignore:Can't validate argument")
@pytest.mark.parametrize(("keyword", "declares"), CHARSET_SPELLINGS)
def test_sqlalchemy_renders_the_character_set_lint_reads(keyword: str, declares: bool) -> None:
    # what lint reads is what SQLAlchemy's MySQL dialect writes into CREATE TABLE
    url = "mariadb+pymysql://" if keyword.startswith("mariadb_") else "mysql+pymysql://"
    dialect = sa.create_mock_engine(url, lambda *a, **k: None).dialect
    table = sa.Table("page", sa.MetaData(), sa.Column("id", sa.Integer()), **{keyword: "utf8mb3"})
    ddl = str(CreateTable(table).compile(dialect=dialect))
    assert bool(re.search(r"\b(?:CHARSET|CHARACTER SET)\s*=?\s*utf8mb3", ddl)) is declares
    # 1,000 characters x 3 bytes fit InnoDB's 3,072-byte key; x 4 under utf8mb4 do not
    assert ("L312" not in codes(_keyed_page(keyword))) is declares


def test_the_copy_message_counts_the_declared_character_set(tmp_path: Path) -> None:
    creates = revision(
        """
        op.create_table(
            "tweet",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("ref_uid", sa.String(40), nullable=True),
            mysql_CHARSET="utf8",
        )
        """,
        'op.drop_table("tweet")',
    )
    widens = revision(
        'op.alter_column("tweet", "ref_uid", type_=sa.String(100), existing_type=sa.String(40), '
        "existing_nullable=True)",
        'op.alter_column("tweet", "ref_uid", type_=sa.String(40), existing_type=sa.String(100), '
        "existing_nullable=True)",
    )
    [finding] = history(tmp_path, [creates, widens], "L314")
    assert "(120 -> 300 bytes)" in finding.message
