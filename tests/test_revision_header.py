"""The header-only reader answers exactly what the `ast` reader answers.

Both readers get the same generated revision files: the templates' plain form and every
variation around it we could think of (annotations, tuples and lists, parenthesised strings,
comments, quotes of both kinds, non-ASCII docstrings, a `def` inside the docstring, CRLF, a BOM,
backslashes, imports that bind an identifier, names assigned twice, values that are not literals,
statements of other kinds, rebinding below the functions). Wherever the text reader is not sure
it hands the file to `ast`, so the two must agree on every input; and on the plain form the text
reader must be the one that answers.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from alembic_sentinel.graph.revision_files import plain_declarations, read_revision_source

IDENTIFIERS = ("revision", "down_revision", "branch_labels", "depends_on")
PLAIN_IDS = st.sampled_from(["ae1027a6acf", "3c9f", "base", "a,b", "x#y", ""])
REVISION_IDS = st.one_of(PLAIN_IDS, st.just("é1"))


def quoted(text: str, quote: str) -> str:
    return f"{quote}{text}{quote}"


@st.composite
def literal(draw: st.DrawFn) -> str:
    """A value for an identifier: mostly what templates write, sometimes anything else."""
    quote = draw(st.sampled_from(["'", '"']))
    ids = draw(st.lists(REVISION_IDS, max_size=3))
    items = ", ".join(quoted(i, quote) for i in ids)
    return draw(
        st.sampled_from(
            [
                "None",
                quoted(ids[0] if ids else "abc", quote),
                f"({items})",
                f"({items},)" if ids else "()",
                f"[{items}]",
                f"( {items} )",
                "42",
                "some_name",
                f"f{quoted('x', quote)}",
                f"{quoted('a', quote)} {quoted('b', quote)}",
                f"{quoted('a', quote)} + {quoted('b', quote)}",
                f"r{quoted('abc', quote)}",
                f"{quoted('a', quote)};",
                f"(\n    {items}\n)",
                quoted("a\\tb", quote),
            ]
        )
    )


@st.composite
def plain_statement(draw: st.DrawFn, name: str | None = IDENTIFIERS[0]) -> str:
    """What the templates write: `name` assigned a plain literal; with no name an import, a
    comment or a blank line."""
    quote = draw(st.sampled_from(["'", '"']))
    ids = draw(st.lists(PLAIN_IDS, max_size=3))
    items = ", ".join(quoted(i, quote) for i in ids)
    value = draw(
        st.sampled_from(
            ["None", quoted(ids[0] if ids else "", quote), f"({items})", f"[{items}]", "()"]
        )
    )
    annotation = draw(st.sampled_from(["", "", ": str", ": Union[str, Sequence[str], None]"]))
    if name is not None:
        return draw(st.sampled_from([f"{name}{annotation} = {value}", f"{name} = {value}  # x"]))
    return draw(
        st.sampled_from(
            [
                "from alembic import op",
                "import sqlalchemy as sa",
                "from typing import Sequence, Union",
                "# revision identifiers, used by Alembic.",
                "",
            ]
        )
    )


@st.composite
def statement(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(plain_statement(draw(st.sampled_from(IDENTIFIERS))))
    name = draw(st.sampled_from([*IDENTIFIERS, *IDENTIFIERS, "other", "exec", "Revises"]))
    annotation = draw(
        st.sampled_from(["", ": str", ": Union[str, None]", ": Union[str, Sequence[str], None]"])
    )
    comment = draw(st.sampled_from(["", "  # a comment", "  # revision = 'no'"]))
    return draw(
        st.sampled_from(
            [
                f"{name}{annotation} = {draw(literal())}{comment}",
                f"{name} = {draw(literal())}{comment}",
                "from alembic import op",
                "import sqlalchemy as sa",
                "from typing import Sequence, Union",
                "from __future__ import annotations",
                "from app.models import revision",
                "import revision.helpers",
                "from x import *",
                "# revision identifiers, used by Alembic.",
                "",
                "    # an indented comment",
                "if True:\n    revision = 'in_if'",
                "x = 1 + 2",
                "revision = down_revision = 'chained'",
                "   revision = 'indented'",
                "revision: str",
                "from . import sibling",
            ]
        )
    )


@st.composite
def docstring(draw: st.DrawFn) -> str:
    quote = draw(st.sampled_from(['"""', "'''"]))
    message = draw(st.sampled_from(["add table", "änderung ü", "", " spaced ", 'say "hi"']))
    lines = [
        message,
        "",
        f"Revision ID: {draw(REVISION_IDS)}",
        f"Revises: {draw(st.sampled_from(['', 'None', 'a1', 'a1, b2', '(a1, b2)']))}",
        "Create Date: 2024-01-02 03:04:05.000000",
    ]
    extra = draw(st.sampled_from(["", "", "", "\ndef looks_like_code():", "\nwith a \\ back"]))
    closing = draw(st.sampled_from(["", "", "", "  # trailing comment", " + 'x'", " 'more'"]))
    return f"{quote}{chr(10).join(lines)}{extra}\n{quote}{closing}"


