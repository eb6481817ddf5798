"""Whether a type change MySQL narrows loses values on PostgreSQL or SQLite (L307, round 38).

type_rules.narrowing says why a change can lose values on MySQL/MariaDB. The other targets
convert otherwise, and a finding must say the target's effect:

- PostgreSQL's `ALTER COLUMN ... TYPE` without `USING` converts with an assignment cast. None
  leads to boolean (from an integer or a string), nor from a string, an Enum or JSON to a
  number or a date: the ALTER fails on any table, whatever its rows hold (DatatypeMismatch,
  "cannot be cast automatically"), so nothing is narrowed. Its TEXT has no size classes
  (MySQL's TINYTEXT, MEDIUMTEXT, ...). With `postgresql_using=` the author's expression
  converts (`c::double precision`): values that do not convert make the ALTER fail, an
  integer cast to boolean keeps only true and false, so the change is judged as narrowing
  says (indico's coordinates, strings cast to numbers). A shorter VARCHAR, a smaller
  integer, fewer DECIMAL digits, DOUBLE to REAL, TIMESTAMP to DATE and text to a shorter
  VARCHAR do have casts: values that do not fit are refused, or lose their time or digits.
- SQLite stores what it is given: a length, an integer's width or a DECIMAL's digits bound
  nothing. A plain `ALTER COLUMN ... TYPE` is no statement it has (it fails before anything is
  converted); only a batch's rebuild converts, with a CAST where the type's affinity changes
  (Alembic's cast_for_batch_migrate): to a number or a date, `'abc'` becomes 0, a DATETIME's
  text its year, a fraction is cut. A Boolean keeps the numbers it is given.
"""

from __future__ import annotations

from alembic_sentinel.lint.revision_model import (
    BLOB,
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM,
    INTEGER,
    JSON,
    NUMERIC,
    STRING,
    TEXT,
    TIME,
    TypeSpec,
)

# families PostgreSQL has no assignment cast from to _CONVERTED (I/O conversion from a string
# type is explicit only), and the families a conversion to which SQLite's batch CASTs lose
_UNCAST_FROM = frozenset({STRING, TEXT, ENUM, JSON})
_CONVERTED = frozenset({INTEGER, NUMERIC, DATE, DATETIME, TIME})


def loses_on_target(
    old: TypeSpec, new: TypeSpec, flavor: str, batch: bool, using: bool = False
) -> bool:
    """Whether a change MySQL narrows (type_rules.narrowing) loses values on the target
    `flavor` too; `batch`: the alter is a batch operation (SQLite rebuilds the table);
    `using`: it gives PostgreSQL a USING expression (postgresql_using=)."""
    before, after = old.family, new.family
    if flavor in ("mysql", "mariadb"):
        return True
    if flavor == "postgresql" and using:
        return after not in (TEXT, BLOB)  # the author's cast converts every value
    if after == BOOLEAN:
        return False  # PostgreSQL has no cast to boolean to run; SQLite keeps the numbers
    if flavor == "postgresql":
        if before in _UNCAST_FROM and after in _CONVERTED:
            return False  # no assignment cast: the ALTER fails outright, nothing converted
        # MySQL's TEXT / BLOB sizes, and JSON held in a smaller one: PostgreSQL's are unbounded
        return after not in (TEXT, BLOB)
    if flavor == "sqlite":
        return batch and after in _CONVERTED and before != after
    return True
