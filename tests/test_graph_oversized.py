"""Revision files too large to parse (F208), placed in the graph from their header alone.

The fixtures are generated here: a revision of the template's form whose upgrade() (or a
module-level list) carries megabytes of literal rows, the rows' text full of the words the
reader watches (`revision`, `globals`, `import *`), quotes, backslashes and non-ASCII letters.
The streaming scanner is also checked against Python's own tokenizer on generated sources, read
in chunks of every small size so that every token is cut by a chunk boundary somewhere.
"""

from __future__ import annotations

import io
import json
import random
import tokenize
from pathlib import Path
from typing import Any, Callable

import pytest
from conftest import HEAD, git, run_cli

from alembic_sentinel.errors import Refused
from alembic_sentinel.graph import git_revisions, revision_cache, revision_files
from alembic_sentinel.graph.bounded_header import HEADER_WINDOW_BYTES, read_header
from alembic_sentinel.graph.rebase import Reparent, require_rewritable
from alembic_sentinel.graph.revision_cache import ParseCache
from alembic_sentinel.graph.revision_file import IDENTIFIERS, WATCHED_WORDS
from alembic_sentinel.graph.revision_files import read_revision_files
from alembic_sentinel.graph.revision_graph import RevisionGraph
from alembic_sentinel.graph.streamed_code import Doubt, first_binding_doubt
from alembic_sentinel.graph.version_locations import MAX_REVISION_FILE_BYTES
from alembic_sentinel.plan.operations import read_changes

VERSIONS = "migrations/versions"
WATCHED = (*IDENTIFIERS, *WATCHED_WORDS)
LEDGER = "f1a2b3c4d5e6"  # creates ledger.memo NOT NULL
BULKY = "f2b3c4d5e6f7"  # the padded revision, after LEDGER
WIDER = "f3c4d5e6f7a8"  # after BULKY: widens ledger.memo without existing_nullable (L330)
ROW_WORDS = (
    "revision",
    "down_revision",
    "globals",
    "exec",
    "import *",
    "don't",
    '"quoted"',
    "a\\b",
    "{brace}",
    "Zürich",
    "naïve",
    "# not a comment",
)


def reader(data: bytes, size: int) -> Callable[[int], bytes]:
    """read(n) over `data` that never gives more than `size` bytes at a time."""
    stream = io.BytesIO(data)
    return lambda wanted: stream.read(min(wanted, size))


def doubt_of(source: str, size: int = 1 << 16) -> Doubt | None:
    data = source.encode()
    return first_binding_doubt(b"", reader(data, size), WATCHED)


# --- the scanner: code, not literal text --------------------------------------------------

PASSES = [
    'rows = ["revision", \'globals\', "import *"]\n',
    "x = \"a \\\" revision \\\\\"; y = 'it\\'s exec'\n",
    'x = r"\\" revision" + b"down_revision" + rb\'eval\' + u"vars"\n',
    'doc = """\nrevision = "x"\n\'\'\' globals()\n"""\n',
    "doc = '''a \"\"\" revision ''' + '''x''y'''\n",
    "x = 1  # revision = 'evil', don't\ny = 2\n",
    "x = 'line \\\ncontinued revision'\n",
    "value = 1 + \\\n    2\n",
    "revisions = my_revision + evaluate(down_revision_id, globals_)\n",
    'n = 0x1F + 1e5 + 1_000j\nnote = "Zürich naïve"\n',
    'op.execute(f"UPDATE t SET n = {count} WHERE id = {row.id:>10}")\n',
    'label = f"{{revision}} {n!r}" + F"""\n{n}\n"""\n',
    "from sqlalchemy import (\n    table,\n    column,\n)\n",
    "def upgrade():\n    op.bulk_insert(t, [{'note': 'revision exec'}])\n",
]

