"""The static revision reader: what a revision file declares, read as syntax, never executed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import alembic
import pytest
from alembic.util import format_as_comma
from mako.template import Template

from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.revision_files import (
    read_revision_files,
    read_revision_source,
    revision_paths,
)
from alembic_sentinel.graph.revision_graph import check_declarations
from alembic_sentinel.report.model import ERROR, WARNING, Finding

ALEMBIC_TEMPLATE = Path(alembic.__file__).parent / "templates" / "generic" / "script.py.mako"


def read(source: str, path: str = "versions/x.py") -> tuple[RevisionFile | None, list[Finding]]:
    return read_revision_source(textwrap.dedent(source), path)


def read_ok(source: str, path: str = "versions/x.py") -> RevisionFile:
    revision, findings = read(source, path)
    assert findings == []
    assert revision is not None
    return revision


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def line_of(source: str, text: str) -> int:
    """The 1-based line of the first line of `source` (dedented) that contains `text`."""
    lines = textwrap.dedent(source).splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def render_alembic_template(
    up_revision: str, down_revision: str | tuple[str, ...] | None, message: str
) -> str:
    """A revision file exactly as `alembic revision` writes it with Alembic's own template."""
    return Template(filename=str(ALEMBIC_TEMPLATE)).render_unicode(
        message=message,
        up_revision=up_revision,
        down_revision=down_revision,
        branch_labels=None,
        depends_on=None,
        create_date="2024-05-01 12:00:00.000000",
        comma=format_as_comma,
        imports="",
        upgrades="",
        downgrades="",
    )


# --- down_revision forms -------------------------------------------------------------------


def test_a_string_down_revision_is_one_parent() -> None:
    rev = read_ok('revision = "b2"\ndown_revision = "a1"\n')
    assert rev.revision == "b2"
    assert rev.down_revisions == ("a1",)


def test_a_none_down_revision_is_a_base() -> None:
    assert read_ok('revision = "a1"\ndown_revision = None\n').down_revisions == ()


def test_a_missing_down_revision_assignment_is_a_base() -> None:
    assert read_ok('revision = "a1"\n').down_revisions == ()


def test_an_empty_string_down_revision_is_a_base() -> None:
    assert read_ok('revision = "a1"\ndown_revision = ""\n').down_revisions == ()


def test_a_tuple_down_revision_is_a_merge_in_declared_order() -> None:
    rev = read_ok('revision = "m"\ndown_revision = ("b2", "a1")\n')
    assert rev.down_revisions == ("b2", "a1")


def test_a_list_down_revision_reads_like_a_tuple() -> None:
    rev = read_ok('revision = "m"\ndown_revision = ["b2", "a1"]\n')
    assert rev.down_revisions == ("b2", "a1")


def test_a_one_element_tuple_down_revision_is_one_parent() -> None:
    assert read_ok('revision = "b"\ndown_revision = ("a",)\n').down_revisions == ("a",)


def test_annotated_assignments_as_alembic_1_13_templates_write_them() -> None:
    source = """\
        from typing import Sequence, Union

        revision: str = "abc123"
        down_revision: Union[str, Sequence[str], None] = "x9"
        branch_labels: Union[str, Sequence[str], None] = ("feature",)
        depends_on: Union[str, Sequence[str], None] = None
        """
    rev = read_ok(source)
    assert (rev.revision, rev.down_revisions) == ("abc123", ("x9",))
    assert rev.branch_labels == ("feature",)
    assert rev.depends_on == ()
    assert rev.lines == {
        "revision": line_of(source, "revision: str"),
        "down_revision": line_of(source, "down_revision:"),
        "branch_labels": line_of(source, "branch_labels:"),
        "depends_on": line_of(source, "depends_on:"),
    }
    assert rev.line == 3


def test_an_annotation_without_a_value_is_not_an_assignment() -> None:
    revision, findings = read("revision: str\n")
    assert revision is None
    assert codes(findings) == ["F202"]


def test_the_last_module_level_assignment_wins_as_when_python_runs_the_file() -> None:
    rev = read_ok('revision = "old"\nrevision = "new"\ndown_revision = None\n')
    assert rev.revision == "new"
    assert rev.lines["revision"] == 2


