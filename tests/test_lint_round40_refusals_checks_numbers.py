"""Issue 20, round 40: three false-alarm classes, our own snippets.

- L319/L318: a downgrade that does no schema work and only says the downgrade itself is not
  supported, possible or allowed ("Downgrades not supported", the undoing named before its
  refusal) decides for every change, as "we do not support downgrading" did already.
- L319: a CHECK constraint over one column goes with the downgrade's drop of that column on
  MySQL and MariaDB (checked on MariaDB 10.11); one over several columns stops the drop.
- L303: a lightweight table()'s type is overruled by the type the same upgrade's create_table
  or add_column gives the column before the write; a string that spells a number the column
  stores exactly ('350' into an INT) is no value of the wrong kind.
"""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

from alembic_sentinel.lint.refusals import STRONG_REFUSAL, refusal

# --- A: a downgrade refused in words, the undoing named first

ADDS = """
op.add_column("visit", sa.Column("kiosk", sa.Boolean(), nullable=True))
op.create_index("ix_visit_kiosk", "visit", ["kiosk"])
"""


def _l319(upgrade: str, downgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade)) if f.code == "L319"]


@pytest.mark.parametrize(
    "downgrade",
    [
        'print("Downgrades not supported")',
        'print("Downgrade is not possible for this revision.")',
        'import logging\nlogging.getLogger(__name__).warning("Rolling back is unsupported")',
        'import warnings\nwarnings.warn("Reverting this migration is not allowed")',
        'log.info("downgrade: impossible, the rows were rewritten")',
        '# this migration is one way\nprint("no downgrade")',
    ],
)
def test_a_downgrade_that_only_refuses_leaves_everything(downgrade: str) -> None:
    assert _l319(ADDS, downgrade) == []


@pytest.mark.parametrize(
    "downgrade",
    [
        # words that refuse nothing about the downgrade itself
        'print("Downgrading")',
        'print("not supported")',
        # work still to do
        'print("Downgrade not supported yet")',
        'print("TODO: downgrade not supported")',
        # a remark on the database, not on undoing the revision
        'print("drop index not supported on sqlite")',
    ],
)
def test_a_downgrade_without_a_firm_refusal_is_still_reported(downgrade: str) -> None:
    assert len(_l319(ADDS, downgrade)) == 2


def test_a_refusal_that_also_does_schema_work_excuses_only_what_it_names() -> None:
    downgrade = 'op.drop_column("visit", "kiosk")\nprint("Downgrades not supported")'
    # the index goes with its column; nothing is left to excuse, and nothing is hidden
    assert _l319(ADDS, downgrade) == []
    other = """
op.add_column("visit", sa.Column("kiosk", sa.Boolean(), nullable=True))
op.add_column("visit", sa.Column("lane", sa.Integer(), nullable=True))
"""
    found = _l319(other, 'op.drop_column("visit", "kiosk")\nprint("see the runbook")')
    assert any("visit.lane" in message for message in found)


def test_an_empty_downgrade_refused_in_those_words_is_a_decision() -> None:
    source = revision(ADDS, "# Downgrades are not supported for this project\npass")
    assert "L318" not in {f.code for f in lint(source)}
    bare = revision(ADDS, "pass")
    assert "L318" in {f.code for f in lint(bare)}


@pytest.mark.parametrize(
    "text",
    [
        "Downgrades not supported",
        "downgrade unsupported",
        "Downgrading is impossible",
        "Rolling back this migration is not possible",
        "Reverting is not really supported",
        "Undoing this change is forbidden",
    ],
)
def test_the_undoing_said_not_to_be_done_is_a_firm_refusal(text: str) -> None:
    assert refusal(text) == STRONG_REFUSAL


@pytest.mark.parametrize(
    "text",
    [
        "drop column not supported on sqlite",
        "Downgrade not implemented",
        "downgrade not supported yet",
        "Downgrade: the index is not dropped automatically",
    ],
)
def test_other_negations_stay_weaker(text: str) -> None:
    assert refusal(text) != STRONG_REFUSAL


# --- B: a CHECK over one column goes with the column

MYSQL = target("mysql-8.0")
MARIADB = target("mariadb-10.11")


def _check_l319(condition: str, downgrade: str, server: object) -> list[str]:
    upgrade = f"""
op.add_column("survey", sa.Column("answers", sa.Text(), nullable=True))
op.add_column("survey", sa.Column("score", sa.Integer(), nullable=True))
op.create_check_constraint("ck_survey_answers", "survey", {condition})
"""
    found = lint(revision(upgrade, downgrade), target=server)
    return [f.message for f in found if f.code == "L319" and "ck_survey_answers" in f.message]


DROPS_BOTH = 'op.drop_column("survey", "score")\nop.drop_column("survey", "answers")'