DOUBTS = [
    ('x = 1\nrevision = "b1"\n', 2, "`revision`"),
    ('rows = ["a"]\ndef upgrade():\n    globals()["revision"] = "x"\n', 3, "`globals`"),
    ("note = 'x'\nfrom helpers import *\n", 2, "a star import"),
    ("note = 'x'\nfrom helpers import \\\n    *\n", 2, "a star import"),
    ("def upgrade():\n    global down_revision\n", 2, "`down_revision`"),
    ('x = "a"\nrévision = "b"\n', 2, "non-ASCII code"),
    ('x = "unclosed\n', 1, "a string that does not end where Python's would"),
    ('x = q"text"\n', 1, "a name right before a quote"),
    ('x = f"{exec(code)}"\n', 1, "`exec` in an f-string"),
    # a field holding quotes: read raw from there, where text counts too
    ("x = f\"{row['id']}\"\nnote = 'revision'\n", 2, "`revision` after an f-string"),
    ("x = 1 $ 2\n", 1, "'$'"),
]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 1 << 16])
@pytest.mark.parametrize("source", PASSES)
def test_names_in_literal_text_and_comments_are_not_code(source: str, size: int) -> None:
    assert doubt_of(source, size) is None


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 1 << 16])
@pytest.mark.parametrize(("source", "line", "what"), DOUBTS)
def test_what_may_bind_a_name_is_a_doubt_at_its_line(
    source: str, line: int, what: str, size: int
) -> None:
    doubt = doubt_of(source, size)
    assert doubt is not None
    assert doubt.line == line
    assert doubt.what.startswith(what)


def test_a_field_holding_quotes_with_nothing_watched_after_it_passes() -> None:
    assert doubt_of("x = f\"{row['id']}\"\ny = [1, 2]\n") is None