def test_assignments_inside_functions_or_conditions_are_not_declarations() -> None:
    source = """\
        revision = "a1"
        down_revision = None

        def upgrade():
            down_revision = "inside"

        if False:
            branch_labels = ("hidden",)
        """
    rev = read_ok(source)
    assert rev.down_revisions == ()
    assert rev.branch_labels == ()


# --- branch_labels and depends_on -----------------------------------------------------------


def test_branch_labels_as_a_string_a_tuple_a_list_or_none() -> None:
    for value, expected in [
        ('"lib"', ("lib",)),
        ('("lib", "shared")', ("lib", "shared")),
        ('["lib"]', ("lib",)),
        ("None", ()),
        ("()", ()),
    ]:
        rev = read_ok(f'revision = "a1"\nbranch_labels = {value}\n')
        assert rev.branch_labels == expected, value


def test_depends_on_as_a_string_a_tuple_a_list_or_none() -> None:
    for value, expected in [
        ('"c3"', ("c3",)),
        ('("c3", "lib")', ("c3", "lib")),
        ('["c3"]', ("c3",)),
        ("None", ()),
    ]:
        rev = read_ok(f'revision = "a1"\ndown_revision = "z"\ndepends_on = {value}\n')
        assert rev.depends_on == expected, value


# --- the docstring --------------------------------------------------------------------------


def test_docstring_message_revision_id_and_revises_for_a_single_parent() -> None:
    rev = read_ok(
        '''\
        """add the candidate table

        Revision ID: b2
        Revises: a1
        Create Date: 2023-05-10 10:31:48.319402

        """
        revision = "b2"
        down_revision = "a1"
        '''
    )
    assert rev.message == "add the candidate table"
    assert rev.doc_revision_id == "b2"
    assert rev.doc_revises == ("a1",)


def test_an_empty_revises_line_is_a_base_and_not_the_next_line() -> None:
    rev = read_ok(
        '''\
        """initial schema

        Revision ID: a1
        Revises:
        Create Date: 2023-05-10 10:31:48.319402

        """
        revision = "a1"
        down_revision = None
        '''
    )
    assert rev.doc_revises == ()
    assert rev.doc_revision_id == "a1"


def test_a_comma_separated_revises_line_lists_every_merged_parent() -> None:
    rev = read_ok(
        '''\
        """merge heads

        Revision ID: m3
        Revises: a1, b2
        Create Date: 2023-05-10 10:31:48.319402

        """
        revision = "m3"
        down_revision = ("a1", "b2")
        '''
    )
    assert rev.doc_revises == ("a1", "b2")


def test_no_docstring_means_no_message_and_nothing_declared_in_it() -> None:
    rev = read_ok('revision = "a1"\n')
    assert rev.message == ""
    assert rev.doc_revision_id is None
    assert rev.doc_revises is None


def test_files_rendered_from_alembic_own_template_read_back_consistently() -> None:
    for up, down in [("a1a1a1a1a1a1", None), ("b2b2b2b2b2b2", "a1a1a1a1a1a1")]:
        source = render_alembic_template(up, down, "a message")
        rev, findings = read_revision_source(source, f"versions/{up}_a_message.py")
        assert findings == []
        assert rev is not None
        assert rev.revision == up
        assert rev.down_revisions == ((down,) if down else ())
        assert rev.doc_revises == rev.down_revisions
        assert rev.doc_revision_id == up
        assert rev.message == "a message"
        assert check_declarations([rev]) == []
    merge = render_alembic_template("c3c3c3c3c3c3", ("a1a1a1a1a1a1", "b2b2b2b2b2b2"), "merge")
    rev, findings = read_revision_source(merge, "versions/c3c3c3c3c3c3_merge.py")
    assert findings == []
    assert rev is not None
    assert rev.down_revisions == ("a1a1a1a1a1a1", "b2b2b2b2b2b2")
    assert rev.doc_revises == ("a1a1a1a1a1a1", "b2b2b2b2b2b2")
    assert check_declarations([rev]) == []


# --- values that cannot be read without running the file ------------------------------------


def test_a_computed_down_revision_is_reported_on_its_line_and_never_guessed() -> None:
    source = """\
        from app.revisions import get_parent

        revision = "b2"
        down_revision = get_parent()
        """
    revision, findings = read(source)
    assert revision is None  # not "a base": what it revises is unknown
    assert len(findings) == 1
    problem = findings[0]
    assert (problem.code, problem.name, problem.severity) == ("F203", "unresolvable-value", ERROR)
    assert problem.line == line_of(source, "down_revision =")
    assert problem.path == "versions/x.py"
    assert "get_parent()" in problem.message
    assert problem.fix is not None and "down_revision" in problem.fix


