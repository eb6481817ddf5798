"""Hostile revision files: what the static reader makes of files written to fool or stall it.

Each test builds a real project in a temporary directory and runs `alembic-sentinel` as a user
would; where a test says what Alembic sees, Alembic's own ScriptDirectory is asked. The rule:
a file is read exactly as Alembic reads it, or it is an error naming the file and line. The
reader never shows a different graph, never claims something false about Alembic, never hangs
on a FIFO, never follows a symbolic link loop into a traceback and never parses an unbounded
file.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import alembic
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from conftest import HEAD, REPO, SETTINGS_ENV_VARS, Result, git, run_cli

from alembic_sentinel import settings as settings_module
from alembic_sentinel.graph import git_revisions
from alembic_sentinel.graph.revision_check import heads_report
from alembic_sentinel.graph.version_locations import MAX_REVISION_FILE_BYTES, list_revision_files

BASE = "a0a0a0a0a0a0"
ALEMBIC_WALKS_SUBDIRECTORIES = tuple(int(part) for part in alembic.__version__.split(".")[:2]) >= (
    1,
    10,
)
VERSIONS = "migrations/versions"
# how long a command may take before it counts as hanging (a FIFO blocks an open() forever)
HANG_SECONDS = 60


def revision_source(revision: str, parent: str | None, extra: str = "") -> str:
    return (
        f'"""{revision}\n\nRevision ID: {revision}\nRevises: {parent or ""}\n"""\n'
        f"revision = {revision!r}\ndown_revision = {parent!r}\n{extra}\n\n"
        "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
    )


def make_project(root: Path, alembic_options: str = "") -> Path:
    """A project with one base revision; its versions directory."""
    versions = root / VERSIONS
    versions.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    (root / "migrations" / "alembic.ini").write_text(
        f"[alembic]\nscript_location = %(here)s\n{alembic_options}"
    )
    shutil.copy2(REPO / "migrations" / "script.py.mako", root / "migrations")
    (versions / f"{BASE}_base.py").write_text(revision_source(BASE, None))
    return versions


@pytest.fixture
def root(tmp_path: Path) -> Path:
    make_project(tmp_path / "project")
    return tmp_path / "project"


def alembic_scripts(root: Path) -> ScriptDirectory:
    """What Alembic itself loads from the project (it executes every revision file)."""
    return ScriptDirectory.from_config(Config(str(root / "migrations" / "alembic.ini")))


def alembic_revisions(root: Path) -> dict[str, tuple[str, ...]]:
    """Every revision Alembic loads, with its down_revisions."""
    return {
        script.revision: tuple(script._versioned_down_revisions)
        for script in alembic_scripts(root).walk_revisions()
    }


def heads_json(root: Path) -> tuple[int, dict[str, object]]:
    result = run_cli(root, "heads", "--format", "json")
    return result.code, json.loads(result.out)


def run_cli_within(root: Path, *args: str, seconds: float = HANG_SECONDS) -> Result:
    """Run the CLI; a hang fails the test after `seconds` instead of blocking the suite."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    completed = subprocess.run(
        [sys.executable, "-m", "alembic_sentinel", *args],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=seconds,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def assert_no_crash(result: Result) -> None:
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


# --- identifiers bound in ways the reader does not evaluate: F203, never a guess -------------