@pytest.mark.parametrize("server", [MYSQL, MARIADB], ids=str)
@pytest.mark.parametrize(
    ("condition", "downgrade"),
    [
        ('"answers IS NULL OR JSON_VALID(answers)"', DROPS_BOTH),
        ('sa.text("`answers` IS NULL OR char_length(`answers`) > 2")', DROPS_BOTH),
        ("\"answers IN ('a', 'b')\"", DROPS_BOTH),
        ('sa.column("answers") != ""', DROPS_BOTH),
        (
            '"JSON_VALID(answers)"',
            'with op.batch_alter_table("survey") as batch_op:\n'
            '    batch_op.drop_column("answers")\n'
            '    batch_op.drop_column("score")',
        ),
    ],
)
def test_a_check_over_one_dropped_column_goes_with_it(
    condition: str, downgrade: str, server: object
) -> None:
    assert _check_l319(condition, downgrade, server) == []


@pytest.mark.parametrize("server", [MYSQL, MARIADB], ids=str)
@pytest.mark.parametrize(
    ("condition", "downgrade"),
    [
        # over two columns: the server refuses the first drop
        ('"answers IS NULL OR score > 0"', DROPS_BOTH),
        # its column stays
        ('"score > 0"', 'op.drop_column("survey", "answers")'),
        # a condition lint cannot read
        ("CONDITION", DROPS_BOTH),
        ('sa.column("answers") != Survey.default', DROPS_BOTH),
    ],
)
def test_a_check_the_drop_does_not_take_is_still_reported(
    condition: str, downgrade: str, server: object
) -> None:
    assert len(_check_l319(condition, downgrade, server)) == 1


# --- C and D: L303, the stub's type against the upgrade's own, numbers spelled as strings


def _l303(upgrade: str) -> list[str]:
    return [f.message for f in lint(revision(upgrade)) if f.code == "L303"]


PAGES = """
op.create_table(
    "page",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("kind", {created}, nullable=False),
)
page = sa.table("page", sa.column("id", sa.Integer), sa.column("kind", {stub}))
"""


@pytest.mark.parametrize(
    "write",
    [
        'op.bulk_insert(page, [{{"id": 1, "kind": {value}}}])',
        "op.execute(page.insert().values(id=1, kind={value}))",
        "op.execute(page.update().values(kind={value}))",
    ],
)
def test_a_stub_type_contradicted_by_the_upgrades_create_is_not_used(write: str) -> None:
    upgrade = PAGES.format(created="sa.String(16)", stub="sa.Integer") + write.format(
        value='"terms"'
    )
    assert _l303(upgrade) == []


def test_an_added_column_overrules_the_stub_too() -> None:
    upgrade = """
op.add_column("page", sa.Column("slug", sa.String(40), nullable=True))
page = sa.table("page", sa.column("slug", sa.Integer()))
op.execute(page.update().values(slug="home"))
"""
    assert _l303(upgrade) == []


@pytest.mark.parametrize(
    ("created", "stub", "value"),
    [
        # the upgrade's own type makes the value wrong
        ("sa.Integer()", "sa.String(16)", '"terms"'),
        ("sa.Integer()", "sa.Integer", '"terms"'),
        ("sa.Boolean()", "sa.String(5)", '"yes"'),
    ],
)
def test_a_wrong_kind_against_the_upgrades_type_is_still_flagged(
    created: str, stub: str, value: str
) -> None:
    upgrade = PAGES.format(created=created, stub=stub)
    upgrade += f'op.bulk_insert(page, [{{"id": 1, "kind": {value}}}])'
    assert len(_l303(upgrade)) == 1


def test_a_create_after_the_write_does_not_overrule_the_stub() -> None:
    upgrade = """
page = sa.table("page", sa.column("kind", sa.Integer))
op.execute(page.update().values(kind="terms"))
op.drop_table("page")
op.create_table("page", sa.Column("kind", sa.String(16)))
"""
    assert len(_l303(upgrade)) == 1


ROLES = 'roles = sa.table("role", sa.column("rank", {type_}))\n'


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("sa.Integer", '"350"'),
        ("sa.BigInteger()", '"-7"'),
        ("sa.SmallInteger", '" 42 "'),
        ("sa.Numeric(10, 2)", '"12.50"'),
        ("sa.Float", '"1e3"'),
        ("sa.Boolean", '"1"'),
    ],
)
def test_a_string_that_spells_its_number_is_no_wrong_kind(type_: str, value: str) -> None:
    upgrade = ROLES.format(type_=type_) + f'op.bulk_insert(roles, [{{"rank": {value}}}])'
    assert _l303(upgrade) == []


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("sa.Integer", '"3.5"'),  # rounded to 4
        ("sa.Integer", '"350 people"'),
        ("sa.Integer", '""'),
        ("sa.Numeric(10, 2)", '"twelve"'),
        ("sa.Boolean", '"yes"'),
        ("sa.Boolean", '"2"'),
        ("sa.Date", '"2020"'),
        ("sa.Integer", 'f"{3}"'),
    ],
)
def test_a_string_that_is_no_such_number_is_still_flagged(type_: str, value: str) -> None:
    upgrade = ROLES.format(type_=type_) + f'op.bulk_insert(roles, [{{"rank": {value}}}])'
    assert len(_l303(upgrade)) == 1
