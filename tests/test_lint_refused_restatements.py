"""Issue 20, round 38: L330 beside L322 at the same alter_column. A rename (or a type change)
without `existing_type=` is refused by Alembic's MySQL implementation before any CHANGE is
written (L322's CommandError), so L330's "silently drops NOT NULL" describes a statement that
never runs: L330 is not raised there, and L322's finding names what a CHANGE given the type
alone would drop. With the type given (`existing_type=`) the CHANGE runs and L330 is raised as
before; so it is when L322 is turned off. Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

ADDS_RECEIVED = revision(
    'op.add_column("offer", sa.Column("received", sa.DateTime(), nullable=False))',
    'op.drop_column("offer", "received")',
)
ADDS_WITH_DEFAULT = revision(
    'op.add_column("offer", sa.Column("received", sa.DateTime(), nullable=True, '
    'server_default=sa.text("CURRENT_TIMESTAMP")))',
    'op.drop_column("offer", "received")',
)


def _findings(tmp_path: Path, *sources: str, **options: object) -> list[tuple[str, str, str]]:
    down = "base0000"
    for number, source in enumerate(sources):
        revision_id = f"dddd{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    report = lint_files(files, LintOptions(**options))  # type: ignore[arg-type]
    return [(f.path or "", f.code, f.message) for f in report.findings]


@pytest.mark.parametrize(
    "refused",
    [
        'op.alter_column("offer", "received", new_column_name="received_at")',
        'op.alter_column("offer", "received", new_column_name="received_at", nullable=True)',
        """
        with op.batch_alter_table("offer") as batch_op:
            batch_op.alter_column("received", new_column_name="received_at")
        """,
    ],
)
def test_a_rename_alembic_refuses_leaves_the_losses_to_l322(tmp_path: Path, refused: str) -> None:
    found = _findings(tmp_path, ADDS_RECEIVED, revision(refused))
    assert [code for path, code, _ in found if path == "r1.py" and code == "L330"] == []
    errors = [message for path, code, message in found if path == "r1.py" and code == "L322"]
    assert len(errors) == 1
    if "nullable=True" not in refused:
        assert "show it NOT NULL" in errors[0]


def test_l322_names_the_default_a_change_would_drop(tmp_path: Path) -> None:
    refused = revision('op.alter_column("offer", "received", new_column_name="received_at")')
    found = _findings(tmp_path, ADDS_WITH_DEFAULT, refused)
    errors = [message for path, code, message in found if path == "r1.py" and code == "L322"]
    assert len(errors) == 1 and "with a DEFAULT" in errors[0]
    assert "L330" not in [code for path, code, _ in found if path == "r1.py"]


@pytest.mark.parametrize(
    "emitted",
    [
        'op.alter_column("offer", "received", new_column_name="received_at", '
        "existing_type=sa.DateTime())",
        'op.alter_column("offer", "received", type_=sa.DateTime(timezone=True))',
        'op.alter_column("offer", "received", type_=sa.DateTime(timezone=True), '
        "existing_type=sa.DateTime())",
    ],
)
def test_a_change_alembic_writes_is_still_l330(tmp_path: Path, emitted: str) -> None:
    found = _findings(tmp_path, ADDS_RECEIVED, revision(emitted))
    assert [code for path, code, _ in found if path == "r1.py" and code in ("L322", "L330")] == [
        "L330"
    ]


def test_l330_stays_when_l322_is_turned_off(tmp_path: Path) -> None:
    refused = revision('op.alter_column("offer", "received", new_column_name="received_at")')
    found = _findings(tmp_path, ADDS_RECEIVED, refused, severities={"L322": "off"})
    assert [code for path, code, _ in found if path == "r1.py" and code in ("L322", "L330")] == [
        "L330"
    ]


def test_l322_says_nothing_more_of_a_column_with_nothing_to_lose(tmp_path: Path) -> None:
    nullable = revision(
        'op.add_column("offer", sa.Column("received", sa.DateTime(), nullable=True))',
        'op.drop_column("offer", "received")',
    )
    refused = revision('op.alter_column("offer", "received", new_column_name="received_at")')
    found = _findings(tmp_path, nullable, refused)
    errors = [message for path, code, message in found if path == "r1.py" and code == "L322"]
    assert len(errors) == 1 and "the revisions show it" not in errors[0]
