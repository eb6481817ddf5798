"""The shortcuts the linter takes for speed give the answers of the long way: the memo of what
`expressions` read of a node (literals.Names.memo), the paths shown by string, the garbage
collector paused while a history is linted. Fixtures are our own revision patterns."""

from __future__ import annotations

import ast
import gc
import textwrap
from pathlib import Path

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint import literals
from alembic_sentinel.lint.linter import LintOptions, LintResult, lint_files, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import display_path

PATTERNS = Path(__file__).parent / "data" / "revision_patterns"
TARGETS = ("mysql-8.0", "mysql-5.7", "mariadb-10.11", "postgresql")


class _Forgetful(dict[tuple[str, int, str | None], tuple[ast.AST, object]]):
    """A memo that keeps nothing: every question is read again from the syntax."""

    def __setitem__(self, key: tuple[str, int, str | None], value: tuple[ast.AST, object]) -> None:
        pass


def _forget(patch: pytest.MonkeyPatch) -> None:
    """Every Names made from now on keeps nothing in its memo: the long way."""
    original = literals.Names.__init__

    def forgetful_init(self: literals.Names) -> None:
        original(self)
        self.memo = _Forgetful()

    patch.setattr(literals.Names, "__init__", forgetful_init)


@pytest.fixture
def no_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    _forget(monkeypatch)


def _history(target: str) -> Report:
    files = [(path.name, path) for path in sorted(PATTERNS.glob("*.py"))]
    return lint_files(files, LintOptions(target=parse_server_version(target)))


def _alone(target: str) -> list[LintResult]:
    options = LintOptions(target=parse_server_version(target))
    return [
        lint_source(path.read_bytes(), path.name, options) for path in sorted(PATTERNS.glob("*.py"))
    ]


@pytest.mark.parametrize("target", TARGETS)
def test_the_memo_changes_no_answer_on_our_patterns(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(list(PATTERNS.glob("*.py"))) > 20
    history, alone = _history(target), _alone(target)
    assert history.findings  # the patterns are there to be flagged
    with monkeypatch.context() as patch:
        _forget(patch)
        long_history, long_alone = _history(target), _alone(target)
    assert history.findings == long_history.findings
    assert history.facts == long_history.facts
    assert alone == long_alone


# a name bound in downgrade() changes what upgrade()'s column means to the rules that run after
# the whole file is read: `String` is the project's type while upgrade() is read, SQLAlchemy's
# once downgrade() rebinds it (names are per file, not per function)
REBOUND = revision(
    'op.add_column("a", sa.Column("b", String(), nullable=True))',
    'String = sa.String\nop.drop_column("a", "b")',
    header="from ourapp.types import String",
)


def test_the_long_way_sees_a_type_bound_later(no_memo: None) -> None:
    expected = [f.code for f in lint_source(REBOUND, "versions/x.py").findings]
    assert expected == ["L324"]


def test_a_binding_read_later_is_seen_through_the_memo() -> None:
    assert [f.code for f in lint_source(REBOUND, "versions/x.py").findings] == ["L324"]


def test_a_memo_answer_is_for_its_own_node_only() -> None:
    # two columns alike but for their type: each keeps its own answer
    source = revision(
        textwrap.dedent(
            """
            op.add_column("a", sa.Column("b", sa.String(), nullable=True))
            op.add_column("a", sa.Column("c", sa.String(20), nullable=True))
            """
        ),
        'op.drop_column("a", "c")\nop.drop_column("a", "b")',
    )
    findings = lint_source(source, "versions/x.py").findings
    line = source.splitlines().index(
        '    op.add_column("a", sa.Column("b", sa.String(), nullable=True))'
    )
    assert [(f.code, f.line) for f in findings if f.code == "L324"] == [("L324", line + 1)]


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("/p/migrations/versions/a.py", "/p"),
        ("/p/migrations/versions/a.py", "/p/"),
        ("/a/b", "/"),
        ("/p", "/p"),
        ("/pq/x.py", "/p"),
        ("/elsewhere/x.py", "/p"),
        ("migrations/x.py", "."),
        ("//host/share/x.py", "//host"),
    ],
)
def test_paths_shown_by_string_as_relative_to_shows_them(path: str, root: str) -> None:
    try:
        expected = str(Path(path).relative_to(Path(root)))
    except ValueError:
        expected = str(Path(path))
    assert display_path(Path(path), Path(root)) == expected


def test_the_collector_is_paused_while_linting_and_restored_after(tmp_path: Path) -> None:
    seen: list[bool] = []
    original = lint_source

    def watching(*args: object, **kwargs: object) -> LintResult:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    file = tmp_path / "a.py"
    file.write_text(REBOUND, encoding="utf-8")
    import alembic_sentinel.lint.linter as linter

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linter, "lint_source", watching)
        assert gc.isenabled()
        linter.lint_files([("a.py", file)], LintOptions())
        assert gc.isenabled()
        gc.disable()
        try:
            linter.lint_files([("a.py", file)], LintOptions())
            assert not gc.isenabled()  # a caller's choice is left as it was
        finally:
            gc.enable()
    assert seen == [False, False]
