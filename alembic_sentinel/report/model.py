"""The one report model every check produces and every renderer (text, json, github) reads."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"
SEVERITIES = (ERROR, WARNING, NOTICE)


class Finding(NamedTuple):
    """One problem: a stable code, how bad it is, where it is, what is wrong and how to fix it."""

    code: str
    name: str
    severity: str
    message: str
    path: str | None = None
    line: int | None = None
    fix: str | None = None

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }


class Suppressed(NamedTuple):
    """A finding that a `# sentinel: ignore[CODE] -- reason` comment silenced, and the reason:
    not a problem any more, but every output still counts it."""

    finding: Finding
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.finding.as_dict(), "reason": self.reason}


class Report:
    """What a command found: its findings plus command-specific facts (heads, bases, ...)."""

    def __init__(
        self,
        command: str,
        findings: list[Finding] | None = None,
        facts: dict[str, Any] | None = None,
        summary: list[str] | None = None,
        suppressed: list[Suppressed] | None = None,
    ) -> None:
        self.command = command
        self.findings: list[Finding] = findings if findings is not None else []
        self.facts: dict[str, Any] = facts if facts is not None else {}
        # lines a human reader wants before the findings (e.g. the list of heads)
        self.summary: list[str] = summary if summary is not None else []
        # None: the command has no suppressions (only lint findings can be suppressed)
        self.suppressed: list[Suppressed] | None = suppressed

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def exit_code(self) -> int:
        return 1 if self.errors else 0


def map_report_text(report: Report, change: Callable[[str], str]) -> Report:
    """A copy of `report` with `change` applied to every string it holds (messages, fixes,
    paths, facts at any depth, summary lines, reasons): one pass that no renderer can miss,
    e.g. to take secrets out before anything is escaped or rendered."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return change(value)
        if isinstance(value, dict):
            return {walk(key): walk(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(item) for item in value]
        return value

    def finding(item: Finding) -> Finding:
        return Finding(*(walk(field) for field in item))

    suppressed = report.suppressed
    return Report(
        walk(report.command),
        [finding(item) for item in report.findings],
        walk(report.facts),
        [walk(line) for line in report.summary],
        None
        if suppressed is None
        else [Suppressed(finding(item.finding), walk(item.reason)) for item in suppressed],
    )


def report_document(report: Report) -> dict[str, Any]:
    """Everything a `Report` holds, as JSON-ready data (`report_from_document` reads it back):
    how a report crosses from the process that ran project code to the one that delivers it."""
    return {
        "command": report.command,
        "findings": [item.as_dict() for item in report.findings],
        "facts": report.facts,
        "summary": report.summary,
        "suppressed": None
        if report.suppressed is None
        else [item.as_dict() for item in report.suppressed],
    }


def report_from_document(document: Any) -> Report:
    """The `Report` `report_document` wrote; ValueError for anything else (the writer is not
    trusted: it ran a pull request's code)."""

    def text(value: Any, optional: bool = False) -> Any:
        if isinstance(value, str) or (optional and value is None):
            return value
        raise ValueError(f"expected a string, got {type(value).__name__}")

    def finding(item: Any) -> Finding:
        if not isinstance(item, dict):
            raise ValueError("a finding is not an object")
        line = item.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise ValueError("a finding's line is not a number")
        severity = text(item.get("severity"))
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        return Finding(
            text(item.get("code")),
            text(item.get("name")),
            severity,
            text(item.get("message")),
            text(item.get("path"), optional=True),
            line,
            text(item.get("fix"), optional=True),
        )

    if not isinstance(document, dict):
        raise ValueError("the report is not an object")
    facts = document.get("facts")
    summary = document.get("summary")
    findings = document.get("findings")
    suppressed = document.get("suppressed")
    if not isinstance(facts, dict) or not isinstance(summary, list):
        raise ValueError("the report has no facts or summary")
    if not isinstance(findings, list) or not (suppressed is None or isinstance(suppressed, list)):
        raise ValueError("the report's findings are not a list")
    return Report(
        text(document.get("command")),
        [finding(item) for item in findings],
        facts,
        [text(line) for line in summary],
        None
        if suppressed is None
        else [Suppressed(finding(item), text(item.get("reason"))) for item in suppressed],
    )
