"""Render a `Report` as text (optionally coloured), JSON, or GitHub workflow commands."""

from __future__ import annotations

import io
import os
import re
from typing import IO

from alembic_sentinel.report.indented_json import dumps_indented
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report

FORMATS = ("text", "json", "github")
JSON_SCHEMA_VERSION = 1

_COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m", NOTICE: "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"
# control characters but newline and tab: ESC starts ANSI/OSC sequences (colours, titles, links,
# cursor moves) that revision text must not be able to send to a terminal; C1 includes CSI
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def use_colour(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(report: Report, fmt: str, stream: IO[str]) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "github":
        return render_github(report)
    return render_text(report, colour=use_colour(stream))


def terminal_safe(text: str) -> str:
    """`text` with control characters shown as escapes (`\\x1b`), never sent to the terminal."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


class TerminalSafeStream(io.TextIOBase):
    """A text stream that writes to `target` with control characters shown as escapes: for
    output a library prints itself (Alembic's `history`), revision text included."""

    def __init__(self, target: IO[str]) -> None:
        super().__init__()
        self._target = target

    def write(self, text: str) -> int:
        self._target.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target.isatty()

    # Alembic encodes what it prints with the stream's encoding (ascii when it has none)
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", None) or "utf-8"


def render_text(report: Report, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines = [terminal_safe(line) for line in report.summary]
    for finding in report.findings:
        where = f"{terminal_safe(finding.location())}: " if finding.path else ""
        severity = paint(finding.severity, _COLOURS.get(finding.severity, ""))
        message = terminal_safe(finding.message)
        lines.append(f"{where}{severity}: {paint(finding.code, _BOLD)} {message}")
        if finding.fix:
            lines.append(f"    fix: {terminal_safe(finding.fix)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(report: Report) -> str:
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "command": report.command,
        **report.facts,
        "findings": [finding.as_dict() for finding in report.findings],
    }
    if report.suppressed is not None:
        document["suppressed"] = [item.as_dict() for item in report.suppressed]
    return dumps_indented(document) + "\n"


def render_github(report: Report) -> str:
    """One workflow command per finding: `::error file=F,line=L,title=CODE::message`."""
    lines = []
    for finding in report.findings:
        lines.append(github_annotation(finding))
    return "\n".join(lines) + ("\n" if lines else "")


def github_annotation(finding: Finding) -> str:
    properties = []
    if finding.path:
        properties.append(f"file={_escape_property(finding.path)}")
        if finding.line:
            properties.append(f"line={finding.line}")
    properties.append(f"title={_escape_property(f'{finding.code} {finding.name}')}")
    message = finding.message + (f" (fix: {finding.fix})" if finding.fix else "")
    level = finding.severity if finding.severity in (ERROR, WARNING, NOTICE) else NOTICE
    return f"::{level} {','.join(properties)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    # GitHub's toolkit escaping for workflow command data
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
