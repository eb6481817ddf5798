"""Inverses named by a naming convention lint cannot read (issue 20, round 22): a convention
that doubles its separators ("ck__<table>__<name>"), and a convention-made name longer than
the server keeps, which SQLAlchemy shortens to its first characters and an md5 tail. Our own
snippets; the shortened names are the ones SQLAlchemy itself renders."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

LONG_CHECK = "either_the_parcel_number_or_the_courier_reference_is_set"


def codes(source: str, **options: object) -> list[str]:
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions(**options))
    return [finding.code for finding in report.findings]


def rendered_check_name(table: str, name: str, dialect: sa.engine.Dialect) -> str:
    """The name SQLAlchemy gives a check under a doubled-separator convention on `dialect`."""
    metadata = sa.MetaData(naming_convention={"ck": "ck__%(table_name)s__%(constraint_name)s"})
    check = sa.CheckConstraint("a > 0", name=name)
    sa.Table(table, metadata, sa.Column("a", sa.Integer), check)
    return str(dialect.identifier_preparer.format_constraint(check))


def test_a_check_dropped_under_a_doubled_separator_name_is_undone() -> None:
    source = revision(
        'op.create_check_constraint("weight_positive", "parcel", "weight > 0")',
        'op.drop_constraint("ck__parcel__weight_positive", "parcel", type_="check")',
    )
    assert "L319" not in codes(source, naming_convention=True)


def test_a_doubled_separator_name_of_another_check_or_table_is_not() -> None:
    for dropped in (
        '"ck__parcel__weight_known", "parcel"',
        '"ck__courier__weight_positive", "parcel"',
    ):
        source = revision(
            'op.create_check_constraint("weight_positive", "parcel", "weight > 0")',
            f'op.drop_constraint({dropped}, type_="check")',
        )
        assert "L319" in codes(source, naming_convention=True)


def test_a_long_name_shortened_by_sqlalchemy_is_the_same_check() -> None:
    for dialect in (postgresql.dialect(), mysql.dialect()):
        shortened = rendered_check_name("shipment_parcels", LONG_CHECK, dialect)
        assert shortened.endswith(shortened[-4:]) and len(shortened) < 64
        # the upgrade drops the check by the name the server has; the downgrade recreates it
        source = revision(
            f'op.drop_constraint("{shortened}", "shipment_parcels", type_="check")',
            f'op.create_check_constraint("{LONG_CHECK}", "shipment_parcels", "a > 0")',
        )
        assert "L319" not in codes(source, naming_convention=True)
        # and the other way round
        source = revision(
            f'op.create_check_constraint("{LONG_CHECK}", "shipment_parcels", "a > 0")',
            f'op.drop_constraint("{shortened}", "shipment_parcels", type_="check")',
        )
        assert "L319" not in codes(source, naming_convention=True)


def test_a_shortened_name_with_another_tail_or_another_check_is_not() -> None:
    shortened = rendered_check_name("shipment_parcels", LONG_CHECK, postgresql.dialect())
    wrong_tail = shortened[:-4] + ("0000" if not shortened.endswith("0000") else "1111")
    other = rendered_check_name("shipment_parcels", LONG_CHECK + "_too", postgresql.dialect())
    for dropped in (wrong_tail, other):
        source = revision(
            f'op.drop_constraint("{dropped}", "shipment_parcels", type_="check")',
            f'op.create_check_constraint("{LONG_CHECK}", "shipment_parcels", "a > 0")',
        )
        assert "L319" in codes(source, naming_convention=True)