def test_a_one_line_literal_of_megabytes_is_passed_over_in_bounded_memory() -> None:
    """One string of 4 MB on one line, read 64 KiB at a time: never held whole."""
    data = b'rows = "' + b"revision " * (4 * 1024 * 1024 // 9) + b'"\nnote = 1\n'
    held: list[int] = []
    stream = io.BytesIO(data)

    def read(wanted: int) -> bytes:
        held.append(wanted)
        return stream.read(wanted)

    assert first_binding_doubt(b"", read, WATCHED) is None
    assert max(held) <= 1 << 16


# --- the scanner agrees with Python's tokenizer -------------------------------------------

NAMES = (*WATCHED, "import", "revisions", "my_revision", "evaluate", "op", "sa", "rows", "x")
STRING_TEXT = ["revision", "exec", " ", "#", "'", '"', "\\n", "\\'", '\\"', "\\\\", "é", "{", "}"]
# replacement fields Python 3.9's tokenizer and 3.12's agree on (no quotes, no watched names)
FIELDS = ["{rows}", "{x:>3}", "{op!r}", "{{", "}}", "{sa.func(x)[1]}"]


def _string(rnd: random.Random) -> str:
    """A valid string literal whose text holds watched words, escapes, quotes and braces."""
    quote = rnd.choice(["'", '"', "'''", '"""'])
    prefix = rnd.choice(["", "", "r", "b", "u", "rb", "Br", "f", "F", "rf"])
    text = STRING_TEXT + FIELDS if "f" in prefix.lower() else STRING_TEXT
    units = [rnd.choice(text) for _ in range(rnd.randint(0, 6))]
    if "f" in prefix.lower():  # a lone brace is an error in an f-string
        units = [unit for unit in units if unit not in ("{", "}")]
    if "b" in prefix.lower():
        units = [unit.replace("é", "e") for unit in units]
    if len(quote) == 3:
        units = [unit.replace("\\n", "\n") for unit in units]
        # a lone quote, never next to another or to the closing quotes
        units = [unit + "x" if unit == quote[0] else unit for unit in units]
    else:
        units = [unit for unit in units if unit != quote[0]]
    return f"{prefix}{quote}{''.join(units)}{quote}"


def _source(rnd: random.Random) -> str:
    parts, open_brackets = [], []
    for _ in range(rnd.randint(1, 40)):
        kind = rnd.random()
        if kind < 0.3:
            parts.append(_string(rnd))
        elif kind < 0.55:
            parts.append(rnd.choice(NAMES))
        elif kind < 0.65:
            parts.append(rnd.choice(["1", "0x1F", "1e5", "2.5j"]))
        elif kind < 0.75:
            parts.append(rnd.choice(["=", "+", ",", "*", ".", ":"]))
        elif kind < 0.8:
            opening = rnd.choice(["(", "[", "{"])
            open_brackets.append({"(": ")", "[": "]", "{": "}"}[opening])
            parts.append(opening)
        elif kind < 0.84 and open_brackets:
            parts.append(open_brackets.pop())
        elif kind < 0.9:
            parts.append(f"# {rnd.choice(NAMES)} it's\n")
        elif kind < 0.94:
            parts.append("\\\n")
        else:
            parts.append("\n")
    return " ".join([*parts, *reversed(open_brackets)]) + "\n"


def _tokenizer_doubt(source: str) -> int | None:
    """The line of the first watched name or star import Python's tokenizer finds; -1 when it
    cannot tokenize the source."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return -1
    if any(token.type == tokenize.ERRORTOKEN for token in tokens):
        return -1
    for token, following in zip(tokens, tokens[1:]):
        if token.type == tokenize.NAME and token.string in WATCHED:
            return token.start[0]
        if token.string == "import" and following.string == "*":
            return token.start[0]
    return None


def test_the_scanner_finds_exactly_the_names_python_tokenizes() -> None:
    rnd = random.Random(208)
    checked = 0
    for _ in range(1500):
        source = _source(rnd)
        expected = _tokenizer_doubt(source)
        if expected == -1:
            continue
        checked += 1
        for size in (1, 3, 1 << 16):
            doubt = doubt_of(source, size)
            found = None if doubt is None else doubt.line
            assert found == expected, (source, size, doubt)
    assert checked > 1000


# --- the header ---------------------------------------------------------------------------


def row_text(rnd: random.Random) -> str:
    return " ".join(rnd.choice(ROW_WORDS) for _ in range(8))


def padded_revision(
    revision: str,
    parent: str,
    *,
    size: int = MAX_REVISION_FILE_BYTES + 256 * 1024,
    rows_first: bool = False,
    rows_in_upgrade: bool = True,
    tail: str = "",
) -> str:
    """A revision of the template's form carrying `size` bytes of literal rows: in upgrade()
    (rows_in_upgrade), or in a module-level list; `rows_first`: before the identifiers."""
    rnd = random.Random(revision)
    rows, total, number = [], 0, 0
    while total < size:
        row = f"    {{'id': {number}, 'note': {row_text(rnd)!r}, 'extra': None}},\n"
        rows.append(row)
        total += len(row)
        number += 1
    data = "".join(rows)
    doc = f'"""load the ledger notes\n\nRevision ID: {revision}\nRevises: {parent}\n"""\n'
    imports = "from alembic import op\nimport sqlalchemy as sa\n\n"
    identifiers = (
        f'revision = "{revision}"\ndown_revision = "{parent}"\n'
        "branch_labels = None\ndepends_on = None\n\n"
    )
    notes = "notes = sa.table('ledger', sa.column('id'), sa.column('note'))\n\n\n"
    if rows_in_upgrade and not rows_first:
        body = f"def upgrade():\n    op.bulk_insert(notes, [\n{data}    ])\n"
        return doc + imports + identifiers + notes + body + _DOWNGRADE + tail
    rows_list = f"ROWS = [\n{data}]\n\n"
    head = rows_list + identifiers if rows_first else identifiers + rows_list
    upgrade = "def upgrade():\n    op.bulk_insert(notes, ROWS)\n"
    return doc + imports + head + notes + upgrade + _DOWNGRADE + tail


_DOWNGRADE = '\n\ndef downgrade():\n    op.execute("DELETE FROM ledger")\n'


def header_of(source: str, size: int = 1 << 16) -> bytes | None:
    return read_header(reader(source.encode(), size)).text


@pytest.mark.parametrize("rows_in_upgrade", [True, False])
def test_the_header_of_a_padded_revision_is_its_top_level_statements(
    rows_in_upgrade: bool,
) -> None:
    source = padded_revision(BULKY, LEDGER, rows_in_upgrade=rows_in_upgrade)
    header = header_of(source, size=4096)
    assert header is not None
    assert len(header) < HEADER_WINDOW_BYTES
    assert f'revision = "{BULKY}"'.encode() in header
    assert header.rstrip().endswith(b"sa.column('note'))" if rows_in_upgrade else b"None")


def test_identifiers_after_the_window_leave_the_file_out_and_say_why() -> None:
    source = padded_revision(BULKY, LEDGER, rows_first=True)
    header = read_header(reader(source.encode(), 1 << 16))
    assert header.text is None
    line = source[: source.index("revision = ")].count("\n") + 1
    assert header.reason == (
        f"`revision` at line {line}, past the header its first 64 KiB hold, may bind an "
        "identifier the header does not show"
    )


def test_an_identifier_bound_again_after_the_rows_leaves_the_file_out() -> None:
    source = padded_revision(BULKY, LEDGER, tail='\ndown_revision = "elsewhere"\n')
    header = read_header(reader(source.encode(), 1 << 16))
    assert header.text is None
    assert header.reason.startswith("`down_revision` at line ")


def test_the_header_never_ends_between_a_decorator_and_its_def() -> None:
    source = (
        'revision = "a1"\ndown_revision = None\n\n@decorate\ndef upgrade():\n'
        f"    rows = {'x' * HEADER_WINDOW_BYTES!r}\n"
    )
    assert header_of(source) == b'revision = "a1"\ndown_revision = None\n\n'


def test_a_multi_byte_encoding_is_not_scanned() -> None:
    source = "# -*- coding: shift_jis -*-\nrevision = 'a1'\ndown_revision = None\nx = 1\n"
    header = read_header(reader(source.encode(), 1 << 16))
    assert header.text is None
    assert header.reason == "it declares the shift-jis encoding"


# --- heads, graph and lint --all on a project with one -------------------------------------

LEDGER_SOURCE = f'''"""create the ledger

Revision ID: {LEDGER}
Revises: {HEAD}
"""
from alembic import op
import sqlalchemy as sa

revision = "{LEDGER}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("memo", sa.String(length=40), nullable=False),
    )


def downgrade():
    op.drop_table("ledger")
'''

WIDER_SOURCE = f'''"""widen the ledger memo

Revision ID: {WIDER}
Revises: {BULKY}
"""
from alembic import op
import sqlalchemy as sa

revision = "{WIDER}"
down_revision = "{BULKY}"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("ledger", "memo", type_=sa.String(length=80))


def downgrade():
    op.alter_column("ledger", "memo", type_=sa.String(length=40))
'''


def add_history(project: Path, **padded: bool) -> Path:
    versions = project / VERSIONS
    (versions / f"{LEDGER}_create_the_ledger.py").write_text(LEDGER_SOURCE)
    bulky = versions / f"{BULKY}_load_the_ledger_notes.py"
    bulky.write_text(padded_revision(BULKY, LEDGER, **padded), encoding="utf-8")
    assert bulky.stat().st_size > MAX_REVISION_FILE_BYTES
    (versions / f"{WIDER}_widen_the_ledger_memo.py").write_text(WIDER_SOURCE)
    return bulky


def test_heads_places_the_padded_revision_and_its_child_follows_it(project: Path) -> None:
    add_history(project)

    result = run_cli(project, "heads")

    # F208 is a warning: the operations are unread, but the graph (Alembic's answer) is whole
    assert result.code == 0, result.output
    assert result.out.startswith(f"{WIDER} (head) widen the ledger memo\n"), result.output
    assert "G102" not in result.out
    assert (
        f"{VERSIONS}/{BULKY}_load_the_ledger_notes.py: warning: F208 larger than 2 MiB: too "
        "large to read statically, so its operations were not reviewed; its header (the first "
        "64 KiB) was read and places it in the graph"
    ) in result.out


def test_graph_json_counts_the_padded_revision_and_knows_the_heads(project: Path) -> None:
    add_history(project)

    document = json.loads(run_cli(project, "graph", "--format", "json").out)

    assert document["heads_known"] is True
    assert document["heads"] == [WIDER]
    assert document["revisions"] == 6 + 3
    assert [f["code"] for f in document["findings"]] == ["F208"]


def test_a_padded_revision_whose_header_is_past_the_window_stays_out(project: Path) -> None:
    add_history(project, rows_first=True)

    result = run_cli(project, "graph", "--format", "json")

    document = json.loads(result.out)
    assert document["heads_known"] is False
    codes = sorted(f["code"] for f in document["findings"])
    assert codes == ["F208", "G102"]  # the child names a parent the graph does not have
    (too_large,) = [f for f in document["findings"] if f["code"] == "F208"]
    assert "past the header its first 64 KiB hold" in too_large["message"]
    assert too_large["message"].endswith(
        "the revision is not in the graph, so the graph is incomplete"
    )


def test_lint_all_follows_the_history_through_the_padded_revision(project: Path) -> None:
    """LEDGER's NOT NULL reaches WIDER across BULKY: the alter_column that restates the column
    without it is L330. Without BULKY in the graph WIDER would sit at the base and see nothing."""
    add_history(project)

    result = run_cli(project, "lint", "--all", "--format", "json")

    document = json.loads(result.out)
    found = {(f["code"], Path(f["path"]).name.split("_")[0]) for f in document["findings"]}
    assert ("F208", BULKY) in found
    assert ("L330", WIDER) in found
    (too_large,) = [f for f in document["findings"] if f["code"] == "F208"]
    assert "its operations were not reviewed" in too_large["message"]
    assert not [
        f
        for f in document["findings"]
        if f["path"].startswith(f"{VERSIONS}/{BULKY}") and f["code"] != "F208"
    ]


def test_a_padded_revision_at_a_git_ref_is_placed_from_its_blob(
    project: Path, git_isolated: None
) -> None:
    bulky = add_history(project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the ledger")
    git(project, "checkout", "-q", "-b", "feature")
    # the working tree's copy differs from the blob: the blob itself is read
    bulky.write_text(bulky.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    read = git_revisions.read_at_ref(
        git_revisions.open_repo(project), "main", [project / VERSIONS], project, False
    )
    placed = {r.revision: r.down_revisions for r in read.revisions}
    assert placed[BULKY] == (LEDGER,)
    assert placed[WIDER] == (BULKY,)
    assert [f.code for f in read.findings] == ["F208"]

    result = run_cli(project, "heads", "--against", "main")
    assert f"after a merge with main: 1 head: {WIDER}" in result.out, result.output
    assert "G102" not in result.out


def test_reading_a_padded_file_holds_only_a_window(tmp_path: Path) -> None:
    """The reader streams: it never asks for more than a chunk, so a file of any size costs
    the same memory (the hostile tests measure a process's peak)."""
    path = tmp_path / "b1.py"
    path.write_text(padded_revision(BULKY, LEDGER), encoding="utf-8")
    result = read_revision_files([path], tmp_path)
    assert [(r.revision, r.down_revisions, r.lines["revision"]) for r in result.revisions] == [
        (BULKY, (LEDGER,), 9)
    ]


def test_the_parse_cache_keeps_a_padded_file_by_its_status_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unchanged, it is not streamed again; its bytes are never hashed (read whole)."""
    monkeypatch.setattr(revision_cache, "RACY_SECONDS", 0)  # written just now
    path = tmp_path / "b1.py"
    path.write_text(padded_revision(BULKY, LEDGER), encoding="utf-8")
    first = ParseCache(tmp_path, tmp_path / "cache")
    expected = read_revision_files([path], tmp_path, first)
    first.save()
    streamed: list[object] = []
    real_stream_file = revision_files.stream_file

    def counting(*args: Any, **kwargs: Any) -> Any:
        streamed.append(args[0])
        return real_stream_file(*args, **kwargs)

    monkeypatch.setattr(revision_files, "stream_file", counting)
    again = read_revision_files([path], tmp_path, ParseCache(tmp_path, tmp_path / "cache"))
    assert streamed == []
    assert (again.revisions, again.findings) == (expected.revisions, expected.findings)
    # a star import in the header: read against the root's modules, which no status shows
    path.write_text("from helpers import *\n" + padded_revision(BULKY, LEDGER), encoding="utf-8")
    starred = read_revision_files([path], tmp_path, ParseCache(tmp_path, tmp_path / "cache"))
    assert starred.star_imports == ["b1.py"]


def test_plan_and_rebase_never_parse_nor_rewrite_a_padded_file(tmp_path: Path) -> None:
    """The graph holds it from its header; what would read it whole refuses it instead."""
    path = tmp_path / "b1.py"
    path.write_text(padded_revision(BULKY, LEDGER), encoding="utf-8")
    read = read_revision_files([path], tmp_path)
    graph = RevisionGraph.build(read.revisions)

    changes, unreadable = read_changes(graph, [BULKY], tmp_path)
    assert changes == []
    assert unreadable == ["b1.py: not planned: too large to read statically (F208)"]

    step = Reparent(read.revisions[0], (LEDGER,), (HEAD,))
    with pytest.raises(Refused, match=r"b1.py: too large to rewrite statically .* by hand"):
        require_rewritable(tmp_path, [step])
