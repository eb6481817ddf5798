"""The static revision reader: what a revision file declares, read as syntax, never executed."""

from __future__ import annotations

import os
import sys
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
from alembic_sentinel.graph.version_locations import (
    MAX_REVISION_FILE_BYTES,
    list_revision_files,
)
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


def test_a_missing_down_revision_assignment_is_an_error_not_a_base() -> None:
    # Alembic reads `module.down_revision` and fails with AttributeError: not a base
    revision, findings = read('revision = "a1"\n')
    assert revision is None
    assert [(f.code, f.name, f.severity) for f in findings] == [
        ("F210", "missing-down-revision", ERROR)
    ]


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


def test_assignments_inside_functions_are_not_declarations() -> None:
    source = """\
        revision = "a1"
        down_revision = None

        def upgrade():
            down_revision = "inside"
            branch_labels = ("hidden",)
        """
    rev = read_ok(source)
    assert rev.down_revisions == ()
    assert rev.branch_labels == ()


def test_an_assignment_under_a_condition_is_reported_and_never_guessed() -> None:
    source = """\
        revision = "a1"
        down_revision = None

        if False:
            branch_labels = ("hidden",)
        """
    revision, findings = read(source)
    assert revision is None
    assert [(f.code, f.line) for f in findings] == [("F203", line_of(source, "branch_labels"))]
    assert "branch_labels assigned inside `if`" in findings[0].message


# --- every other way Python binds a module-level name: reported, never evaluated -----------

HEADER = 'revision = "a1"\ndown_revision = None\n'


@pytest.mark.parametrize(
    ("tail", "line", "said"),
    [
        ('with open("ids") as branch_labels:\n    pass\n', 3, "branch_labels bound by `with"),
        ("from app.ids import depends_on\n", 3, "depends_on bound by an import"),
        ("import branch_labels.sub\n", 3, "branch_labels bound by an import"),
        ("del down_revision\n", 3, "down_revision deleted by `del`"),
        ("class branch_labels:\n    pass\n", 3, "branch_labels bound by a class"),
        ("def depends_on():\n    pass\n", 3, "depends_on bound by a def"),
        (
            "try:\n    pass\nexcept Exception as depends_on:\n    pass\n",
            5,
            "depends_on bound by `except ... as`",
        ),
        (
            'while True:\n    depends_on = "x"\n    break\n',
            4,
            "depends_on assigned inside `while`",
        ),
        ('*branch_labels, = ["x"]\n', 3, "branch_labels bound by unpacking"),
        ('rows = [(depends_on := "x") for _ in "1"]\n', 3, "bound by an assignment expression"),
        (
            '@register(branch_labels := "x")\ndef helper():\n    pass\n',
            3,
            "branch_labels bound by an assignment expression",
        ),
        ('down_revision |= {"x"}\n', 3, "bound by an augmented assignment (|=)"),
        ("from app.ids import *\n", 3, "possibly bound by `from app.ids import *`"),
        ('vars()["depends_on"] = "x"\n', 3, "possibly rebound through vars()"),
        ('globals().update(revision="b2")\n', 3, "possibly rebound through globals"),
        (
            'import sys\nsys._getframe().f_globals["revision"] = "b2"\n',
            4,
            "possibly rebound through a frame's f_globals",
        ),
        (
            'def helper():\n    global depends_on\n    depends_on = "x"\n',
            4,
            "depends_on declared `global` in a function or class",
        ),
        (
            "match 1:\n    case depends_on:\n        pass\n",
            4,
            "depends_on bound by a match pattern inside `match`",
        ),
    ],
)
def test_every_other_way_to_bind_an_identifier_is_reported_on_its_line(
    tail: str, line: int, said: str
) -> None:
    revision, findings = read(HEADER + tail)
    assert revision is None
    if tail.startswith("match") and sys.version_info < (3, 10):
        # no `match` statement before Python 3.10: the file does not even parse there
        assert [f.code for f in findings] == ["F201"], findings
        return
    assert [(f.code, f.line) for f in findings] == [("F203", line)], findings
    assert said in findings[0].message
    assert findings[0].message.endswith(
        "the static reader cannot know the value Alembic would see without running the file"
    )


def test_names_bound_inside_functions_and_classes_are_their_own() -> None:
    source = """\
        revision = "a1"
        down_revision = None

        def upgrade():
            revision = "x"
            for depends_on in []:
                pass
            import branch_labels
            print(locals(), vars())

        class Helper:
            down_revision = "x"
            namespace = vars()
        """
    assert read_ok(source).revision == "a1"


def test_code_that_writes_the_namespace_is_one_finding_for_every_identifier() -> None:
    revision, findings = read(HEADER + "exec(CODE)\n")
    assert revision is None
    assert [(f.code, f.line) for f in findings] == [("F203", 3)]
    assert findings[0].message.startswith(
        "revision, down_revision, branch_labels and depends_on possibly rebound through exec:"
    )


def test_a_star_import_below_the_functions_is_still_seen() -> None:
    source = HEADER + "\n\ndef upgrade():\n    pass\n\n\nfrom app.ids import *\n"
    revision, findings = read_revision_source(source, "versions/a1.py")
    assert revision is None
    assert [(f.code, f.line) for f in findings] == [("F203", 9)]


def test_non_ascii_text_below_the_functions_reads_as_usual() -> None:
    source = HEADER + "\n\ndef upgrade():\n    op.execute(\"UPDATE t SET name = 'café ✓'\")\n"
    assert read_ok(source).revision == "a1"
    latin = (
        '# -*- coding: latin-1 -*-\nrevision = "a1"\ndown_revision = None\n\n\n'
        'def upgrade():\n    note = "caf\xe9"\n'
    )
    revision, findings = read_revision_source(latin.encode("latin-1"), "versions/a1.py")
    assert findings == [] and revision is not None


