"""The one report model every check produces and every renderer (text, json, github) reads."""

from __future__ import annotations

from typing import Any, NamedTuple

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
