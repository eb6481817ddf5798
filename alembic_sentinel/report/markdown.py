"""Render the `ci` report as GitHub-flavoured Markdown: the step summary and the sticky PR comment.

Every piece of user text (revision messages, paths, finding messages, SQL, code) is escaped:
a revision message is written by whoever opened the pull request, and the comment is posted with
the workflow's token, so it must never turn into markup, HTML, a mention or a broken table.

The facts are read defensively: a run that stopped early (the upgrade failed, no base branch)
leaves keys out, and the report must still render and say what was not checked.

Longer than 500 lines for a reason: one small renderer per section of the one `ci` report
(checks, findings and suppressions, timings, drift, DDL, SQL), all on the same defensive readers
of the facts; split, each part would import the others' helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from alembic_sentinel.report.markdown_data import data_blocks, data_check
from alembic_sentinel.report.markdown_document import (
    TRUNCATED_WHERE,
    Block,
    code_block,
    escape_html,
    escape_text,
    fit,
    inline_code,
    join_blocks,
)
from alembic_sentinel.report.markdown_rollout import rollout_blocks, rollout_check
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report, Suppressed

COMMENT_LIMIT = 65_536  # GitHub rejects issue comments longer than this
DEFAULT_LIMIT = COMMENT_LIMIT - 200

PASSED = "\N{WHITE HEAVY CHECK MARK}"
FAILED = "\N{CROSS MARK}"
WARNED = "\N{WARNING SIGN}\N{VARIATION SELECTOR-16}"
SKIPPED = "\N{HEAVY MINUS SIGN}"
INFO = "\N{INFORMATION SOURCE}\N{VARIATION SELECTOR-16}"
_SEVERITY_TITLES = {
    ERROR: (FAILED, "Errors"),
    WARNING: (WARNED, "Warnings"),
    NOTICE: (INFO, "Notices"),
}
_FINDINGS_KEPT = 10  # per severity; the rest may be cut when the comment is too long
_TIMINGS_SORTED_ABOVE = 10  # more new revisions than this: slowest first
_LISTED_IDS = 5

# Cut in this order when over the limit; within a class the longest block goes first.
_CUT_ORDER = ("sql", "drift", "findings", "tables")


def marker(migrations: str) -> str:
    """The hidden HTML comment that identifies the sticky comment of one migrations directory."""
    # "--" inside an HTML comment may end it early; "&" and "<>" keep it one comment
    safe = (
        migrations.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("--", "-&#45;")
    )
    return f"<!-- alembic-sentinel:{safe} -->"


def comment_body(report: Report, migrations: str, where: str = TRUNCATED_WHERE) -> str:
    """The PR comment: the marker on the first line, then the report; at most 65,536 chars."""
    head = marker(migrations) + "\n"
    return head + render_markdown(report, limit=COMMENT_LIMIT - len(head), where=where)


def render_markdown(
    report: Report, *, limit: int = DEFAULT_LIMIT, where: str = TRUNCATED_WHERE
) -> str:
    """The report as Markdown of at most `limit` characters (long sections cut, with a note
    that says `where` the full report is)."""
    return fit(_blocks(report), limit, _CUT_ORDER, where)


def fits(report: Report, limit: int = DEFAULT_LIMIT) -> bool:
    """Whether the whole report fits in `limit` characters of Markdown (nothing is cut)."""
    return len(join_blocks(_blocks(report))) <= limit


def _blocks(report: Report) -> list[Block]:
    facts = report.facts
    blocks = [_headline(report), _checks(report)]
    blocks += _findings(report.findings)
    blocks += _suppressed(report.suppressed or [])
    blocks += _timings(facts)
    blocks += _drift(facts)
    blocks += data_blocks(facts)
    blocks += rollout_blocks(facts.get("rollout"))
    blocks += _ddl(facts)
    blocks += _sql(facts)
    return blocks


# --- defensive access to the facts -------------------------------------------------------------


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _records(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else []


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _ids(values: Sequence[str]) -> str:
    shown = ", ".join(inline_code(value) for value in values[:_LISTED_IDS])
    more = len(values) - _LISTED_IDS
    return shown + (f" and {more} more" if more > 0 else "")


# --- sections -----------------------------------------------------------------------------------


def _status(report: Report) -> str:
    status = report.facts.get("status")
    if status in ("passed", "failed"):
        return str(status)
    return "failed" if report.errors else "passed"


def _headline(report: Report) -> Block:
    facts = report.facts
    status = _status(report)
    icon = PASSED if status == "passed" else FAILED
    counts = [
        _plural(sum(1 for f in report.findings if f.severity == severity), severity)
        for severity in (ERROR, WARNING, NOTICE)
    ]
    if report.suppressed:
        counts.append(f"{len(report.suppressed)} suppressed")
    details = [", ".join(counts)]
    if "new_revisions" in facts:
        details.append(_plural(len(_records(facts.get("new_revisions"))), "new revision"))
    heads = _strings(facts.get("heads"))
    if heads:
        details.append(f"{'head' if len(heads) == 1 else 'heads'} {_ids(heads)}")
    where = []
    if facts.get("migrations"):
        where.append(inline_code(facts["migrations"]))
    database = _mapping(facts.get("database"))
    if database.get("dialect"):
        where.append(f"on {escape_text(server_name(database))}")
    if database.get("scratch"):
        where.append(f"(scratch schema {inline_code(database['scratch'])})")
    if where:
        details.append(" ".join(where))
    return Block(head=[f"## {icon} alembic-sentinel: {status}", "", " · ".join(details), ""])


def _worst(findings: Sequence[Finding]) -> str | None:
    severities = {finding.severity for finding in findings}
    if ERROR in severities:
        return FAILED
    if WARNING in severities:
        return WARNED
    return None


def _checks(report: Report) -> Block:
    facts = report.facts
    by_code: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_code.setdefault(finding.code, []).append(finding)

    def having(predicate: Callable[[str], bool]) -> list[Finding]:
        return [f for code, fs in by_code.items() if predicate(code) for f in fs]

    base_ref = facts.get("base_ref")
    no_base = (SKIPPED, "no base branch to compare with")
    new = _records(facts.get("new_revisions"))
    upgrade = _mapping(facts.get("upgrade"))
    upgrade_failed = upgrade.get("ok") is False or bool(by_code.get("C502"))

    rows = [
        (
            "Revision graph",
            _graph_check(facts, having(lambda c: c.startswith("G") and c != "G107")),
        ),
        (
            "Head collision with the base",
            _collision_check(base_ref, by_code.get("G107", [])) if base_ref else no_base,
        ),
        (
            "Edited merged revisions",
            _edited_check(facts, by_code.get("C501", [])) if base_ref else no_base,
        ),
        ("Upgrade base → head", _upgrade_check(upgrade, upgrade_failed)),
        (
            "Production path (base head → head)",
            _production_check(facts, upgrade, upgrade_failed, by_code.get("C502", []))
            if base_ref
            else no_base,
        ),
        (
            "Downgrade/upgrade round trips",
            _round_trip_check(facts, upgrade_failed, having(lambda c: c in ("C503", "C504")))
            if base_ref
            else no_base,
        ),
        (
            "Drift (models vs schema)",
            _drift_check(facts, having(lambda c: c.startswith("D")), by_code),
        ),
        ("Lint of new revisions", _lint_check(facts, new, having(lambda c: c.startswith("L")))),
        ("Offline SQL", _sql_check(facts)),
        ("Upgrade over generated rows", data_check(facts, by_code)),
    ]
    rollout = rollout_check(facts.get("rollout"), len(by_code.get("R601", [])))
    if rollout is not None:
        rows.append(("Rollout on the production tables", rollout))
    lines = ["### Checks", "", "| Check | Result | Note |", "| --- | :-: | --- |"]
    lines += [f"| {name} | {icon} | {note} |" for name, (icon, note) in rows]
    return Block(head=[*lines, ""])


def _graph_check(facts: Mapping[str, Any], findings: Sequence[Finding]) -> tuple[str, str]:
    if "heads" not in facts and not findings:
        return SKIPPED, "not checked"
    heads = _strings(facts.get("heads"))
    if not heads:
        note = "no revisions"
    elif len(heads) == 1:
        note = f"single head {inline_code(heads[0])}"
    else:
        note = f"{len(heads)} heads: {_ids(heads)}"
    if findings:
        note += f"; {_plural(len(findings), 'finding')} below"
    return _worst(findings) or PASSED, note


def _collision_check(base_ref: object, findings: Sequence[Finding]) -> tuple[str, str]:
    if findings:
        return _worst(findings) or WARNED, "the PR and the base both add a head; see findings"
    return PASSED, f"no second head against {inline_code(base_ref)}"


def _edited_check(facts: Mapping[str, Any], findings: Sequence[Finding]) -> tuple[str, str]:
    edited = [str(r.get("revision", "?")) for r in _records(facts.get("edited_revisions"))]
    if edited or findings:
        count = len(edited) or len(findings)
        icon = _worst(findings) or FAILED
        return (
            icon,
            f"{_plural(count, 'revision')} of the base branch edited {_ids(edited)}".rstrip(),
        )
    if "edited_revisions" not in facts:
        return SKIPPED, "not checked"
    return PASSED, "none"


def _upgrade_check(upgrade: Mapping[str, Any], failed: bool) -> tuple[str, str]:
    steps = _records(upgrade.get("base_to_base_head")) + _records(upgrade.get("base_head_to_head"))
    if not upgrade and not failed:
        return SKIPPED, "not run"
    seconds = _seconds(upgrade.get("seconds")) or sum(_seconds(s.get("seconds")) for s in steps)
    if failed:
        return FAILED, f"failed after {_plural(len(steps), 'revision')}; see C502"
    return PASSED, f"{_plural(len(steps), 'revision')} in {seconds:.2f} s"


def _production_check(
    facts: Mapping[str, Any],
    upgrade: Mapping[str, Any],
    failed: bool,
    failures: Sequence[Finding],
) -> tuple[str, str]:
    steps = _records(upgrade.get("base_head_to_head"))
    new = _records(facts.get("new_revisions"))
    if not upgrade and not failed:
        return SKIPPED, "not run"
    seconds = sum(_seconds(s.get("seconds")) for s in steps)
    # the path the upgrade took starts where this branch meets the base; when the base has
    # moved on past this branch, its heads are not on the path and the comment says so
    from_heads = _strings(upgrade.get("from_heads", facts.get("base_heads")))
    path = f"{_ids(from_heads) or 'base'} → {_ids(_strings(facts.get('heads'))) or 'head'}"
    missing = [h for h in _strings(facts.get("base_heads")) if h not in from_heads]
    if missing:
        path += f" (the base branch is at {_ids(missing)}, which this branch does not have)"
    if failed:
        new_paths = {str(r.get("path")) for r in new}
        # the upgrade stopped before the base head: the production path was never reached
        before_base = not steps and any(f.path and f.path not in new_paths for f in failures)
        if before_base:
            return SKIPPED, "not reached: the upgrade failed before the base head"
        return FAILED, f"{path}: failed after {len(steps)} of {_plural(len(new), 'new revision')}"
    return PASSED, f"{path}: {_plural(len(steps), 'revision')} in {seconds:.2f} s"


def _round_trip_check(
    facts: Mapping[str, Any], upgrade_failed: bool, findings: Sequence[Finding]
) -> tuple[str, str]:
    trips = _records(facts.get("round_trips"))
    if not trips and not findings:
        if upgrade_failed:
            return SKIPPED, "not run: the upgrade failed"
        return SKIPPED, "no new revisions"
    restored = [
        t
        for t in trips
        if t.get("downgrade_ok") and t.get("upgrade_ok") and t.get("schema_restored")
    ]
    note = f"{len(restored)} of {len(trips)} restored the schema"
    if findings or len(restored) < len(trips):
        return _worst(findings) or FAILED, note
    return PASSED, note


def _drift_check(
    facts: Mapping[str, Any], findings: Sequence[Finding], by_code: Mapping[str, Any]
) -> tuple[str, str]:
    drift = _mapping(facts.get("drift"))
    if not drift.get("checked") and not findings:
        if "C506" in by_code:
            return SKIPPED, f"not checked: no {inline_code('metadata')} setting"
        return SKIPPED, "not checked"
    changes = _strings(drift.get("changes"))
    if changes or findings:
        count = len(changes) or len(findings)
        return _worst(findings) or FAILED, f"{_plural(count, 'difference')}; see Drift below"
    return PASSED, "the models match the migrated schema"


def _lint_check(
    facts: Mapping[str, Any], new: Sequence[Mapping[str, Any]], findings: Sequence[Finding]
) -> tuple[str, str]:
    lint = _mapping(facts.get("lint"))
    if not lint and not findings:
        return SKIPPED, "not run" if new else "no new revisions"
    files = lint.get("files")
    statements = _records(lint.get("statements"))
    parts = []
    if isinstance(files, int):
        parts.append(_plural(files, "file"))
    parts.append(_plural(len(statements), "DDL statement"))
    target = lint.get("target_server")
    if target:
        parts.append(f"judged for {escape_text(target)}")
    if findings:
        parts.append(f"{_plural(len(findings), 'finding')} below")
    return _worst(findings) or PASSED, ", ".join(parts)


def _sql_check(facts: Mapping[str, Any]) -> tuple[str, str]:
    renders = _records(facts.get("sql"))
    if not renders:
        return SKIPPED, "no new revisions"
    unavailable = [r for r in renders if r.get("sql") is None]
    if unavailable:
        rendered = len(renders) - len(unavailable)
        # a notice (C505), not a warning: the SQL is missing from the report, nothing is wrong
        return (
            INFO,
            f"{rendered} of {len(renders)} rendered; {len(unavailable)} cannot render offline",
        )
    return PASSED, f"{_plural(len(renders), 'revision')} rendered"


def _findings(findings: Sequence[Finding]) -> list[Block]:
    if not findings:
        return []
    blocks = [Block(head=["### Findings", ""])]
    for severity, (icon, title) in _SEVERITY_TITLES.items():
        group = [f for f in findings if f.severity == severity]
        if group:
            blocks.append(
                Block(
                    head=[f"#### {icon} {title} ({len(group)})", ""],
                    body=[_finding_line(f) for f in group],
                    tail=[""],
                    kind="findings",
                    keep=_FINDINGS_KEPT,
                    unit="findings",
                )
            )
    other = [f for f in findings if f.severity not in _SEVERITY_TITLES]
    if other:
        blocks.append(
            Block(head=["#### Other", ""], body=[_finding_line(f) for f in other], tail=[""])
        )
    return blocks


def _suppressed(suppressed: Sequence[Suppressed]) -> list[Block]:
    """Findings silenced by `# sentinel: ignore[...] -- reason` comments, with their reasons."""
    if not suppressed:
        return []
    lines = [
        f"- **{escape_text(item.finding.code)}** at {inline_code(item.finding.location())}: "
        f"{escape_text(item.reason)}"
        for item in suppressed
    ]
    head = [f"#### Suppressed ({len(suppressed)})", ""]
    return [Block(head=head, body=lines, tail=[""], kind="findings", keep=_FINDINGS_KEPT)]


def _finding_line(finding: Finding) -> str:
    where = f" at {inline_code(finding.location())}" if finding.path else ""
    line = f"- **{escape_text(finding.code)}** {escape_text(finding.name)}{where}: "
    line += escape_text(finding.message)
    if finding.fix:
        line += f"<br>Fix: {escape_text(finding.fix)}"
    return line


def _timings(facts: Mapping[str, Any]) -> list[Block]:
    upgrade = _mapping(facts.get("upgrade"))
    steps = _records(upgrade.get("base_head_to_head"))
    if not steps:
        return []
    title = (
        "Upgrade time of the new revisions"
        if facts.get("base_ref")
        else "Upgrade time per revision"
    )
    if len(steps) > _TIMINGS_SORTED_ABOVE:
        steps = sorted(steps, key=lambda s: _seconds(s.get("seconds")), reverse=True)
        title += ", slowest first"
    rows = [
        f"| {inline_code(s.get('revision', '?'))} | {escape_text(s.get('message') or '')} "
        f"| {_seconds(s.get('seconds')):.2f} |"
        for s in steps
    ]
    head = [f"### {title}", "", "| Revision | Message | Seconds |", "| --- | --- | --: |"]
    return [
        Block(
            head=head,
            body=rows,
            tail=[""],
            kind="tables",
            keep=_TIMINGS_SORTED_ABOVE,
            unit="revisions",
        )
    ]


def _drift(facts: Mapping[str, Any]) -> list[Block]:
    drift = _mapping(facts.get("drift"))
    changes = _strings(drift.get("changes"))
    operations = drift.get("operations")
    if not changes and not operations:
        return []
    blocks = [
        Block(
            head=["### Drift", "", "The models differ from the schema the migrations build:", ""],
            # in code: a change reads "- table x" / "+ column ...", which would nest a list
            body=[f"- {inline_code(change)}" for change in changes],
            tail=[""],
            kind="drift",
            keep=5,
            unit="differences",
        )
    ]
    if isinstance(operations, str) and operations.strip():
        fenced = code_block(operations, "python")
        blocks.append(
            Block(
                head=["A new revision needs these operations:", ""],
                open=[fenced[0]],
                body=fenced[1:-1],
                close=[fenced[-1]],
                tail=[""],
                kind="drift",
            )
        )
    return blocks


def _ddl(facts: Mapping[str, Any]) -> list[Block]:
    statements = _records(_mapping(facts.get("lint")).get("statements"))
    if not statements:
        return []
    rows = []
    for statement in statements:
        where = str(statement.get("path", "?"))
        if statement.get("line"):
            where += f":{statement['line']}"
        rows.append(
            f"| {inline_code(where)} | {escape_text(statement.get('operation') or '')} "
            f"| {escape_text(statement.get('algorithm') or '')} |"
        )
    head = [
        "### DDL of the new revisions",
        "",
        "| Where | Operation | Algorithm |",
        "| --- | --- | --- |",
    ]
    return [Block(head=head, body=rows, tail=[""], kind="tables", keep=10, unit="statements")]


def _sql(facts: Mapping[str, Any]) -> list[Block]:
    renders = _records(facts.get("sql"))
    if not renders:
        return []
    messages = {
        str(r.get("revision")): r.get("message") for r in _records(facts.get("new_revisions"))
    }
    dialect = (
        facts.get("sql_dialect") or _mapping(facts.get("database")).get("dialect") or "offline"
    )
    blocks = [Block(head=[f"### SQL of the new revisions ({escape_text(dialect)})", ""])]
    for render in renders:
        revision = str(render.get("revision", "?"))
        message = messages.get(revision)
        summary = f"<code>{escape_html(revision)}</code>"
        if message:
            summary += f" {escape_html(message)}"
        if render.get("path"):
            summary += f" — <code>{escape_html(render['path'])}</code>"
        sql = render.get("sql")
        if not isinstance(sql, str):
            reason = render.get("error") or "no reason given"
            blocks.append(
                Block(
                    head=[
                        f"- {INFO} {inline_code(revision)} cannot render offline: "
                        + escape_text(reason),
                        "",
                    ]
                )
            )
            continue
        fenced = code_block(sql or "-- no SQL: the revision has no operations", "sql")
        blocks.append(
            Block(
                head=[f"<details><summary>{summary}</summary>", ""],
                open=[fenced[0]],
                body=fenced[1:-1],
                close=[fenced[-1]],
                tail=["", "</details>", ""],
                kind="sql",
            )
        )
    return blocks


def server_name(database: Mapping[str, Any]) -> str:
    """The server as people name it: `MariaDB 10.11.19` (not "mysql 10.11.19-MariaDB", the
    MySQL dialect's view of it), `MySQL 8.0.36`, else the dialect and its version."""
    dialect = str(database.get("dialect") or "")
    version = str(database.get("server_version") or "")
    if dialect == "mysql" and "mariadb" in version.lower():
        release = version.removeprefix("5.5.5-").split("-", 1)[0]  # 5.5.5-: an old client hack
        return f"MariaDB {release}".strip()
    if dialect == "mysql":
        return f"MySQL {version}".strip()
    return " ".join(part for part in (dialect, version) if part)