# (source of migrations/versions/k1_hostile.py, the line the finding points at); Alembic loads
# every one of them, and each ends up with revision "k1" on top of BASE
HIDDEN_BINDINGS = {
    "tuple unpacking": (f'revision, _x = "k1", 1\ndown_revision = "{BASE}"\n', 1),
    "walrus": (f'(revision := "k1")\ndown_revision = "{BASE}"\n', 1),
    "if": (
        f'revision = "k1"\nif True:\n    down_revision = "{BASE}"\nelse:\n'
        '    down_revision = "elsewhere"\n',
        5,
    ),
    "try": (
        f'try:\n    revision = "k1"\nexcept ImportError:\n    revision = "k2"\n'
        f'down_revision = "{BASE}"\n',
        4,
    ),
    "augmented": (f'revision = "k"\nrevision += "1"\ndown_revision = "{BASE}"\n', 2),
    "for target": (f'for revision in ["k1"]:\n    pass\ndown_revision = "{BASE}"\n', 1),
    "global in a function run at import": (
        f'revision = "k0"\ndown_revision = "{BASE}"\n\n\ndef pick():\n    global revision\n'
        '    revision = "k1"\n\n\npick()\n',
        6,
    ),
    "exec": (f'revision = "k0"\ndown_revision = "{BASE}"\nexec("revision = \'k1\'")\n', 3),
    "augmented below the functions": (
        f'revision = "k"\ndown_revision = "{BASE}"\n\n\ndef upgrade():\n    pass\n\n\n'
        'revision += "1"\n',
        9,
    ),
    # Python reads identifiers NFKC-normalized: U+FF52 (fullwidth r) + "evision" is `revision`
    "normalized spelling below the functions": (
        f'revision = "k"\ndown_revision = "{BASE}"\n\n\ndef upgrade():\n    pass\n\n\n'
        '\uff52evision += "1"\n',
        9,
    ),
    "module __getattr__": (
        f'revision = "k1"\ndown_revision = "{BASE}"\n\n\ndef __getattr__(name):\n'
        '    if name == "branch_labels":\n        return ("hidden_label",)\n'
        "    raise AttributeError(name)\n",
        5,
    ),
}


@pytest.mark.parametrize("form", HIDDEN_BINDINGS)
def test_an_identifier_alembic_reads_but_the_reader_cannot_is_an_error_on_its_line(
    root: Path, form: str
) -> None:
    source, line = HIDDEN_BINDINGS[form]
    (root / VERSIONS / "k1_hostile.py").write_text(source, encoding="utf-8")
    # Alembic loads the file: k1 on top of the base. Saying it cannot would be false.
    assert alembic_revisions(root)["k1"] == (BASE,)

    result = run_cli(root, "heads")

    assert result.code == 1, result.output
    assert f"{VERSIONS}/k1_hostile.py:{line}: error: F203 " in result.out, result.out
    assert "the static reader cannot know the value Alembic would see" in result.out
    assert "Alembic cannot" not in result.output


@pytest.mark.parametrize(
    "source",
    [
        f'revision = "k1"\ndown_revision = "{BASE}"\n',
        # Alembic's own template since 1.12 (Union: the file runs on Python 3.9 too)
        f'from typing import Union\nrevision: str = "k1"\n'
        f'down_revision: Union[str, None] = "{BASE}"\n',
        f'revision = current = "k1"\ndown_revision = ("{BASE}",)\n',
        # a conditional binding before the last plain assignment does not decide anything
        f'try:\n    revision = "old"\nexcept Exception:\n    pass\nrevision = "k1"\n'
        f'down_revision = "{BASE}"\n',
    ],
    ids=["plain", "annotated", "chained", "plain after a conditional"],
)
def test_plain_and_annotated_assignments_give_the_graph_alembic_sees(
    root: Path, source: str
) -> None:
    (root / VERSIONS / "k1_plain.py").write_text(source)
    code, report = heads_json(root)
    assert code == 0, report
    assert report["heads"] == sorted(alembic_scripts(root).get_heads()) == ["k1"]


def test_a_file_named_by_its_revision_id_alone_is_the_revision_alembic_names_after_it(
    root: Path,
) -> None:
    # no `revision = ...`: Alembic takes the id from a file name of hex digits
    (root / VERSIONS / "c0ffee.py").write_text(f'down_revision = "{BASE}"\n')
    assert alembic_revisions(root)["c0ffee"] == (BASE,)
    code, report = heads_json(root)
    assert code == 0, report
    assert report["heads"] == ["c0ffee"]