@st.composite
def revision_file(draw: st.DrawFn) -> bytes:
    parts = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["#!/usr/bin/env python", "# a header comment", ""])))
    if draw(st.integers(0, 9)) > 1:
        parts.append(draw(docstring()))
    # each identifier at most once (mostly), imports and comments between, rarely anything else
    names = draw(st.permutations(IDENTIFIERS))[: draw(st.integers(0, 4))]
    for name in names:
        parts.extend(draw(st.lists(plain_statement(None), max_size=2)))
        parts.append(draw(plain_statement(name)))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        parts.insert(draw(st.integers(0, len(parts))), draw(statement()))
    body = (
        "\n\ndef upgrade():\n    op.execute('UPDATE t SET a = 1')\n\n\ndef downgrade():\n    pass\n"
    )
    late = draw(
        st.sampled_from(
            [
                *[""] * 8,
                "\nrevision = 'late'\n",
                "\nglobals()['down_revision'] = 'x'\n",
                "\ndef helper():\n    global depends_on\n    depends_on = 'x'\n",
                "\nimport revision\n",
                "\n# a comment that names revision\n",
            ]
        )
    )
    text = "\n".join(parts) + body + late
    if draw(st.integers(0, 19)) == 0:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if draw(st.integers(0, 19)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(revision_file())
def test_both_readers_give_the_same_answer_on_every_file(source: bytes) -> None:
    by_text = read_revision_source(source, "versions/x.py")
    by_ast = read_revision_source(source, "versions/x.py", header_reader=False)
    assert by_text == by_ast
    event("read from the text" if plain_declarations(source) else "read with ast")


TEMPLATES = {
    "alembic before 1.13": (
        '"""add table\n\nRevision ID: ae1027a6acf\nRevises: 1975ea83b712\n'
        'Create Date: 2024-01-02 03:04:05.000000\n\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n\n"
        "# revision identifiers, used by Alembic.\nrevision = 'ae1027a6acf'\n"
        "down_revision = '1975ea83b712'\nbranch_labels = None\ndepends_on = None\n\n\n"
    ),
    "alembic 1.13+": (
        '"""add table\n\nRevision ID: ae1027a6acf\nRevises: \nCreate Date: 2024-01-02\n\n"""\n'
        "from typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n"
        "\n\n# revision identifiers, used by Alembic.\nrevision: str = 'ae1027a6acf'\n"
        "down_revision: Union[str, None] = None\n"
        "branch_labels: Union[str, Sequence[str], None] = None\n"
        "depends_on: Union[str, Sequence[str], None] = None\n\n\n"
    ),
    "a merge": (
        '"""merge heads\n\nRevision ID: 5e6f\nRevises: 1a2b, 3c4d\n\n"""\n'
        "revision = '5e6f'\ndown_revision = ('1a2b', '3c4d')\nbranch_labels = None\n"
        "depends_on = None\n\n\n"
    ),
}
BODY = "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"


def test_the_templates_forms_are_read_from_the_text() -> None:
    for name, header in TEMPLATES.items():
        source = (header + BODY).encode()
        assert plain_declarations(source) is not None, name
        by_text = read_revision_source(source, "versions/x.py")
        assert by_text == read_revision_source(source, "versions/x.py", header_reader=False)
        assert by_text[0] is not None and by_text[1] == [], name
