"""L305 and a column the revision says can be computed again (issue 20, round 34): a comment
on the drop's own line ("# can be generated"), or a sentence naming the column, saying its
values can be regenerated, derived or recomputed from other data, or calling them cached or
denormalized: nothing of its own is lost.

A column said only to be unused, no longer needed or stateless, a derivation said of another
column, a negation ("cannot be computed") or a TODO note stays reported. Our own revisions."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

DROP = 'op.drop_column("gauge", "reading_total")'
OTHER = 'op.drop_column("gauge", "unit_label")'


def l305_on_total(source: str) -> list[str]:
    return [f.message for f in lint(source) if f.code == "L305" and "reading_total" in f.message]


def _with_message(message: str, upgrade: str) -> str:
    return revision(upgrade).replace("a test revision", message, 1)


@pytest.mark.parametrize(
    "source",
    [
        revision(f"{DROP}  # can be generated\n"),
        revision(f"{DROP}  # derived: can always be recomputed from gauge_sample\n"),
        revision(f"# reading_total is a denormalized sum of gauge_sample rows\n{DROP}\n{OTHER}"),
        revision(f'"""reading_total was cached; it is computed from the samples now."""\n{DROP}'),
        revision('op.execute("ALTER TABLE gauge DROP COLUMN reading_total")  # can be rebuilt\n'),
        _with_message("Drop reading_total\n\nreading_total is recalculated on the fly.", DROP),
        # round 35: said to be the sum / total / count of columns that stay
        revision(f"# drop reading_total as it is simply the sum of low and high\n{DROP}"),
        revision(f"{DROP}  # it is just the count of gauge_sample rows\n"),
    ],
)
def test_a_column_said_derivable_is_no_loss(source: str) -> None:
    assert l305_on_total(source) == []


@pytest.mark.parametrize(
    "source",
    [
        revision(DROP),
        revision(f"{DROP}  # no longer used\n"),
        revision(f"{DROP}  # cannot be treated as stateless\n"),
        revision(f"{DROP}  # cannot be computed again: keep a backup\n"),
        revision(f"{DROP}  # TODO: can be generated?\n"),
        # the derivation is said of the other column
        revision(f"{DROP}\n{OTHER}  # can be generated\n"),
        revision(f"# unit_label is a cached copy of unit.name\n{DROP}\n{OTHER}"),
        # a sum said of the other column; a sum that is no derivation of the dropped one
        revision(f"{DROP}\n{OTHER}  # unit_label is the concatenation of unit and scale\n"),
        revision(f"{DROP}  # the sum of all readings was never right\n"),
    ],
)
def test_a_drop_not_said_derivable_stays_reported(source: str) -> None:
    assert len(l305_on_total(source)) == 1