def test_a_module_without_a_revision_is_an_error_because_alembic_refuses_the_directory(
    root: Path,
) -> None:
    (root / VERSIONS / "helpers.py").write_text('TABLE = "party"\n')
    with pytest.raises(Exception, match="Could not determine revision id"):
        alembic_revisions(root)
    result = run_cli(root, "heads")
    assert result.code == 1
    assert f"{VERSIONS}/helpers.py:1: error: F202 " in result.out


def test_a_revision_without_down_revision_is_an_error_not_a_base(root: Path) -> None:
    (root / VERSIONS / "k1_orphan.py").write_text('revision = "k1"\n')
    with pytest.raises(AttributeError, match="down_revision"):
        alembic_revisions(root)
    result = run_cli(root, "heads")
    assert result.code == 1
    assert f"{VERSIONS}/k1_orphan.py:1: error: F210 " in result.out
    assert "k1 (head)" not in result.out


# --- sourceless = true: bytecode Alembic loads and the reader cannot read ----------------------


def stale_bytecode(versions: Path, revision: str, parent: str) -> Path:
    """A revision whose .py is gone but whose __pycache__ bytecode is still there."""
    source = versions / f"{revision}_gone.py"
    source.write_text(revision_source(revision, parent))
    compiled = Path(importlib.util.cache_from_source(str(source)))
    py_compile.compile(str(source), cfile=str(compiled), doraise=True)
    source.unlink()
    return compiled


