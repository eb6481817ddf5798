"""Inverses a downgrade writes in other words than the upgrade's operations (issue 20, round
13): keys dropped under the names reflection reports, an index restored as the unique
constraint it is on MySQL. Fixtures are our own snippets; each class has revisions that must
stay quiet and revisions that must still be reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version


def l319(source: str) -> list[str]:
    """The L319 messages lint gives the revision alone."""
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [finding.message for finding in report.findings if finding.code == "L319"]


# --- L319: keys dropped through reflected names ------------------------------------------------

REFLECTION_HELPERS = """
from sqlalchemy.engine.reflection import Inspector


def _drop_foreign_keys(table, column):
    inspector = sa.inspect(op.get_bind())
    for key in inspector.get_foreign_keys(table):
        if key["constrained_columns"] == [column]:
            op.drop_constraint(key["name"], table, type_="foreignkey")


def _drop_unchecked(table, column):
    inspector = sa.inspect(op.get_bind())
    for key in inspector.get_foreign_keys(table):
        if column in key["constrained_columns"] and key["name"].startswith(PREFIX):
            op.drop_constraint(key["name"], table, type_="foreignkey")
"""
LEDGER_FOREIGN_KEY = (
    'op.create_foreign_key("fk_ledger_account", "ledger", "account", ["account_id"], ["id"])'
)
LEDGER_INDEX = 'op.create_index("ix_ledger_booked", "ledger", ["booked_on"])'
LEDGER_UNIQUE = 'op.create_unique_constraint("uq_ledger_ref", "ledger", ["reference"])'


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            found = Inspector.from_engine(op.get_bind()).get_foreign_keys("ledger")
            for fk in found:
                if fk.get("name"):
                    op.drop_constraint(fk.get("name"), "ledger", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            ledger = sa.Table("ledger", sa.MetaData(), autoload_with=op.get_bind())
            for constraint in ledger.foreign_key_constraints:
                op.drop_constraint(constraint.name, "ledger", type_="foreignkey")
            """,
        ),
        (LEDGER_FOREIGN_KEY, '_drop_foreign_keys("ledger", "account_id")'),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            with op.batch_alter_table("ledger") as batch_op:
                for fk in inspector.get_foreign_keys("ledger"):
                    if fk["referred_table"] == "account":
                        batch_op.drop_constraint(fk["name"], type_="foreignkey")
            """,
        ),
        (
            LEDGER_INDEX,
            """
            inspector = sa.inspect(op.get_bind())
            for table in ("ledger",):
                for index in inspector.get_indexes(table):
                    op.drop_index(index["name"], table_name=table)
            """,
        ),
        (
            LEDGER_INDEX,
            """
            ledger = sa.Table("ledger", sa.MetaData(), autoload_with=op.get_bind())
            with op.batch_alter_table("ledger") as batch_op:
                for index in ledger.indexes:
                    batch_op.drop_index(index.name)
            """,
        ),
        (
            LEDGER_UNIQUE,
            """
            inspector = sa.inspect(op.get_bind())
            for key in inspector.get_unique_constraints("ledger"):
                op.drop_constraint(key["name"], "ledger", type_="unique")
            """,
        ),
    ],
    ids=[
        "inspect",
        "from_engine-variable-get",
        "reflected-table",
        "helper-filtered-by-column",
        "batch-filtered-by-referred-table",
        "indexes-in-a-table-loop",
        "reflected-table-indexes-batch",
        "unique-constraints",
    ],
)
def test_keys_dropped_through_reflected_names_undo_the_upgrade(
    upgrade: str, downgrade: str
) -> None:
    assert l319(revision(upgrade, downgrade, header=REFLECTION_HELPERS)) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("journal"):
                op.drop_constraint(fk["name"], "journal", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "journal", type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], fk["referred_table"], type_="foreignkey")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for index in inspector.get_indexes("ledger"):
                op.drop_index(index["name"], table_name="ledger")
            """,
        ),
        (
            LEDGER_INDEX,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger", type_="foreignkey")
            """,
        ),
        (
            LEDGER_UNIQUE,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger")
            """,
        ),
        (LEDGER_FOREIGN_KEY, '_drop_foreign_keys("ledger", "payee_id")'),
        (LEDGER_FOREIGN_KEY, '_drop_unchecked("ledger", "account_id")'),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            for fk in inspector.get_foreign_keys("ledger"):
                op.drop_constraint(fk["name"], "ledger", type_="unique")
            """,
        ),
        (
            LEDGER_FOREIGN_KEY,
            """
            inspector = sa.inspect(op.get_bind())
            names = [fk["name"] for fk in inspector.get_foreign_keys("ledger")]
            op.drop_constraint(names[0], "ledger", type_="check")
            """,
        ),
    ],
    ids=[
        "another-table",
        "dropped-on-another-table",
        "dropped-on-a-table-named-at-run-time",
        "indexes-for-a-foreign-key",
        "foreign-keys-for-an-index",
        "foreign-keys-for-a-unique-key",
        "filtered-to-another-column",
        "filter-lint-cannot-read",
        "type-of-another-kind",
        "not-a-loop-another-kind",
    ],
)
def test_a_reflection_loop_over_other_keys_is_still_reported(upgrade: str, downgrade: str) -> None:
    messages = l319(revision(upgrade, downgrade, header=REFLECTION_HELPERS))
    assert len(messages) == 1
    assert "ledger" in messages[0]


# --- L319: an index restored as the unique constraint it is on MySQL, and the reverse ---------


def l319_in_history(tmp_path: Path, earlier: str, upgrade: str, downgrade: str) -> list[str]:
    """The L319 messages of a revision (`upgrade`, `downgrade`) linted after its parent, whose
    upgrade is `earlier`, as one history."""
    sources = [
        revision(earlier, "pass", down_revision="None"),
        revision(upgrade, downgrade, down_revision='"e00000000001"'),
    ]
    files = []
    for number, source in enumerate(sources, start=1):
        path = tmp_path / f"e0000000000{number}.py"
        path.write_text(source.replace('"1234abcd5678"', f'"e0000000000{number}"'))
        files.append((path.name, path))
    report = lint_files(files, LintOptions())
    return [f.message for f in report.findings if f.code == "L319" and f.path == files[1][0]]


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            'op.drop_index("ix_badge_code", table_name="badge")',
            'op.create_unique_constraint("ix_badge_code", "badge", ["code"])',
        ),
        (
            """
            with op.batch_alter_table("badge") as batch_op:
                batch_op.drop_index(batch_op.f("uq_badge_code"))
            """,
            """
            with op.batch_alter_table("badge") as batch_op:
                batch_op.create_unique_constraint(batch_op.f("uq_badge_code"), ["code"])
            """,
        ),
        (
            'op.drop_constraint("uq_badge_code", "badge", type_="unique")',
            'op.create_index("uq_badge_code", "badge", ["code"], unique=True)',
        ),
        (
            'op.drop_constraint(op.f("uq_badge_code"), "badge", type_="unique")',
            'op.create_index(op.f("uq_badge_code"), table_name="badge", columns=["code"], '
            "unique=True)",
        ),
        (
            'op.create_index("uq_badge_code", "badge", ["code"], unique=True)',
            'op.drop_constraint("uq_badge_code", "badge", type_="unique")',
        ),
    ],
    ids=[
        "index-as-unique-constraint",
        "batch-op-f",
        "unique-constraint-as-unique-index",
        "keywords-op-f",
        "unique-index-dropped-as-constraint",
    ],
)
def test_a_key_restored_as_the_other_kind_of_unique_key_is_undone(
    upgrade: str, downgrade: str
) -> None:
    assert l319(revision(upgrade, downgrade)) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        (
            'op.drop_index("ix_badge_code", table_name="badge")',
            'op.create_unique_constraint("uq_badge_code", "badge", ["code"])',
        ),
        (
            'op.drop_index("ix_badge_code", table_name="badge")',
            'op.create_unique_constraint("ix_badge_code", "medal", ["code"])',
        ),
        (
            'op.drop_constraint("uq_badge_code", "badge", type_="unique")',
            'op.create_index("uq_badge_code", "badge", ["code"])',
        ),
        (
            'op.drop_constraint("uq_badge_code", "badge", type_="unique")',
            'op.create_index("uq_badge_code", "medal", ["code"], unique=True)',
        ),
        (
            'op.drop_constraint("fk_badge_owner", "badge", type_="foreignkey")',
            'op.create_index("fk_badge_owner", "badge", ["owner_id"], unique=True)',
        ),
        (
            'op.drop_index("ix_badge_code", table_name="badge")',
            'op.create_check_constraint("ix_badge_code", "badge", "code <> \'\'")',
        ),
    ],
    ids=[
        "another-name",
        "another-table",
        "restored-not-unique",
        "unique-index-on-another-table",
        "a-foreign-key",
        "a-check-constraint",
    ],
)
def test_a_restore_of_another_key_is_still_reported(upgrade: str, downgrade: str) -> None:
    assert len(l319(revision(upgrade, downgrade))) == 1


@pytest.mark.parametrize(
    ("earlier", "later", "reported"),
    [
        (
            'op.create_index("ix_badge_code", "badge", ["code"], unique=True)',
            (
                'op.drop_index("ix_badge_code", "badge")',
                'op.create_unique_constraint("ix_badge_code", "badge", ["code"])',
            ),
            False,
        ),
        (
            'op.create_unique_constraint("uq_badge_code", "badge", ["code"])',
            (
                'op.drop_constraint("uq_badge_code", "badge")',
                'op.create_index("uq_badge_code", "badge", ["code"], unique=True)',
            ),
            False,
        ),
        (
            'op.create_table("badge", sa.Column("code", sa.String(8)), '
            'sa.UniqueConstraint("code", name="uq_badge_code"))',
            (
                'op.drop_constraint("uq_badge_code", "badge")',
                'op.create_index("uq_badge_code", "badge", ["code"], unique=True)',
            ),
            False,
        ),
        (
            'op.create_index("ix_badge_code", "badge", ["code"])',
            (
                'op.drop_index("ix_badge_code", "badge")',
                'op.create_unique_constraint("ix_badge_code", "badge", ["code"])',
            ),
            True,
        ),
        (
            'op.create_index("ix_badge_code", "badge", ["code"], unique=False)',
            (
                'op.drop_index("ix_badge_code", "badge")',
                'op.create_unique_constraint("ix_badge_code", "badge", ["code"])',
            ),
            True,
        ),
        (
            'op.create_index("ix_badge_code", "badge", ["code", "season"], unique=True)',
            (
                'op.drop_index("ix_badge_code", "badge")',
                'op.create_unique_constraint("ix_badge_code", "badge", ["code"])',
            ),
            True,
        ),
    ],
    ids=[
        "known-unique-index",
        "known-unique-constraint-no-type",
        "known-from-create-table",
        "known-plain-index",
        "known-plain-index-unique-false",
        "known-other-columns",
    ],
)
def test_the_history_decides_what_the_dropped_key_was(
    tmp_path: Path, earlier: str, later: tuple[str, str], reported: bool
) -> None:
    upgrade, downgrade = later
    assert bool(l319_in_history(tmp_path, earlier, upgrade, downgrade)) is reported


# --- L319: on MySQL an index and a unique key of one name on one table are one object (r23) ---


def l319_chain(
    tmp_path: Path, steps: list[tuple[str, str]], server: str = "mysql-8.0"
) -> list[str]:
    """The L319 messages of the last of `steps` ((upgrade, downgrade) of revisions, each the
    parent of the next) linted together as one history for `server`."""
    files = []
    for number, (upgrade, downgrade) in enumerate(steps, start=1):
        parent = f'"f0000000000{number - 1}"' if number > 1 else "None"
        source = revision(upgrade, downgrade, down_revision=parent)
        path = tmp_path / f"f0000000000{number}.py"
        path.write_text(source.replace('"1234abcd5678"', f'"f0000000000{number}"'))
        files.append((path.name, path))
    options = LintOptions(target=parse_server_version(server))
    report = lint_files(files, options)
    return [f.message for f in report.findings if f.code == "L319" and f.path == files[-1][0]]


PARCEL_INDEX = 'op.create_index("ix_parcel_weight", "parcel", ["weight"], unique=False)'
PARCEL_DROP_AS_UNIQUE = 'op.drop_constraint("ix_parcel_weight", "parcel", type_="unique")'


@pytest.mark.parametrize(
    ("steps", "server"),
    [
        ([(PARCEL_INDEX, PARCEL_DROP_AS_UNIQUE)], "mysql-8.0"),
        ([(PARCEL_INDEX, PARCEL_DROP_AS_UNIQUE)], "mariadb-10.11"),
        (
            [
                (
                    'op.create_index("ix_tote_size", "tote", ["size"])\n'
                    'op.create_index("ix_tote_size", "bin", ["size"])',
                    "pass",
                ),
                (
                    'op.drop_constraint("ix_tote_size", "tote", type_="unique")\n'
                    'op.drop_constraint("ix_tote_size", "bin", type_="unique")',
                    'op.create_index("ix_tote_size", "tote", ["size"], unique=False)\n'
                    'op.create_index("ix_tote_size", "bin", ["size"])',
                ),
            ],
            "mysql-8.0",
        ),
        (
            [
                ('op.create_index("ix_crate_zone", "crate", ["zone"])', "pass"),
                ('op.rename_table("crate", "pallet")', 'op.rename_table("pallet", "crate")'),
                (
                    'op.drop_constraint("ix_crate_zone", "pallet", type_="unique")',
                    'op.create_index("ix_crate_zone", "pallet", ["zone"])',
                ),
            ],
            "mysql-8.0",
        ),
    ],
    ids=[
        "plain-index-dropped-as-unique",
        "mariadb",
        "plain-index-of-history-restored-by-create-index",
        "followed-through-a-table-rename",
    ],
)
def test_mysql_drops_an_index_by_drop_constraint_unique(
    tmp_path: Path, steps: list[tuple[str, str]], server: str
) -> None:
    assert l319_chain(tmp_path, steps, server) == []


@pytest.mark.parametrize(
    ("steps", "server", "expected"),
    [
        ([(PARCEL_INDEX, PARCEL_DROP_AS_UNIQUE)], "postgresql", "op.drop_index"),
        (
            [(PARCEL_INDEX, 'op.drop_constraint("ix_parcel_weight", "crate", type_="unique")')],
            "mysql-8.0",
            "op.drop_index",
        ),
        (
            [
                (
                    PARCEL_INDEX,
                    'op.drop_constraint("ix_parcel_weight", "parcel", type_="foreignkey")',
                )
            ],
            "mysql-8.0",
            "op.drop_index",
        ),
        (
            [
                (PARCEL_INDEX, "pass"),
                (PARCEL_DROP_AS_UNIQUE, 'op.create_index("ix_parcel_weight", "parcel", ["size"])'),
            ],
            "mysql-8.0",
            "op.create_index",
        ),
        (
            [
                (PARCEL_INDEX, "pass"),
                (PARCEL_DROP_AS_UNIQUE, 'op.drop_column("parcel", "note")'),
            ],
            "mysql-8.0",
            "op.create_index",
        ),
        (
            [
                (PARCEL_INDEX, "pass"),
                (
                    PARCEL_DROP_AS_UNIQUE,
                    'op.create_index("ix_parcel_weight", "parcel", ["weight"])',
                ),
            ],
            "postgresql",
            "op.create_unique_constraint",
        ),
        (
            [
                ('op.create_index("ix_parcel_weight", "crate", ["weight"])', "pass"),
                (
                    PARCEL_DROP_AS_UNIQUE,
                    'op.create_index("ix_parcel_weight", "parcel", ["weight"])',
                ),
            ],
            "mysql-8.0",
            "op.create_unique_constraint",
        ),
        (
            [
                (
                    PARCEL_DROP_AS_UNIQUE,
                    'op.create_index("ix_parcel_weight", "parcel", ["weight"], unique=False)',
                )
            ],
            "mysql-8.0",
            "op.create_unique_constraint",
        ),
    ],
    ids=[
        "postgresql-keeps-them-apart",
        "dropped-on-another-table",
        "dropped-as-a-foreign-key",
        "restored-over-other-columns",
        "not-restored-expects-create-index",
        "postgresql-history",
        "history-on-another-table",
        "no-history-takes-the-drop-at-its-word",
    ],
)
def test_an_index_and_a_unique_key_stay_apart_where_they_differ(
    tmp_path: Path, steps: list[tuple[str, str]], server: str, expected: str
) -> None:
    messages = l319_chain(tmp_path, steps, server)
    assert len(messages) == 1
    assert f"(expected {expected})" in messages[0]


# --- L302: keys renamed or re-made by a same-file helper called in a loop -----------------------


def l302_in_history(tmp_path: Path, earlier: str, header: str, upgrade: str) -> list[str]:
    """The L302 messages of a revision (module-level `header`, `upgrade`) linted after its
    parent, whose upgrade is `earlier`."""
    sources = [
        revision(earlier, "pass", down_revision="None"),
        revision(upgrade, "pass", header=header, down_revision='"e00000000001"'),
    ]
    files = []
    for number, source in enumerate(sources, start=1):
        path = tmp_path / f"e0000000000{number}.py"
        path.write_text(source.replace('"1234abcd5678"', f'"e0000000000{number}"'))
        files.append((path.name, path))
    report = lint_files(files, LintOptions())
    return [f.message for f in report.findings if f.code == "L302" and f.path == files[1][0]]


# tables whose `owner_id` is part of the primary key, `note` nullable
KEYED_TABLES = """
for name in ("vault", "locker"):
    op.create_table(
        name,
        sa.Column("id", sa.Integer()),
        sa.Column("owner_id", sa.String(36)),
        sa.Column("note", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id", "owner_id"),
    )
"""
RENAMING_HELPERS = """
VAULTS = ("vault", "locker")


def _rename_key_column(table, old="owner_id", new="holder_id"):
    op.alter_column(table, old, new_column_name=new, existing_type=sa.String(36))
    op.alter_column(table, new, existing_type=sa.String(36), nullable=False)


def _rename_then_restate(table, column):
    op.alter_column(table, column, new_column_name="holder_id", existing_type=sa.String(36))
    op.alter_column(table, "holder_id", existing_type=sa.String(36), nullable=False)


def _remake_key(table, column):
    op.drop_constraint(f"{table}_pkey", table, type_="primary")
    op.create_primary_key(f"{table}_pkey", table, ["id", column])
    op.alter_column(table, column, existing_type=sa.String(36), nullable=False)


def _rename_restating(table, old, new):
    op.alter_column(table, old, new_column_name=new, existing_type=sa.String(36), nullable=False)
"""


@pytest.mark.parametrize(
    "upgrade",
    [
        "for table in VAULTS:\n    _rename_key_column(table)",
        'for table in reversed(VAULTS):\n    _rename_key_column(table, new="keeper_id")',
        'for table in ("vault", "locker"):\n    _rename_then_restate(table, "owner_id")',
        'for table in VAULTS:\n    _remake_key(table, "note")',
        'for table, old in (("vault", "owner_id"), ("locker", "owner_id")):\n'
        '    _rename_restating(table, old, "holder_id")',
    ],
    ids=[
        "default-parameters",
        "reversed-loop-keyword",
        "renamed-then-restated",
        "key-remade-over-a-parameter-column",
        "pairs-restating-the-rename",
    ],
)
def test_a_key_column_renamed_or_remade_by_a_helper_in_a_loop_is_not_null(
    tmp_path: Path, upgrade: str
) -> None:
    assert l302_in_history(tmp_path, KEYED_TABLES, RENAMING_HELPERS, upgrade) == []


@pytest.mark.parametrize(
    "upgrade",
    [
        'for table in VAULTS:\n    _rename_key_column(table, old="note")',
        'for table in ("vault", "locker"):\n    _rename_then_restate(table, "note")',
        'for table in VAULTS:\n    _rename_restating(table, "note", "memo")',
        'for table in VAULTS:\n    _rename_key_column(table, "cellar")',
    ],
    ids=[
        "a-nullable-column-renamed",
        "a-nullable-column-renamed-then-restated",
        "a-nullable-column-renamed-not-null",
        "a-column-the-history-does-not-show",
    ],
)
def test_a_nullable_column_renamed_by_a_helper_is_still_reported(
    tmp_path: Path, upgrade: str
) -> None:
    assert len(l302_in_history(tmp_path, KEYED_TABLES, RENAMING_HELPERS, upgrade)) == 2


def l302_of_last(tmp_path: Path, upgrades: list[tuple[str, str]]) -> list[str]:
    """The L302 messages of the last of a chain of revisions ((module-level header, upgrade)
    each, the first a base) linted together as one history."""
    files = []
    for number, (header, upgrade) in enumerate(upgrades, start=1):
        parent = "None" if number == 1 else f'"e0000000000{number - 1}"'
        source = revision(upgrade, "pass", header=header, down_revision=parent)
        path = tmp_path / f"e0000000000{number}.py"
        path.write_text(source.replace('"1234abcd5678"', f'"e0000000000{number}"'))
        files.append((path.name, path))
    report = lint_files(files, LintOptions())
    return [f.message for f in report.findings if f.code == "L302" and f.path == files[-1][0]]


RESTATE_LENGTH = """
for table in VAULTS:
    op.alter_column(table, "{column}", type_=sa.String(64), existing_type=sa.String(36),
                    nullable=False)
"""


@pytest.mark.parametrize(
    ("rename", "column", "reported"),
    [
        ("for table in VAULTS:\n    _rename_key_column(table)", "holder_id", False),
        (
            'for table in VAULTS:\n    _rename_key_column(table, "owner_id", new="keeper_id")',
            "keeper_id",
            False,
        ),
        ('for table in VAULTS:\n    _rename_key_column(table, "note", "memo")', "memo", True),
        ("for table in VAULTS:\n    _rename_key_column(table)", "note", True),
    ],
    ids=["key-renamed-earlier", "key-renamed-earlier-keywords", "nullable-renamed", "untouched"],
)
def test_a_column_renamed_by_an_earlier_revision_is_what_it_was(
    tmp_path: Path, rename: str, column: str, reported: bool
) -> None:
    # the earlier rename restates nothing of nullability: only the history of the old name says
    helpers = RENAMING_HELPERS.replace(
        "    op.alter_column(table, new, existing_type=sa.String(36), nullable=False)\n", ""
    )
    chain = [
        ("", KEYED_TABLES),
        (helpers, rename),
        ('VAULTS = ("vault", "locker")', RESTATE_LENGTH.format(column=column)),
    ]
    assert bool(l302_of_last(tmp_path, chain)) is reported
