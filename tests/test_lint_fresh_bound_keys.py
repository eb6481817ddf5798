"""L309 and a key column filled per row by a raw UPDATE with a bound fresh value (issue 20,
round 42): `UPDATE t SET c = :u WHERE id = :id` executed in a loop over the rows with `u` made
per pass by a unique-id generator (`str(uuid4())`, `uuid.uuid1().hex`, `str(ULID())`,
`ulid.new()`, `secrets.token_hex(8)`, `nanoid.generate()`, `shortuuid.uuid()`, `ObjectId()`,
an f-string of one), given in the execute's parameter dict or keywords, or bound to a name in
the loop, cannot meet a duplicate. A value made once before the loop, an UPDATE whose WHERE is
not the row's key, a conversion (`ULID.from_str(row.code)`) or a plain column of the row is
still reported. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

KEY = 'op.create_unique_constraint("uq_invoice_ref", "invoice", ["ref"])'
ADD = 'op.add_column("invoice", sa.Column("ref", sa.String(36), nullable=True))'
HEADER = (
    "import secrets\nimport uuid\nfrom uuid import uuid4\nimport ulid\nfrom ulid import ULID\n"
    "import nanoid\nimport shortuuid\nfrom bson import ObjectId"
)


def _loop(value: str, where: str = "id = :id", pass_as: str = "dict") -> str:
    given = f'{{"ref": {value}, "id": row[0]}}' if pass_as == "dict" else f"ref={value}, id=row[0]"
    return (
        "conn = op.get_bind()\n"
        'for row in conn.execute(sa.text("SELECT id FROM invoice")):\n'
        "    conn.execute(\n"
        f'        sa.text("UPDATE invoice SET ref = :ref WHERE {where}"),\n'
        f"        {given},\n"
        "    )\n"
    )


def _l309(fill: str, dialect: str = "mariadb-10.11") -> list[str]:
    source = revision(f"{ADD}\n{fill}\n{KEY}", header=HEADER)
    return [f.severity for f in lint(source, target=target(dialect)) if f.code == "L309"]


@pytest.mark.parametrize(
    "fill",
    [
        _loop("str(uuid4())"),
        _loop("uuid.uuid1().hex"),
        _loop("str(uuid.uuid7())"),
        _loop("str(ULID())"),
        _loop("str(ulid.new())"),
        _loop("ulid.ulid()"),
        _loop("secrets.token_hex(8)"),
        _loop("secrets.token_urlsafe(12)"),
        _loop("nanoid.generate()"),
        _loop("shortuuid.uuid()"),
        _loop("str(ObjectId())"),
        _loop('f"inv-{uuid4()}"'),
        _loop("str(uuid4())", pass_as="keywords"),
        # bound to a name in the loop first
        _loop("ref").replace("    conn.execute(", "    ref = str(ULID())\n    conn.execute(", 1),
        # the ids fetched into a name, walked by a plain loop (no row object)
        "conn = op.get_bind()\n"
        'ids = conn.execute(sa.text("SELECT id FROM invoice")).scalars().all()\n'
        "for invoice_id in ids:\n"
        "    conn.execute(\n"
        '        sa.text("UPDATE invoice SET ref = :ref WHERE id = :id"),\n'
        '        {"ref": str(ULID()), "id": invoice_id},\n'
        "    )\n",
    ],
)
def test_a_key_column_given_a_fresh_bound_value_per_row_is_quiet(fill: str) -> None:
    assert _l309(fill) == []


@pytest.mark.parametrize(
    "fill",
    [
        # one value made before the loop, written into every row
        "ref = str(uuid4())\n" + _loop("ref"),
        # rows found by a column that may repeat share the value
        _loop("str(uuid4())", where="customer = :id"),
        # a conversion of the row's own value, not a fresh one
        _loop("str(ULID.from_str(row[1]))"),
        # a column of the row: may repeat
        _loop("row[1]"),
        # a constant
        _loop('"pending"'),
    ],
)
def test_a_shared_or_converted_bound_value_is_still_reported(fill: str) -> None:
    assert _l309(fill) == ["warning"]
