"""The static reader keeps every file Alembic loads: star imports and names like `globals`.

Real histories have revisions that star-import an ORM library (and assign `revision` and
`down_revision` literally, never naming `branch_labels`/`depends_on`), and revisions with a local
variable called `globals` inside a function. Alembic loads both; the graph must hold them, and
its heads must be Alembic's own (`ScriptDirectory.get_heads()` on the same files). What is truly
ambiguous (a star import from the project's own module, which may define anything) is refused,
and then `heads` says the heads are unknown instead of printing a graph without the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

HEADER = '"""{doc}\n\nRevision ID: {rev}\nRevises: {down}\n"""\n'


def write(versions: Path, rev: str, down: str | None, body: str) -> None:
    doc = HEADER.format(doc=f"r {rev}", rev=rev, down=down or "")
    (versions / f"{rev}_r.py").write_text(doc + body)


PLAIN = 'revision = "{rev}"\ndown_revision = {down!r}\n\n\ndef upgrade():\n    pass\n'
# the ORM library star-imported, the identifiers after it, the optional ones never named
LIBRARY_STAR = (
    "from alembic import op\nfrom sqlalchemy import *\n\n"
    'revision = "{rev}"\ndown_revision = {down!r}\n\n\n'
    "def upgrade():\n    op.add_column('t', Column('c', Integer()))\n"
)
# a local variable named `globals`, in a function never called at import
LOCAL_GLOBALS = (
    'revision = "{rev}"\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n\n'
    "def upgrade():\n    globals = {{'a': 1}}\n    return globals['a']\n"
)
# the project's own module: it may define branch_labels (and does here)
PROJECT_STAR = (
    "from helpers import *\n\n"
    'revision = "{rev}"\ndown_revision = {down!r}\n\n\ndef upgrade():\n    pass\n'
)


def alembic_heads(root: Path) -> set[str]:
    import sys

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(root / "migrations"))
    sys.path.insert(0, str(root))
    try:
        return set(ScriptDirectory.from_config(config).get_heads())
    finally:
        sys.path.remove(str(root))


def project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "app"
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    write(versions, "aaa000000001", None, PLAIN.format(rev="aaa000000001", down=None))
    return root, versions


def test_a_library_star_import_and_a_local_globals_keep_their_files_in_the_graph(
    tmp_path: Path,
) -> None:
    root, versions = project(tmp_path)
    write(
        versions,
        "bbb000000002",
        "aaa000000001",
        LIBRARY_STAR.format(rev="bbb000000002", down="aaa000000001"),
    )
    write(
        versions,
        "ccc000000003",
        "bbb000000002",
        LOCAL_GLOBALS.format(rev="ccc000000003", down="bbb000000002"),
    )
    heads = run_cli(root, "heads", "--format", "json")
    assert heads.code == 0, heads.output
    document = json.loads(heads.out)
    assert set(document["heads"]) == alembic_heads(root) == {"ccc000000003"}
    codes = [finding["code"] for finding in document["findings"]]
    assert "F203" not in codes
    (notice,) = [f for f in document["findings"] if f["code"] == "F211"]
    assert (notice["severity"], notice["line"]) == ("notice", 7)
    assert "from sqlalchemy import *" in notice["message"]


def test_a_literal_after_a_star_import_wins_and_the_truly_ambiguous_says_heads_unknown(
    tmp_path: Path,
) -> None:
    root, versions = project(tmp_path)
    (root / "helpers.py").write_text('branch_labels = ("helpers",)\ndepends_on = None\n')
    write(
        versions,
        "ddd000000002",
        "aaa000000001",
        PROJECT_STAR.format(rev="ddd000000002", down="aaa000000001"),
    )
    assert alembic_heads(root) == {"ddd000000002"}  # Alembic loads it, labelled
    heads = run_cli(root, "heads")
    assert heads.code == 1, heads.output
    assert "heads unknown: 1 revision file could not be read" in heads.out
    assert "aaa000000001 (head)" not in heads.out  # not the graph without the file
    assert "F203" in heads.output and "from helpers import *" in heads.output
