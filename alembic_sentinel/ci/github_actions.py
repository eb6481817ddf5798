"""The GitHub Actions runner side: its environment, output and summary files, workflow commands.

Pure functions build the text a runner reads (outputs, annotations, masks); the two writers only
append it to the files the runner names. `RunnerLog` keeps untrusted text in the step's log from
being read as workflow commands. Nothing here talks to the REST API (see `github_api`).
"""

from __future__ import annotations

import io
import json
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TextIO, cast

from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding
from alembic_sentinel.report.render import _escape_data, github_annotation

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
# GitHub shows at most 10 annotations of each level per step
ANNOTATIONS_PER_SEVERITY = 10
# How untrusted text that looks like a workflow command is shown in the log: the runner reads
# `::name::` after leading whitespace (it trims), and the legacy `##[name]` anywhere in a line.
# Such a line is quoted (visibly: this is text, not a command), and `##[` gets a zero-width
# space after `##`, which breaks the legacy prefix and is invisible in the log.
QUOTE = "> "
LEGACY_PREFIX = "##["
BROKEN_LEGACY_PREFIX = "##\u200b["
# whitespace, and invisible characters a trim might one day take for whitespace, before `::`
_COMMAND_START = re.compile(r"[\s\u180e\u200b-\u200d\u2060\ufeff]*::")


class ActionsEnv(NamedTuple):
    """What the runner tells a step about the workflow run (GITHUB_* variables and the event)."""

    is_actions: bool
    event_name: str
    event: dict[str, Any]
    repository: str  # "owner/name"
    api_url: str
    server_url: str
    output_path: str | None
    summary_path: str | None
    base_ref: str  # the PR's base branch name, "" outside pull_request events
    ref_name: str
    pull_number: int | None
    runner_temp: str | None
    token: str

    def __repr__(self) -> str:
        # a repr lands in logs and tracebacks; the token must not
        fields = {
            name: getattr(self, name) for name in self._fields if name not in ("token", "event")
        }
        fields["token"] = "***" if self.token else ""
        return f"ActionsEnv({', '.join(f'{k}={v!r}' for k, v in fields.items())})"

    @property
    def is_pull_request(self) -> bool:
        return self.event_name in PULL_REQUEST_EVENTS and self.pull_number is not None