def test_branch_labels_imported_from_project_code_are_reported_and_never_guessed() -> None:
    source = """\
        from app.labels import LABELS

        revision = "a1"
        down_revision = None
        branch_labels = LABELS
        """
    revision, findings = read(source)
    assert revision is None  # not "a base without labels": its labels are unknown
    assert codes(findings) == ["F203"]
    assert findings[0].line == line_of(source, "branch_labels =")
    assert "LABELS" in findings[0].message


def test_a_computed_depends_on_is_reported_and_never_guessed() -> None:
    source = 'revision = "b2"\ndown_revision = "a1"\ndepends_on = tuple(DEPS)\n'
    revision, findings = read(source)
    assert revision is None
    assert [(f.code, f.line) for f in findings] == [("F203", 3)]


def test_a_computed_revision_id_is_reported_on_its_line() -> None:
    source = "import uuid\n\nrevision = uuid.uuid4().hex[-12:]\ndown_revision = None\n"
    revision, findings = read(source)
    assert revision is None
    assert [(f.code, f.line) for f in findings] == [("F203", 3)]


def test_every_unreadable_declaration_is_reported_not_just_the_first() -> None:
    source = 'revision = "b2"\ndown_revision = parent()\nbranch_labels = LABELS\n'
    revision, findings = read(source)
    assert revision is None
    assert [(f.code, f.line) for f in findings] == [("F203", 2), ("F203", 3)]


def test_literals_of_the_wrong_type_are_reported_and_never_guessed() -> None:
    for source, line in [
        ("revision = 123\ndown_revision = None\n", 1),
        ('revision = ""\n', 1),
        ('revision = "b2"\ndown_revision = 5\n', 2),
        ('revision = "b2"\ndown_revision = ("a1", 2)\n', 2),
        ('revision = "b2"\nbranch_labels = {"x": 1}\n', 2),
    ]:
        revision, findings = read_revision_source(source, "versions/x.py")
        assert revision is None, source
        assert [(f.code, f.line) for f in findings] == [("F203", line)], source


# --- nothing is imported or executed ----------------------------------------------------------


def test_a_file_importing_missing_modules_and_touching_the_database_still_reads(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "x-marker"
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "b2_add_things.py").write_text(
        textwrap.dedent(
            f'''\
            """add things

            Revision ID: b2
            Revises: a1
            """
            import app.models_that_do_not_exist
            from alembic import op

            open({str(marker)!r}, "w").write("executed")
            connection = op.get_bind()
            raise SystemExit("this module must never run")

            revision = "b2"
            down_revision = "a1"
            '''
        )
    )
    result = read_revision_files(revision_paths([versions], recursive=False), tmp_path)
    assert result.findings == []
    assert [(r.revision, r.down_revisions, r.path) for r in result.revisions] == [
        ("b2", ("a1",), "versions/b2_add_things.py")
    ]
    assert not marker.exists()


# --- unreadable files -----------------------------------------------------------------------


def test_a_syntax_error_is_reported_with_its_line() -> None:
    revision, findings = read('revision = "a1"\n\ndef upgrade(:\n    pass\n', "versions/bad.py")
    assert revision is None
    assert len(findings) == 1
    problem = findings[0]
    assert (problem.code, problem.name, problem.severity) == ("F201", "unparseable-file", ERROR)
    assert (problem.path, problem.line) == ("versions/bad.py", 3)


def test_bytes_with_an_encoding_cookie_are_decoded_as_python_would() -> None:
    source = '# -*- coding: latin-1 -*-\n"""caf\xe9"""\nrevision = "a1"\n'.encode("latin-1")
    revision, findings = read_revision_source(source, "versions/a1.py")
    assert findings == []
    assert revision is not None and revision.message == "caf\xe9"


def test_null_bytes_are_an_unparseable_file_not_a_crash() -> None:
    revision, findings = read_revision_source(b'revision = "a1"\n\x00\n', "versions/a1.py")
    assert revision is None
    assert codes(findings) == ["F201"]


