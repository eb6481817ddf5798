"""Render a `Report` as a SARIF 2.1.0 log, the format GitHub code scanning uploads.

One run, one tool (`alembic-sentinel`), one reportingDescriptor per rule code that has a finding.
Paths stay relative to the project root (`%SRCROOT%`), so the log means the same on every checkout.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from alembic_sentinel import __version__
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "alembic-sentinel"
INFORMATION_URI = "https://github.com/alembic-sentinel/alembic-sentinel"
RULES_DOC_URI = f"{INFORMATION_URI}/blob/main/docs/rules.md"
SRCROOT = "%SRCROOT%"
# versioned: changing what the hash covers must not silently merge old and new alerts
FINGERPRINT_KEY = "alembicSentinel/v1"

_LEVELS = {ERROR: "error", WARNING: "warning", NOTICE: "note"}


class RuleDescription(Protocol):
    """What the SARIF log says about a rule; `lint.catalogue.Rule` has exactly these attributes."""

    # read-only properties, so that a NamedTuple satisfies the protocol
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def why(self) -> str: ...
    @property
    def fix(self) -> str: ...


def render_sarif(
    report: Report,
    rules: Mapping[str, RuleDescription] | None = None,
    tool_version: str = __version__,
    default_path: str | None = None,
) -> str:
    """The SARIF 2.1.0 log of `report`, as JSON text ending in a newline.

    `rules` describes the codes (shortDescription, help, default level); a code missing from it
    is described by its findings' code and name. `default_path` is where a finding without a
    path is placed: GitHub code scanning rejects the whole upload when any result has no
    location, although SARIF allows it. Without `default_path` such results have no location.
    """
    descriptors: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    suppressed = report.suppressed or []
    for finding in [*report.findings, *(item.finding for item in suppressed)]:
        if finding.code not in rule_index:
            rule_index[finding.code] = len(descriptors)
            described = (rules or {}).get(finding.code)
            descriptors.append(
                rule_descriptor(described) if described else finding_descriptor(finding)
            )
    results = [
        sarif_result(finding, rule_index[finding.code], default_path) for finding in report.findings
    ]
    # suppressed findings are results too, with SARIF's in-source suppression and its reason,
    # so code scanning counts them and shows them as dismissed rather than forgetting them
    for item in suppressed:
        result = sarif_result(item.finding, rule_index[item.finding.code], default_path)
        result["suppressions"] = [{"kind": "inSource", "justification": item.reason}]
        results.append(result)
    log = {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "informationUri": INFORMATION_URI,
                        "version": tool_version,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def sarif_level(severity: str) -> str:
    """SARIF's name for a severity; an unknown severity is shown as the mildest, like `github`."""
    return _LEVELS.get(severity, "note")


def help_uri(code: str) -> str:
    return f"{RULES_DOC_URI}#{code.lower()}"


def rule_descriptor(rule: RuleDescription) -> dict[str, Any]:
    uri = help_uri(rule.code)
    why = rule.why or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": why},
        "help": {
            "text": f"{why}\n\nFix: {rule.fix}\n\nSee {uri}",
            "markdown": f"{why}\n\n**Fix:** {rule.fix}\n\n[{rule.code} in docs/rules.md]({uri})",
        },
        "helpUri": uri,
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
    }


def finding_descriptor(finding: Finding) -> dict[str, Any]:
    """A descriptor for a code with no catalogue entry: all we know is its code and name."""
    uri = help_uri(finding.code)
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "fullDescription": {"text": finding.name},
        "help": {
            "text": f"{finding.code} {finding.name}: see {uri}",
            "markdown": f"[{finding.code} {finding.name}]({uri})",
        },
        "helpUri": uri,
        "defaultConfiguration": {"level": sarif_level(finding.severity)},
    }


def sarif_result(finding: Finding, rule_index: int, default_path: str | None) -> dict[str, Any]:
    text = finding.message + (f" Fix: {finding.fix}" if finding.fix else "")
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.severity),
        "message": {"text": text},
    }
    path = finding.path or default_path
    if path:
        physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
        if finding.path and finding.line is not None and finding.line >= 1:
            physical["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": physical}]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding)}
    return result


def artifact_location(path: str) -> dict[str, str]:
    """A path relative to the project root, as a URI reference against `%SRCROOT%`.

    Findings name files relative to the project root; one outside it (an absolute path) has no
    base to be relative to and becomes a `file:` URI.
    """
    as_path = Path(path)
    if as_path.is_absolute():
        return {"uri": as_path.as_uri()}
    return {"uri": quote(as_path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def fingerprint(finding: Finding) -> str:
    """Same code, file and message on a later run: the same alert, wherever the line moved."""
    key = "\0".join(
        (finding.code, Path(finding.path).as_posix() if finding.path else "", finding.message)
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
