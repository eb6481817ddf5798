"""The GitHub Actions runner side: its environment, output and summary files, workflow commands.

Pure functions build the text a runner reads (outputs, annotations, masks); the two writers only
append it to the files the runner names. Nothing here talks to the REST API (see `github_api`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding
from alembic_sentinel.report.render import _escape_data, github_annotation

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
# GitHub shows at most 10 annotations of each level per step
ANNOTATIONS_PER_SEVERITY = 10


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
    lines = [line for line in value.replace("\r\n", "\n").split("\n") if line.strip()]
    return "\n".join(f"::add-mask::{_escape_data(line)}" for line in lines)