def test_a_python_file_without_a_revision_assignment_is_not_a_revision() -> None:
    revision, findings = read('"""helpers shared by revisions"""\n\nTABLE = "users"\n')
    assert revision is None
    assert len(findings) == 1
    problem = findings[0]
    assert (problem.code, problem.name, problem.severity) == ("F202", "not-a-revision", WARNING)
    assert problem.line == 1


def test_an_unreadable_file_on_disk_is_reported_not_raised(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    missing = versions / "gone.py"
    result = read_revision_files([missing], tmp_path)
    assert result.revisions == []
    assert [(f.code, f.path) for f in result.findings] == [("F201", "versions/gone.py")]


# --- which files are revision files ---------------------------------------------------------


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('revision = "x"\n')


def test_revision_paths_lists_only_what_alembic_would_load(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    make_tree(
        versions,
        [
            "b2_second.py",
            "a1_first.py",
            "__init__.py",
            ".#a1_first.py",
            "notes.txt",
            "a1_first.pyc",
            "a1_first.py~",
            "__pycache__/a1_first.cpython-311.py",
            "sub/c3_third.py",
        ],
    )
    paths = revision_paths([versions], recursive=False)
    assert [Path(p).relative_to(versions).as_posix() for p in paths] == [
        "a1_first.py",
        "b2_second.py",
    ]


def test_revision_paths_recurses_only_when_asked_and_never_into_pycache(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    make_tree(
        versions,
        [
            "a1_first.py",
            "sub/c3_third.py",
            "sub/__init__.py",
            "sub/deeper/d4_fourth.py",
            "__pycache__/e5_cached.py",
            "sub/__pycache__/f6_cached.py",
        ],
    )
    paths = revision_paths([versions], recursive=True)
    assert [Path(p).relative_to(versions).as_posix() for p in paths] == [
        "a1_first.py",
        "sub/c3_third.py",
        "sub/deeper/d4_fourth.py",
    ]


def test_revision_paths_reads_every_location_and_skips_missing_ones(tmp_path: Path) -> None:
    make_tree(tmp_path, ["one/a1.py", "two/b2.py"])
    paths = revision_paths([tmp_path / "one", tmp_path / "absent", tmp_path / "two"], False)
    assert [Path(p).relative_to(tmp_path).as_posix() for p in paths] == ["one/a1.py", "two/b2.py"]


def test_findings_and_revisions_name_paths_relative_to_the_root(tmp_path: Path) -> None:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "a1_first.py").write_text('revision = "a1"\ndown_revision = None\n')
    (versions / "b2_broken.py").write_text('revision = "b2"\ndown_revision = (\n')
    (versions / "helpers.py").write_text("X = 1\n")
    result = read_revision_files(revision_paths([versions], recursive=False), tmp_path)
    assert [r.path for r in result.revisions] == ["migrations/versions/a1_first.py"]
    assert sorted((f.code, f.path) for f in result.findings) == [
        ("F201", "migrations/versions/b2_broken.py"),
        ("F202", "migrations/versions/helpers.py"),
    ]


def test_a_path_outside_the_root_is_shown_as_it_is(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "a1.py"
    outside.parent.mkdir()
    outside.write_text('revision = "a1"\n')
    result = read_revision_files([outside], tmp_path / "project")
    assert [r.path for r in result.revisions] == [str(outside)]


def test_a_declaration_after_the_first_def_is_still_read() -> None:
    source = (
        'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\n'
        'down_revision = "z9"  # reassigned below the functions\n'
    )
    revision, problems = read_revision_source(source, "late.py")
    assert problems == []
    assert revision is not None and revision.down_revisions == ("z9",)
    assert revision.lines["down_revision"] == 9


def test_a_syntax_error_below_the_declarations_is_still_found() -> None:
    source = 'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    return (\n'
    revision, problems = read_revision_source(source, "broken.py")
    assert revision is None
    assert [(p.code, p.line) for p in problems] == [("F201", 6)]


def test_a_def_at_column_zero_inside_the_docstring_does_not_cut_the_file_short() -> None:
    source = (
        '"""message\n\ndef looks_like_code():\n"""\nrevision = "a1"\ndown_revision = "p0"\n\n\n'
        "def upgrade():\n    pass\n"
    )
    revision, problems = read_revision_source(source, "doc.py")
    assert problems == []
    assert revision is not None and revision.down_revisions == ("p0",)


def test_invalid_escape_sequences_print_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    source = 'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    x = "\\d"\n'
    revision, _ = read_revision_source(source, "escape.py")
    assert revision is not None
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