def test_a_file_named_by_a_hex_id_without_a_revision_takes_its_id_from_the_name() -> None:
    rev = read_ok('down_revision = "a1"\n', "versions/b2c3.py")
    assert (rev.revision, rev.down_revisions) == ("b2c3", ("a1",))
    revision, findings = read('down_revision = "a1"\n', "versions/b2c3_named.py")
    assert revision is None and codes(findings) == ["F202"]


# --- branch_labels and depends_on -----------------------------------------------------------


def test_branch_labels_as_a_string_a_tuple_a_list_or_none() -> None:
    for value, expected in [
        ('"lib"', ("lib",)),
        ('("lib", "shared")', ("lib", "shared")),
        ('["lib"]', ("lib",)),
        ("None", ()),
        ("()", ()),
    ]:
        rev = read_ok(f'revision = "a1"\ndown_revision = None\nbranch_labels = {value}\n')
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
    rev = read_ok('revision = "a1"\ndown_revision = None\n')
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
        ('revision = ""\ndown_revision = None\n', 1),
        ('revision = "b2"\ndown_revision = 5\n', 2),
        ('revision = "b2"\ndown_revision = ("a1", 2)\n', 2),
        ('revision = "b2"\nbranch_labels = {"x": 1}\ndown_revision = None\n', 2),
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
    source = 'revision = "a1"\n\ndef upgrade(:\n    pass\n'
    revision, findings = read_revision_source(source, "versions/bad.py", header_reader=False)
    assert revision is None
    assert len(findings) == 1
    problem = findings[0]
    assert (problem.code, problem.name, problem.severity) == ("F201", "unparseable-file", ERROR)
    assert (problem.path, problem.line) == ("versions/bad.py", 3)


def test_bytes_with_an_encoding_cookie_are_decoded_as_python_would() -> None:
    text = '# -*- coding: latin-1 -*-\n"""caf\xe9"""\nrevision = "a1"\ndown_revision = None\n'
    revision, findings = read_revision_source(text.encode("latin-1"), "versions/a1.py")
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
    # Alembic refuses the whole directory: "Could not determine revision id from filename"
    assert (problem.code, problem.name, problem.severity) == ("F202", "not-a-revision", ERROR)
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


def test_entries_that_are_not_regular_files_are_findings_and_never_listed(
    tmp_path: Path,
) -> None:
    versions = tmp_path / "versions"
    make_tree(versions, ["a1_first.py", "x9_directory.py/inside.txt"])
    os.mkfifo(versions / "b2_fifo.py")
    (versions / "c3_loop.py").symlink_to("c3_loop.py")
    (versions / "d4_broken.py").symlink_to("nowhere.py")
    (versions / "e5_alias.py").symlink_to("a1_first.py")  # the same file: listed once
    (versions / "notes_loop.txt").symlink_to("notes_loop.txt")  # not a revision name: ignored

    listing = list_revision_files([versions], False, tmp_path)

    assert [Path(p).name for p in listing.paths] == ["a1_first.py"]
    assert [(f.code, f.path, f.message.split(":")[0]) for f in listing.findings] == [
        ("F207", "versions/b2_fifo.py", "a FIFO, not a regular file"),
        ("F207", "versions/c3_loop.py", "cannot stat it (Too many levels of symbolic links)"),
        ("F207", "versions/d4_broken.py", "a broken symbolic link, not a regular file"),
    ]
    assert revision_paths([versions], recursive=False) == listing.paths


def test_a_file_over_the_size_limit_is_placed_from_its_header_alone(tmp_path: Path) -> None:
    big = tmp_path / "a1_big.py"
    big.write_bytes(b'revision = "a1"\ndown_revision = None\n#' + b"x" * MAX_REVISION_FILE_BYTES)
    result = read_revision_files([big], tmp_path)
    assert [(r.revision, r.down_revisions) for r in result.revisions] == [("a1", ())]
    # placed: a warning (the graph is whole); left out (below): an error
    assert [(f.code, f.name, f.severity, f.path) for f in result.findings] == [
        ("F208", "file-too-large", WARNING, "a1_big.py")
    ]
    assert "its operations were not reviewed" in result.findings[0].message


def test_a_file_over_the_size_limit_without_a_header_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "a1_big.py"
    big.write_bytes(b"#" + b"x" * MAX_REVISION_FILE_BYTES + b'\nrevision = "a1"\n')
    result = read_revision_files([big], tmp_path)
    assert result.revisions == []
    assert [(f.code, f.name, f.severity, f.path) for f in result.findings] == [
        ("F208", "file-too-large", ERROR, "a1_big.py")
    ]
    assert "no complete top-level statement" in result.findings[0].message


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
    outside.write_text('revision = "a1"\ndown_revision = None\n')
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


def test_a_syntax_error_below_the_declarations_is_found_by_the_ast_reader_only() -> None:
    source = 'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    return (\n'
    revision, problems = read_revision_source(source, "broken.py", header_reader=False)
    assert revision is None
    assert [(p.code, p.line) for p in problems] == [("F201", 6)]
    # the header-only reader reads the declarations and leaves the body to `lint` and the
    # verbs that run the revision (tests/test_errors.py)
    revision, problems = read_revision_source(source, "broken.py")
    assert problems == []
    assert revision is not None and revision.revision == "a1"


def test_a_merge_conflict_marker_anywhere_makes_the_file_unparseable() -> None:
    source = (
        'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n'
        "<<<<<<< HEAD\n    op.drop_column('t', 'a')\n=======\n    op.drop_column('t', 'b')\n"
        ">>>>>>> feature\n"
    )
    revision, problems = read_revision_source(source, "conflicted.py")
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