def read_env(environ: Mapping[str, str]) -> ActionsEnv:
    """The runner's view of the run, from `environ` (os.environ) and the event file it names."""
    event_path = environ.get("GITHUB_EVENT_PATH") or ""
    event = load_event(Path(event_path)) if event_path else {}
    return ActionsEnv(
        is_actions=environ.get("GITHUB_ACTIONS") == "true",
        event_name=environ.get("GITHUB_EVENT_NAME", ""),
        event=event,
        repository=environ.get("GITHUB_REPOSITORY", ""),
        api_url=(environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        server_url=(environ.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/"),
        output_path=environ.get("GITHUB_OUTPUT") or None,
        summary_path=environ.get("GITHUB_STEP_SUMMARY") or None,
        base_ref=environ.get("GITHUB_BASE_REF", ""),
        ref_name=environ.get("GITHUB_REF_NAME", ""),
        pull_number=pull_number(event),
        runner_temp=environ.get("RUNNER_TEMP") or None,
        token=environ.get("GITHUB_TOKEN", ""),
    )


def load_event(path: Path) -> dict[str, Any]:
    """The webhook payload of the run; {} when the file is missing or not a JSON object."""
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return event if isinstance(event, dict) else {}


def pull_number(event: Mapping[str, Any]) -> int | None:
    pull = event.get("pull_request")
    number = pull.get("number") if isinstance(pull, Mapping) else None
    # bool is an int in Python; a payload never carries one here, but keep the type honest
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def output_commands(
    outputs: Mapping[str, str], new_delimiter: Callable[[], str] | None = None
) -> str:
    """`outputs` in the GITHUB_OUTPUT file format, each as `name<<DELIMITER`, value, DELIMITER.

    The heredoc form is safe for any value, newlines included, provided the delimiter does not
    occur in it; the delimiter is random (as in @actions/core), so a value cannot forge outputs.
    """
    make = new_delimiter or (lambda: f"ghadelimiter_{uuid.uuid4()}")
    text = []
    for name, value in outputs.items():
        if not name or "\n" in name or "\r" in name or "<<" in name:
            raise ValueError(f"invalid output name {name!r}")
        delimiter = make()
        while delimiter in name or delimiter in value:
            delimiter = make()
        text.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(text)


def write_outputs(path: str | Path, outputs: Mapping[str, str]) -> None:
    """Append `outputs` to the runner's GITHUB_OUTPUT file."""
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(output_commands(outputs))


def append_summary(path: str | Path, markdown: str) -> None:
    """Append `markdown` to the runner's GITHUB_STEP_SUMMARY file, ending with a blank line."""
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(markdown.rstrip("\n") + "\n\n")


def annotation_commands(
    findings: Iterable[Finding], per_severity: int = ANNOTATIONS_PER_SEVERITY
) -> list[str]:
    """Workflow commands annotating the findings that have a path, at most `per_severity` of
    each level (GitHub drops the rest), then a notice counting what was left out."""
    shown: dict[str, int] = {}
    lines = []
    left_out = 0
    for finding in findings:
        if not finding.path:
            continue
        level = finding.severity if finding.severity in (ERROR, WARNING, NOTICE) else NOTICE
        if shown.get(level, 0) >= per_severity:
            left_out += 1
            continue
        shown[level] = shown.get(level, 0) + 1
        lines.append(github_annotation(finding))
    if left_out:
        lines.append(f"::notice::{left_out} more findings in the step summary")
    return lines


def mask(value: str) -> str:
    """`::add-mask::` commands hiding `value` in the log; "" for an empty value.

    The runner masks a command's value as one string, so a multi-line secret gets one command
    per line (a line of it may be printed alone).
    """
    # the runner ends a line at \r too: a line of the log holds at most one line of the secret
    lines = [line for line in re.split(r"\r\n|\r|\n", value) if line.strip()]
    return "\n".join(f"::add-mask::{_escape_data(line)}" for line in lines)


def warning_command(message: str) -> str:
    """`::warning::message`, the message escaped as command data (one line whatever it holds)."""
    return f"::warning::{_escape_data(message)}"


def neutralise_commands(text: str) -> str:
    """`text` with every line the runner could read as a workflow command made plain text.

    Lines end where the runner ends them (\\n, \\r, \\r\\n) and at every other Unicode line
    boundary, to be safe; a line whose start, once left-stripped, is `::`, or that holds `##[`,
    is shown as `> ` + the line with `##[` broken (see QUOTE). Other lines are unchanged.
    """
    lines = text.splitlines(keepends=True)
    return "".join(_neutralise_line(line) for line in lines)


def _neutralise_line(line: str) -> str:
    body = (line.splitlines() or [""])[0]
    if not (_COMMAND_START.match(body) or LEGACY_PREFIX in body):
        return line
    return QUOTE + body.replace(LEGACY_PREFIX, BROKEN_LEGACY_PREFIX) + line[len(body) :]


class CommandSafeWriter(io.TextIOBase):
    """A text stream writing to `target` what it is given, workflow commands neutralised.

    A line is judged as a whole (print writes the text, then the newline; a line starting with
    spaces may go on with `::`), so a partial line waits for its end or for `finish()`.
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target
        self._pending = ""

    def write(self, text: str) -> int:
        lines = (self._pending + text).splitlines(keepends=True)
        ended = lines and lines[-1].splitlines() != [lines[-1]]
        self._pending = "" if ended or not lines else lines.pop()
        if lines:
            self._target.write(neutralise_commands("".join(lines)))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def finish(self) -> None:
        """Write the pending partial line, ended: what follows starts a line of its own."""
        if self._pending:
            self._target.write(neutralise_commands(self._pending) + "\n")
            self._pending = ""
        self.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    # typeshed declares `encoding` a plain attribute; on io.TextIOBase it is a read-only property
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._target.encoding


class RunnerLog:
    """A step's stdout and stderr on a runner, with workflow commands off but for our own.

    Opening it prints `::stop-commands::<random token>` on `out`: until the token comes back the
    runner reads no line as a command, so revision text, SQL and API messages printed meanwhile
    cannot forge annotations, masks or outputs, nor stop commands themselves. `stdout` and
    `stderr` also neutralise command-like lines (the runner reads the two pipes separately,
    so a line of one may be read before the other's stop). `commands(lines)` resumes with the
    token, prints our own commands and stops again with a fresh token.
    """

    def __init__(
        self, out: TextIO, err: TextIO, new_token: Callable[[], str] | None = None
    ) -> None:
        self._out = out
        self._new_token = new_token or (lambda: secrets.token_hex(16))
        # io.TextIOBase is not typing.TextIO for mypy; the writer does what TextIO users call
        self.stdout = cast(TextIO, CommandSafeWriter(out))
        self.stderr = cast(TextIO, CommandSafeWriter(err))
        self._token = self._stop()

    def _stop(self) -> str:
        token = self._new_token()
        print(f"::stop-commands::{token}", file=self._out, flush=True)
        return token

    def commands(self, lines: Iterable[str]) -> None:
        """Print workflow commands of ours (each one line, its data escaped) for the runner."""
        self.finish()  # a pending partial line would swallow the resume
        print(f"::{self._token}::", file=self._out)
        for line in lines:
            print(line, file=self._out)
        self._token = self._stop()

    def finish(self) -> None:
        for stream in (self.stdout, self.stderr):
            cast(CommandSafeWriter, stream).finish()


# `action/run.sh` hands the step's secrets over on file descriptors instead of the environment:
# a process's initial environment stays readable in /proc/<pid>/environ for its whole life
SECRET_DESCRIPTORS_ENV = "SENTINEL_CI_SECRET_FDS"
_MAX_SECRET_BYTES = 1 << 16


def secrets_from_descriptors(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` with the variables `SENTINEL_CI_SECRET_FDS` ("NAME=FD,...") names read from
    their descriptors (each read once, then closed; a trailing newline dropped)."""
    merged = {name: value for name, value in environ.items() if name != SECRET_DESCRIPTORS_ENV}
    for item in environ.get(SECRET_DESCRIPTORS_ENV, "").split(","):
        name, _, number = item.partition("=")
        if not name or not number.isdigit():
            continue
        try:
            with open(int(number), "rb", closefd=True) as stream:
                value = stream.read(_MAX_SECRET_BYTES).decode("utf-8", errors="replace")
        except OSError:  # not open: the variable stays as the environment has it
            continue
        if value.endswith("\n"):
            value = value[:-1]
        if value:
            merged[name] = value
    return merged
