"""A pull request's code runs in a child process that holds no secret and one scratch account.

`ci` runs code nobody has reviewed yet: the revisions, the data fixtures, the Flask app and its
config. The process that talks to GitHub (the parent) runs none of it. It starts
`python -m alembic_sentinel ci ...` again as a child:

- with an environment that lacks the token, the runner's other credentials and files
  (GITHUB_OUTPUT, GITHUB_ENV, ...), the server URL it was given, and every variable whose value
  holds a secret the parent knows (`child_environment`);
- with a scratch schema the parent made and an account that reaches that schema only
  (ci/scratch_account.py), instead of the configured account;
- with the parent made non-dumpable first, so the child cannot read the parent's memory or
  environment through /proc (the same user could, otherwise).

The child's stdout and stderr come back to the parent on one pipe and go to the progress
stream line by line, secrets taken out; its report comes back as a file in a directory only
this user can read, and is read as untrusted data (`report_from_document`), with every secret
removed from its text before anything renders it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from alembic_sentinel.errors import EXIT_INTERNAL, ProjectCodeError, SentinelError
from alembic_sentinel.redaction import redact
from alembic_sentinel.report.model import (
    Report,
    map_report_text,
    report_document,
    report_from_document,
)

if TYPE_CHECKING:
    from alembic_sentinel.ci.scratch import Scratch

# where the child writes its report, and the scratch the parent made for it (as JSON)
CHILD_REPORT_ENV = "ALEMBIC_SENTINEL_CI_CHILD_REPORT"
CHILD_SCRATCH_ENV = "ALEMBIC_SENTINEL_CI_SCRATCH"
# what a runner hands a step that project code must not have: credentials, the files that set
# outputs, variables and PATH for later steps, and the server URL with its account
WITHHELD = frozenset(
    {
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "ACTIONS_RUNTIME_TOKEN",
        "ACTIONS_RUNTIME_URL",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "ACTIONS_CACHE_URL",
        "ACTIONS_RESULTS_URL",
        "GITHUB_OUTPUT",
        "GITHUB_ENV",
        "GITHUB_PATH",
        "GITHUB_STATE",
        "GITHUB_STEP_SUMMARY",
        "SENTINEL_CI_DATABASE_URL",
    }
)
WITHHELD_PREFIXES = ("INPUT_",)  # a JavaScript action's inputs, the token among them
# the runner's credentials by name: secrets whatever their values look like
RUNNER_SECRETS = ("GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN")
# a report larger than this is not a report (the comment itself is cut at 65,536 characters)
MAX_REPORT_BYTES = 64 * 1024 * 1024
_PR_SET_DUMPABLE = 4
MIN_WITHHELD_LENGTH = 8


def child_environment(environ: Mapping[str, str], secrets: Sequence[str]) -> dict[str, str]:
    """`environ` without what project code must not see (WITHHELD, and any value holding a
    secret in any spelling). A short value (a service container's `root` password) is no
    secret worth a variable: matched by value, it would take HOME and PATH away as well."""
    forms = [form for form in secrets if len(form) >= MIN_WITHHELD_LENGTH]
    return {
        name: value
        for name, value in environ.items()
        if name not in WITHHELD
        and not name.startswith(WITHHELD_PREFIXES)
        and not any(form in value for form in forms)
    }


def child_argv(argv: Sequence[str]) -> list[str]:
    """The command line again, without `--database-url` (the child gets its scratch instead)."""
    kept: list[str] = []
    skip = False
    for argument in argv:
        if skip:
            skip = False
        elif argument == "--database-url":
            skip = True
        elif not argument.startswith("--database-url="):
            kept.append(argument)
    return kept


def make_undumpable() -> None:
    """No process of the same user may read this one's memory or /proc/<pid>/environ (Linux;
    elsewhere nothing happens). The token lives here for the whole run."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):  # no libc prctl: nothing more to do
        return


def run_confined(
    argv: Sequence[str],
    root: Path,
    environ: Mapping[str, str],
    scratch: Scratch | None,
    secrets: Sequence[str],
    progress: TextIO,
) -> Report:
    """Run `alembic-sentinel ARGV` (a `ci` command line) in a child process and return its
    report, every secret removed. Raises SentinelError with the child's exit code when it
    failed (its one-line error has already reached `progress`)."""
    make_undumpable()
    with _private_directory() as directory:
        report_path = directory / "report.json"
        env = child_environment(environ, secrets)
        env[CHILD_REPORT_ENV] = str(report_path)
        if scratch is not None:
            env[CHILD_SCRATCH_ENV] = scratch.as_json()
        command = [sys.executable, "-m", "alembic_sentinel", *child_argv(argv)]
        code = _run_relayed(command, root, env, secrets, progress)
        if code < 0:
            raise _Killed(f"the ci process was killed by signal {-code}")
        if code != 0:
            raise _ChildFailed(code)
        document = _read_report(report_path)
    return map_report_text(document, lambda text: redact(text, secrets))


class _Killed(SentinelError):
    exit_code = EXIT_INTERNAL


class _ChildFailed(SentinelError):
    """The child ended with its own exit code; its error line is already shown."""

    def __init__(self, code: int) -> None:
        super().__init__("")
        self.exit_code = code


def child_failed_code(exc: BaseException) -> int | None:
    """The exit code to end with when `exc` is a child's own failure (already reported)."""
    return exc.exit_code if isinstance(exc, _ChildFailed) else None


@contextmanager
def _private_directory() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="alembic-sentinel-ci-"))  # mode 0700
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _run_relayed(
    command: list[str], root: Path, env: dict[str, str], secrets: Sequence[str], out: TextIO
) -> int:
    """Run the child; each line it prints reaches `out` with the secrets taken out."""
    process = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    try:
        while True:
            # bounded: a line without an end must not fill memory
            chunk = process.stdout.readline(1 << 16)
            if not chunk:
                break
            out.write(redact(chunk.decode("utf-8", errors="replace"), secrets))
            out.flush()
        return process.wait()
    finally:
        if process.poll() is None:  # interrupted: the child goes too, before the scratch
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()


def _read_report(path: Path) -> Report:
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_REPORT_BYTES + 1)
    except OSError:
        raise ProjectCodeError(
            "the project's code ended the ci process before it wrote its report "
            "(an os._exit() or a signal in a revision, a fixture or the app)",
        ) from None
    if len(data) > MAX_REPORT_BYTES:
        raise ProjectCodeError("the ci process wrote a report over 64 MiB")
    try:
        return report_from_document(json.loads(data.decode("utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProjectCodeError(f"the ci process wrote a report that is not one ({exc})") from None


# --- the child's side ------------------------------------------------------------------------


def child_report_path(environ: Mapping[str, str]) -> Path | None:
    """Where this process, started by `run_confined`, writes its report; None in the parent."""
    value = environ.get(CHILD_REPORT_ENV)
    return Path(value) if value else None


def child_scratch(environ: Mapping[str, str]) -> Scratch | None:
    from alembic_sentinel.ci.scratch import Scratch

    value = environ.get(CHILD_SCRATCH_ENV)
    return Scratch.from_json(value) if value else None


def write_child_report(path: Path, report: Report) -> None:
    text = json.dumps(report_document(report))
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
