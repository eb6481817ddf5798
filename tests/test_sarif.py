"""The SARIF renderer: every log it writes is valid SARIF 2.1.0 that GitHub code scanning takes."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pytest
from jsonschema.protocols import Validator

from alembic_sentinel import __version__
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report, Suppressed
from alembic_sentinel.report.sarif import FINGERPRINT_KEY, SCHEMA_URI, SRCROOT, render_sarif

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


class Rule(NamedTuple):
    """The shape of `lint.catalogue.Rule`: what the renderer reads from a catalogue entry."""

    code: str
    name: str
    severity: str
    summary: str
    why: str
    fix: str


RULES = {
    "L101": Rule(
        "L101",
        "drop-column",
        ERROR,
        "Dropping a column breaks the running application.",
        "Code deployed before the migration still selects the column.",
        "Stop reading the column in one release, drop it in the next.",
    ),
    "L205": Rule(
        "L205",
        "add-index-locks",
        WARNING,
        "Adding an index may lock the table.",
        "",
        "Use ALGORITHM=INPLACE, LOCK=NONE.",
    ),
}

FINDINGS = [
    Finding(
        "L101",
        "drop-column",
        ERROR,
        "op.drop_column('user', 'email') drops a column still in use.",
        path="migrations/versions/0002_drop email.py",
        line=12,
        fix="drop it in a later release",
    ),
    Finding(
        "L205",
        "add-index-locks",
        WARNING,
        "op.create_index on a large table.",
        path="migrations/versions/0003_index.py",
    ),
    Finding("H001", "multiple-heads", ERROR, "2 heads: a1, b2."),
    Finding(
        "N900",
        "unused-import",
        NOTICE,
        "sqlalchemy imported but unused.",
        path="migrations/versions/0003_index.py",
        line=3,
    ),
    Finding(
        "L101",
        "drop-column",
        ERROR,
        "op.drop_column('user', 'name') drops a column still in use.",
        path="migrations/versions/0004_drop_name.py",
        line=9,
    ),
]


@cache
def validator() -> Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # the schema names its own draft (draft-04); validate with that one, formats included
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(log: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(log)]


def sarif(report: Report, **kwargs: Any) -> dict[str, Any]:
    text = render_sarif(report, **kwargs)
    assert text.endswith("\n")
    log: dict[str, Any] = json.loads(text)
    return log


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return list(log["runs"][0]["results"])


def test_report_with_a_rule_catalogue_is_valid_sarif() -> None:
    log = sarif(Report("lint", FINDINGS), rules=RULES)
    assert schema_errors(log) == []
    assert log["$schema"] == SCHEMA_URI
    assert log["version"] == "2.1.0"


def test_report_without_a_rule_catalogue_is_valid_sarif() -> None:
    log = sarif(Report("lint", FINDINGS))
    assert schema_errors(log) == []


def test_empty_report_is_valid_sarif_with_no_rules_and_no_results() -> None:
    log = sarif(Report("lint"))
    assert schema_errors(log) == []
    run = log["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_the_validator_rejects_a_level_sarif_does_not_have() -> None:
    log = sarif(Report("lint", FINDINGS), rules=RULES)
    results(log)[0]["level"] = "fatal"
    errors = schema_errors(log)
    assert errors
    assert any("'fatal' is not one of" in error for error in errors)


def test_the_validator_rejects_a_line_before_the_first() -> None:
    log = sarif(Report("lint", FINDINGS), rules=RULES)
    results(log)[0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert schema_errors(log)


def test_driver_names_the_tool_and_its_version() -> None:
    driver = sarif(Report("lint", FINDINGS))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "alembic-sentinel"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert sarif(Report("lint"), tool_version="9.9.9")["runs"][0]["tool"]["driver"]["version"] == (
        "9.9.9"
    )


def test_severities_map_to_sarif_levels() -> None:
    levels = [r["level"] for r in results(sarif(Report("lint", FINDINGS)))]
    assert levels == ["error", "warning", "error", "note", "error"]


def test_one_rule_per_code_and_results_point_at_it() -> None:
    log = sarif(Report("lint", FINDINGS), rules=RULES)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["L101", "L205", "H001", "N900"]
    for result in results(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_catalogued_rule_carries_its_description_help_and_default_level() -> None:
    rules = sarif(Report("lint", FINDINGS), rules=RULES)["runs"][0]["tool"]["driver"]["rules"]
    drop = rules[0]
    assert drop["name"] == "drop-column"
    assert drop["shortDescription"]["text"] == RULES["L101"].summary
    assert drop["fullDescription"]["text"] == RULES["L101"].why
    assert RULES["L101"].fix in drop["help"]["text"]
    assert "**Fix:**" in drop["help"]["markdown"]
    assert drop["helpUri"].endswith("/docs/rules.md#l101")
    assert drop["defaultConfiguration"]["level"] == "error"
    index = rules[1]
    # no `why`: the summary stands in rather than an empty description
    assert index["fullDescription"]["text"] == RULES["L205"].summary
    assert index["defaultConfiguration"]["level"] == "warning"


def test_uncatalogued_code_is_described_by_its_finding() -> None:
    rules = sarif(Report("lint", FINDINGS), rules=RULES)["runs"][0]["tool"]["driver"]["rules"]
    heads = rules[2]
    assert heads["id"] == "H001"
    assert heads["name"] == "multiple-heads"
    assert heads["shortDescription"]["text"] == "multiple-heads"
    assert heads["helpUri"].endswith("#h001")
    assert heads["defaultConfiguration"]["level"] == "error"


def test_message_carries_the_fix_when_there_is_one() -> None:
    first, second = results(sarif(Report("lint", FINDINGS)))[:2]
    assert first["message"]["text"] == (
        "op.drop_column('user', 'email') drops a column still in use. "
        "Fix: drop it in a later release"
    )
    assert second["message"]["text"] == "op.create_index on a large table."


def test_location_is_relative_to_the_source_root_with_the_line() -> None:
    first = results(sarif(Report("lint", FINDINGS)))[0]
    assert first["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "migrations/versions/0002_drop%20email.py",
                    "uriBaseId": SRCROOT,
                },
                "region": {"startLine": 12},
            }
        }
    ]


def test_finding_without_a_line_has_no_region() -> None:
    second = results(sarif(Report("lint", FINDINGS)))[1]
    assert "region" not in second["locations"][0]["physicalLocation"]


def test_finding_without_a_path_still_produces_a_result_without_location() -> None:
    heads = results(sarif(Report("lint", FINDINGS)))[2]
    assert heads["ruleId"] == "H001"
    assert "locations" not in heads


def test_default_path_anchors_findings_without_a_path_for_github() -> None:
    log = sarif(Report("lint", FINDINGS), default_path="alembic.ini")
    assert schema_errors(log) == []
    heads = results(log)[2]
    assert heads["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "alembic.ini", "uriBaseId": SRCROOT}}}
    ]
    # a finding with its own path keeps it
    assert results(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "migrations/versions/0002_drop%20email.py"
    )


def test_absolute_path_becomes_a_file_uri(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "0001_x.py"
    finding = Finding("L101", "drop-column", ERROR, "dropped.", path=str(outside), line=1)
    log = sarif(Report("lint", [finding]))
    assert schema_errors(log) == []
    location = results(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()}


def test_fingerprints_are_stable_across_runs() -> None:
    def fingerprints() -> list[str]:
        report = Report("lint", list(FINDINGS))
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in results(sarif(report))]

    assert fingerprints() == fingerprints()


def test_fingerprints_differ_for_different_findings() -> None:
    prints = [
        r["partialFingerprints"][FINGERPRINT_KEY] for r in results(sarif(Report("lint", FINDINGS)))
    ]
    assert len(set(prints)) == len(prints)


@pytest.mark.parametrize(
    "change",
    [{"code": "L102"}, {"path": "migrations/versions/other.py"}, {"message": "another message"}],
)
def test_fingerprint_follows_code_path_and_message(change: dict[str, Any]) -> None:
    original = FINDINGS[0]
    changed = original._replace(**change)
    before, after = results(sarif(Report("lint", [original, changed])))
    assert before["partialFingerprints"] != after["partialFingerprints"]


def test_fingerprint_survives_the_line_moving_and_the_fix_changing() -> None:
    original = FINDINGS[0]
    moved = original._replace(line=40, fix="another fix")
    before, after = results(sarif(Report("lint", [original, moved])))
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_a_suppressed_finding_is_a_result_with_its_in_source_suppression_and_reason() -> None:
    kept = Finding("L305", "drop-column", WARNING, "drops party.partySymbol", "v/a.py", 4)
    silenced = Finding("L304", "drop-table", WARNING, "drops table party", "v/a.py", 9)
    report = Report("lint", [kept], suppressed=[Suppressed(silenced, "archived in TICKET-12")])
    log = sarif(report)

    assert schema_errors(log) == []
    assert [r["ruleId"] for r in results(log)] == ["L305", "L304"]
    assert "suppressions" not in results(log)[0]
    assert results(log)[1]["suppressions"] == [
        {"kind": "inSource", "justification": "archived in TICKET-12"}
    ]
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == ["L305", "L304"]