def test_with_sourceless_a_bytecode_only_revision_is_an_error_never_missing(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    versions = make_project(root, "sourceless = true\n")
    compiled = stale_bytecode(versions, "k1", BASE)
    assert alembic_revisions(root) == {BASE: (), "k1": (BASE,)}  # Alembic loads the bytecode

    report = heads_report(settings_module.resolve_settings(root=root, database=False), "heads")

    assert report.exit_code() == 1
    shown = compiled.relative_to(root).as_posix()
    assert [(f.code, f.path) for f in report.errors] == [("F209", shown)]
    assert "cannot read" in report.errors[0].message


def test_without_sourceless_bytecode_is_ignored_as_alembic_ignores_it(tmp_path: Path) -> None:
    root = tmp_path / "project"
    versions = make_project(root)
    stale_bytecode(versions, "k1", BASE)
    (versions / "k2_legacy.pyc").write_bytes(b"not even bytecode")
    assert alembic_revisions(root) == {BASE: ()}
    code, report = heads_json(root)
    assert code == 0, report
    assert report["heads"] == [BASE]


def test_sourceless_listing_follows_alembic_rules_for_pyc_and_pyo(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    for name in ("a1_kept.py", "a1_kept.pyc", "b2_old.pyc", "b2_old.pyo", "c3_opt.pyo"):
        (versions / name).write_text("x = 1\n")
    cache = versions / "__pycache__"
    cache.mkdir()
    for name in ("a1_kept.cpython-311.pyc", "d4_gone.cpython-311.pyc", "__init__.cpython-311.pyc"):
        (cache / name).write_text("x = 1\n")

    listing = list_revision_files([versions], False, tmp_path, sourceless=True)

    assert [Path(p).name for p in listing.paths] == ["a1_kept.py"]
    assert sorted((f.code, f.path) for f in listing.findings) == [
        ("F209", "versions/__pycache__/d4_gone.cpython-311.pyc"),
        ("F209", "versions/b2_old.pyc"),  # its .pyo is not loaded: Alembic prefers the .pyc
        ("F209", "versions/c3_opt.pyo"),
    ]


# --- what is not a regular file: a finding, never a traceback or a hang ----------------------


def test_a_symbolic_link_loop_is_a_finding_not_a_traceback(root: Path) -> None:
    (root / VERSIONS / "k1_loop.py").symlink_to("k1_loop.py")
    with pytest.raises(Exception):  # noqa: B017 - Alembic fails in its own way per Python version
        alembic_revisions(root)

    heads = run_cli_within(root, "heads")
    assert_no_crash(heads)
    assert heads.code == 1
    assert f"{VERSIONS}/k1_loop.py: error: F207 cannot stat it (" in heads.out, heads.out

    merge = run_cli_within(root, "merge", "heads")
    assert_no_crash(merge)
    assert merge.code == 1
    assert merge.err.count("\n") == 1 and "k1_loop.py" in merge.err

    lint = run_cli_within(root, "lint", "--all")
    assert_no_crash(lint)


def test_a_broken_link_and_a_device_are_findings_not_missing_revisions(root: Path) -> None:
    versions = root / VERSIONS
    (versions / "k1_gone.py").symlink_to("nowhere.py")
    (versions / "k2_device.py").symlink_to(os.devnull)
    with pytest.raises(ImportError, match="Can't find Python file"):
        alembic_revisions(root)

    result = run_cli_within(root, "heads")

    assert_no_crash(result)
    assert result.code == 1
    assert f"{VERSIONS}/k1_gone.py: error: F207 a broken symbolic link" in result.out
    assert f"{VERSIONS}/k2_device.py: error: F207 a character device" in result.out


@pytest.mark.parametrize("recursive", [False, True], ids=["flat", "recursive"])
def test_a_fifo_named_like_a_revision_is_never_opened(tmp_path: Path, recursive: bool) -> None:
    root = tmp_path / "project"
    versions = make_project(root, f"recursive_version_locations = {str(recursive).lower()}\n")
    where = versions / "nested" if recursive else versions
    where.mkdir(exist_ok=True)
    os.mkfifo(where / "k1_fifo.py")
    shown = (where / "k1_fifo.py").relative_to(root).as_posix()

    heads = run_cli_within(root, "heads")
    assert_no_crash(heads)
    assert heads.code == 1
    assert f"{shown}: error: F207 a FIFO, not a regular file" in heads.out, heads.out

    lint = run_cli_within(root, "lint", "--all")  # lists files through the graph's reader
    assert_no_crash(lint)


def test_a_symbolic_link_to_a_revision_is_loaded_once_as_alembic_loads_it(root: Path) -> None:
    versions = root / VERSIONS
    (versions / "k1_real.py").write_text(revision_source("k1", BASE))
    (versions / "k1_twin.py").symlink_to("k1_real.py")
    with pytest.warns(UserWarning, match="loaded twice"):
        assert alembic_revisions(root) == {BASE: (), "k1": (BASE,)}
    code, report = heads_json(root)
    assert code == 0, report
    assert report["heads"] == ["k1"]


def test_recursive_locations_read_below_pycache_as_alembic_does(tmp_path: Path) -> None:
    # Alembic skips the files of a __pycache__ directory, not the directories inside it
    root = tmp_path / "project"
    versions = make_project(root, "recursive_version_locations = true\n")
    (versions / "__pycache__" / "sub").mkdir(parents=True)
    (versions / "__pycache__" / "sub" / "k1_below.py").write_text(revision_source("k1", BASE))
    (versions / "__pycache__" / "k2_cached.py").write_text(revision_source("k2", BASE))
    # recursive_version_locations arrived in Alembic 1.10; older ones read versions/ only
    if ALEMBIC_WALKS_SUBDIRECTORIES:
        assert sorted(alembic_scripts(root).get_heads()) == ["k1"]
    else:
        assert sorted(alembic_scripts(root).get_heads()) == [BASE]
    code, report = heads_json(root)
    assert code == 0, report
    assert report["heads"] == ["k1"]


def run_cli_without_privileges(root: Path, *args: str) -> Result:
    """The CLI unable to bypass file permissions, so that chmod 000 means something: as root,
    without the two capabilities that let root read any directory."""
    command = [sys.executable, "-m", "alembic_sentinel", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root: util-linux's setpriv must drop root's read override"
        dropped = "-dac_override,-dac_read_search"
        command[:0] = [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}"]
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    completed = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=HANG_SECONDS
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.mark.parametrize("recursive", [False, True], ids=["versions", "subdirectory"])
def test_a_directory_that_cannot_be_listed_is_a_finding_not_a_traceback(
    tmp_path: Path, recursive: bool
) -> None:
    root = tmp_path / "project"
    versions = make_project(root, f"recursive_version_locations = {str(recursive).lower()}\n")
    locked = versions / "locked" if recursive else versions
    locked.mkdir(exist_ok=True)
    locked.chmod(0)
    try:
        result = run_cli_without_privileges(root, "heads")
    finally:
        locked.chmod(0o755)

    assert_no_crash(result)
    assert result.code == 1, result.output
    shown = locked.relative_to(root).as_posix()
    assert f"{shown}: error: F207 cannot list this directory (Permission denied)" in result.out


# --- size: a bounded cost for any file ------------------------------------------------------


def peak_memory_of_heads(root: Path) -> tuple[Result, int]:
    """`heads` run in a fresh interpreter, and that interpreter's peak RSS in KiB."""
    probe = (
        "import resource, sys\n"
        "from alembic_sentinel.cli import main\n"
        "code = main(['heads'])\n"
        "sys.stdout.flush()\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    *_, peak = completed.stderr.split()
    return Result(completed.returncode, completed.stdout, completed.stderr), int(peak)


def bulky_revision(size: int) -> str:
    """A revision carrying `size` bytes of inline data: small literals, the densest AST."""
    rows = "1," * (size // 2)
    return revision_source("k1", BASE).replace("    pass", f"    rows = [{rows}]", 1)


def test_a_revision_file_over_the_size_limit_is_a_warning_and_costs_no_memory(
    tmp_path: Path,
) -> None:
    """Placed from its header (streamed), never parsed: a warning, as its operations are not
    read but the graph is whole."""
    make_project(tmp_path / "small")
    _, baseline = peak_memory_of_heads(tmp_path / "small")
    root = tmp_path / "bulky"
    make_project(root)
    (root / VERSIONS / "k1_bulky.py").write_text(bulky_revision(3 * MAX_REVISION_FILE_BYTES))

    result, peak = peak_memory_of_heads(root)

    assert result.code == 0, result.output
    assert f"{VERSIONS}/k1_bulky.py: warning: F208 larger than 2 MiB" in result.out
    assert "its operations were not reviewed" in result.out
    assert "k1 (head)" in result.out
    # parsing 6 MiB of `1,` takes hundreds of MB; streaming its header costs nothing measurable
    assert peak < baseline + 50 * 1024, (peak, baseline)


def test_a_large_blob_at_a_git_ref_is_placed_from_its_header(
    root: Path, git_isolated: None
) -> None:
    (root / VERSIONS / "k1_bulky.py").write_text(bulky_revision(MAX_REVISION_FILE_BYTES + 2))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bulky")
    read = git_revisions.read_at_ref(
        git_revisions.open_repo(root), "main", [root / VERSIONS], root, False
    )
    assert [(f.code, f.path) for f in read.findings] == [("F208", f"{VERSIONS}/k1_bulky.py")]
    assert sorted(r.revision for r in read.revisions) == [BASE, "k1"]


# --- merge: a message is data, never code ---------------------------------------------------

HOSTILE_MESSAGES = [
    'evil """ broken',
    'ends with a quote"',
    "ends with a backslash\\",
    "a backslash-n \\n and \\x and \\N{ that are not escapes",
    "'''single''' quotes",
    "two\nlines",
]


@pytest.mark.parametrize("message", HOSTILE_MESSAGES)
def test_merge_writes_a_revision_that_compiles_whatever_the_message(
    root: Path, message: str
) -> None:
    versions = root / VERSIONS
    for revision in ("k1", "k2"):
        (versions / f"{revision}_branch.py").write_text(revision_source(revision, BASE))

    merged = run_cli(root, "merge", "heads", "-m", message)

    assert merged.code == 0, merged.output
    (written,) = set(versions.glob("*.py")) - {
        versions / f"{BASE}_base.py",
        versions / "k1_branch.py",
        versions / "k2_branch.py",
    }
    source = written.read_text(encoding="utf-8")
    compile(source, str(written), "exec")
    docstring = ast.get_docstring(ast.parse(source), clean=False) or ""
    assert docstring.startswith(message + "\n")
    scripts = alembic_scripts(root)
    (head,) = scripts.get_heads()
    assert scripts.get_revision(head).down_revision == ("k1", "k2")
    assert run_cli(root, "heads").code == 0


# --- many heads: output that grows linearly -------------------------------------------------


def test_two_thousand_heads_give_output_linear_in_the_head_count(root: Path) -> None:
    versions = root / VERSIONS
    count = 2000
    for index in range(count):
        revision = f"h{index:011d}"
        (versions / f"{revision}_head.py").write_text(
            f'revision = "{revision}"\ndown_revision = "{BASE}"\n'
        )

    result = run_cli_within(root, "heads")

    assert result.code == 1
    assert result.out.count("error: G101") == count
    assert "and 1996 more" in result.out
    assert len(result.out.encode()) < count * 300


@pytest.mark.parametrize(
    "body",
    ["\x00\n", "X = " + "+".join(["1"] * 5000) + "\n"],
    ids=["nul-byte", "5000-terms"],
)
def test_a_revision_python_cannot_compile_is_f201_in_every_verb(project: Path, body: str) -> None:
    """Python itself refuses these (a NUL byte; an expression its compiler recurses too deep
    on), so Alembic cannot load them: every verb says F201 at the file, none crashes."""
    path = project / VERSIONS / "c1c1c1c1c1c1_broken.py"
    path.write_text(revision_source("c1c1c1c1c1c1", HEAD, body))
    env = {"ENV_CONFIG": "./env/dev.cfg"}
    for verb in (["heads"], ["lint", "--all"], ["check"], ["upgrade"]):
        result = run_cli(project, *verb, env=env)
        assert result.code == 1, (verb, result.output)
        assert "c1c1c1c1c1c1_broken.py" in result.output and "F201" in result.output, verb
        assert "internal error" not in result.output


@pytest.mark.parametrize("shape", ["duplicate", "cycle"])
def test_check_refuses_a_broken_graph_as_heads_reports_it(project: Path, shape: str) -> None:
    versions = project / VERSIONS
    if shape == "duplicate":  # Alembic warns and keeps one of the two
        source = (versions / f"{HEAD}_add_electionid_to_candidate.py").read_text()
        (versions / "copy_of_head.py").write_text(source)
        code = "G103"
    else:  # two revisions revising each other, hanging off the head
        (versions / "d1d1d1d1d1d1_one.py").write_text(
            revision_source("d1d1d1d1d1d1", "d2d2d2d2d2d2")
        )
        (versions / "d2d2d2d2d2d2_two.py").write_text(
            revision_source("d2d2d2d2d2d2", "d1d1d1d1d1d1")
        )
        code = "G104"
    heads = run_cli(project, "heads")
    assert heads.code == 1 and code in heads.out, heads.output

    check = run_cli(project, "check", env={"ENV_CONFIG": "./env/dev.cfg"})

    assert check.code == 1, check.output
    assert f": {code} " in one_line(check.err)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_path_like_revision_id_is_never_proposed_as_a_file_name(root: Path) -> None:
    (root / VERSIONS / "evil.py").write_text(revision_source("../../outside/evil", BASE))
    result = run_cli(root, "heads")
    assert "F206" in result.out
    assert "rename it to ../" not in result.out
    assert "letters, digits and underscores" in result.out
