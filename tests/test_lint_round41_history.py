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
        case = tmp_path / (flag and "false" or "none")
        case.mkdir()
        later = revision(f'op.drop_table("legacy"{flag})', 'op.drop_index("ix_x", "x")')
        assert found(history(case, SUPPLIER, later), "L319") == ["r1.py"]
