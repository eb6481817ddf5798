"""Round 41's false classes that need a history (issue 20).

- L319 / L304: a drop that tolerates a missing table (`op.drop_table(t, if_exists=True)`, raw
  `DROP TABLE IF EXISTS t`) of a table no earlier revision touched drops nothing on a database
  built from the history (a baseline clearing the table before its create_table): no inverse
  owed, no rows lost. The same drop of a table the history made, or an unguarded drop of a
  table it never made (the author's database has it), is still reported.
"""

from __future__ import annotations

from pathlib import Path

from test_lint_round37_history import found, history
from test_lint_rules import revision

SETTINGS = """
op.create_table("settings", sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("value", sa.Text()))
"""
SUPPLIER = revision(
    """
    op.create_table("supplier", sa.Column("id", sa.Integer(), primary_key=True))
    """
)


def test_a_tolerant_drop_of_a_table_the_history_never_made_owes_no_inverse(
    tmp_path: Path,
) -> None:
    baseline = revision(
        'op.drop_table("settings", if_exists=True)' + SETTINGS, 'op.drop_table("settings")'
    )
    later = revision(
        'op.drop_table("service", if_exists=True)' + SETTINGS.replace('"settings"', '"service"'),
        'op.drop_table("service")',
    )
    findings = history(tmp_path, baseline, SUPPLIER, later)
    assert found(findings, "L319") == []
    assert found(findings, "L304") == []
    # the same drop of settings, which the baseline made, is a real one
    again = revision(
        'op.drop_table("settings", if_exists=True)' + SETTINGS, 'op.drop_table("settings")'
    )
    assert found(history(tmp_path, baseline, SUPPLIER, again), "L319") == ["r2.py"]


def test_a_raw_tolerant_drop_of_a_table_the_history_never_made_loses_nothing(
    tmp_path: Path,
) -> None:
    later = revision('op.execute("DROP TABLE IF EXISTS `legacy_cache`")')
    assert found(history(tmp_path, SUPPLIER, later), "L304") == []


def test_a_tolerant_drop_of_a_table_the_history_made_is_still_a_drop(tmp_path: Path) -> None:
    dropped = revision('op.drop_table("supplier", if_exists=True)', 'op.drop_index("ix_x", "x")')
    raw = revision('op.execute("DROP TABLE IF EXISTS supplier")', 'op.drop_index("ix_x", "x")')
    assert found(history(tmp_path, SUPPLIER, dropped), "L319") == ["r1.py"]
    assert found(history(tmp_path, SUPPLIER, dropped), "L304") == ["r1.py"]
    (tmp_path / "raw").mkdir()
    assert found(history(tmp_path / "raw", SUPPLIER, raw), "L304") == ["r1.py"]


def test_an_unguarded_drop_of_a_table_the_history_never_made_is_still_reported(
    tmp_path: Path,
) -> None:
    for flag in ("", ", if_exists=False"):
        case = tmp_path / ("false" if flag else "none")
        case.mkdir()
        later = revision(f'op.drop_table("legacy"{flag})', 'op.drop_index("ix_x", "x")')
        assert found(history(case, SUPPLIER, later), "L319") == ["r1.py"]


# L307: an existing_type no revision gave the column, of another kind than the type its
# create gave it (no alter since), is stale: the history's type wins (round 41)


def _sheet(column_type: str) -> str:
    return revision(
        f"""
        op.create_table("income_sheet", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("margin", {column_type}, nullable=True))
        """
    )


def _retyped(existing: str, new: str) -> str:
    return revision(
        f"""
        with op.batch_alter_table("income_sheet") as batch_op:
            batch_op.alter_column("margin", existing_type={existing}, type_={new},
                                  existing_nullable=True)
        """,
        'op.drop_index("ix_x", "x")',
    )


def test_an_existing_type_of_another_kind_than_the_created_one_is_stale(tmp_path: Path) -> None:
    later = _retyped("mysql.DECIMAL(precision=20, scale=2)", "sa.Numeric(precision=13, scale=2)")
    assert found(history(tmp_path, _sheet("sa.Float()"), later), "L307") == []


def test_an_existing_type_the_history_agrees_with_or_of_the_same_kind_is_believed(
    tmp_path: Path,
) -> None:
    cases = [
        # the create gave that very type
        ("sa.Numeric(20, 2)", "mysql.DECIMAL(precision=20, scale=2)", "sa.Numeric(13, 2)"),
        # the same kind, another size: an edited revision's databases may hold it
        ("sa.Numeric(18, 2)", "mysql.DECIMAL(precision=20, scale=2)", "sa.Numeric(13, 2)"),
        ("sa.String(255)", "sa.String(300)", "sa.String(200)"),
    ]
    for number, (created, existing, new) in enumerate(cases):
        case = tmp_path / str(number)
        case.mkdir()
        findings = history(case, _sheet(created), _retyped(existing, new))
        assert found(findings, "L307") == ["r1.py"], (created, existing, new)


def test_an_existing_type_after_an_alter_retyped_the_column_is_believed(tmp_path: Path) -> None:
    retyped = revision(
        'op.alter_column("income_sheet", "margin", existing_type=sa.Float(), '
        "type_=sa.Numeric(10, 2))",
        'op.drop_index("ix_x", "x")',
    )
    later = _retyped("mysql.DECIMAL(precision=20, scale=2)", "sa.Numeric(precision=13, scale=2)")
    findings = history(tmp_path, _sheet("sa.Float()"), retyped, later)
    assert "r2.py" in found(findings, "L307")
