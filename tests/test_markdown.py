"""The Markdown report of `alembic-sentinel ci`: the step summary and the sticky PR comment."""

from __future__ import annotations

import re
from typing import Any

import pytest

from alembic_sentinel.report.markdown import (
    COMMENT_LIMIT,
    INFO,
    SKIPPED,
    comment_body,
    marker,
    render_markdown,
)
from alembic_sentinel.report.markdown_document import TRUNCATED_WHERE
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding, Report, Suppressed

HOSTILE = "x | <script>alert(1)</script> ``` *y*"


def ci_facts(**overrides: Any) -> dict[str, Any]:
    """The facts of a PR that adds two revisions on top of the base branch's head."""
    facts: dict[str, Any] = {
        "status": "passed",
        "migrations": "migrations",
        "database": {
            "dialect": "mysql",
            "server_version": "10.11.19-MariaDB",
            "scratch": "sentinel_ci_ab12cd34",
        },
        "heads": ["bbbb00000002"],
        "base_ref": "origin/main",
        "base_heads": ["aaaa00000000"],
        "new_revisions": [
            {
                "revision": "bbbb00000001",
                "message": "add party code",
                "path": "migrations/versions/b1.py",
            },
            {
                "revision": "bbbb00000002",
                "message": "index party code",
                "path": "migrations/versions/b2.py",
            },
        ],
        "edited_revisions": [],
        "upgrade": {
            "base_to_base_head": [
                {"revision": "aaaa00000000", "message": "initial", "seconds": 0.4}
            ],
            "base_head_to_head": [
                {"revision": "bbbb00000001", "message": "add party code", "seconds": 0.25},
                {"revision": "bbbb00000002", "message": "index party code", "seconds": 1.5},
            ],
            "ok": True,
            "seconds": 2.15,
        },
        "round_trips": [
            {
                "revision": r,
                "downgrade_ok": True,
                "upgrade_ok": True,
                "schema_restored": True,
                "differences": [],
            }
            for r in ("bbbb00000001", "bbbb00000002")
        ],
        "drift": {"checked": True, "changes": [], "operations": ""},
        "lint": {
            "files": 2,
            "statements": [
                {
                    "path": "migrations/versions/b1.py",
                    "line": 20,
                    "operation": "add_column",
                    "algorithm": "INSTANT",
                }
            ],
        },
        "sql": [
            {
                "revision": "bbbb00000001",
                "path": "migrations/versions/b1.py",
                "sql": "ALTER TABLE party ADD COLUMN code VARCHAR(8);",
                "error": None,
            },
            {
                "revision": "bbbb00000002",
                "path": "migrations/versions/b2.py",
                "sql": "CREATE INDEX ix_party_code ON party (code);",
                "error": None,
            },
        ],
    }
    facts.update(overrides)
    return facts


def check_row(markdown: str, name: str) -> str:
    rows = [line for line in markdown.splitlines() if line.startswith(f"| {name} |")]
    assert len(rows) == 1, markdown
    return rows[0]


def test_a_clean_pr_shows_every_check_passing_with_timings_and_sql() -> None:
    markdown = render_markdown(Report("ci", facts=ci_facts()))

    assert markdown.startswith("## ✅ alembic-sentinel: passed\n")
    assert "0 errors, 0 warnings, 0 notices · 2 new revisions" in markdown
    assert "on MariaDB 10.11.19" in markdown  # not the MySQL dialect's "mysql 10.11.19-MariaDB"
    for name in (
        "Revision graph",
        "Head collision with the base",
        "Edited merged revisions",
        "Upgrade base → head",
        "Production path (base head → head)",
        "Downgrade/upgrade round trips",
        "Drift (models vs schema)",
        "Lint of new revisions",
        "Offline SQL",
    ):
        assert "| ✅ |" in check_row(markdown, name), name
    assert "3 revisions in 2.15 s" in check_row(markdown, "Upgrade base → head")
    assert "2 revisions in 1.75 s" in check_row(markdown, "Production path (base head → head)")
    assert "2 of 2 restored" in check_row(markdown, "Downgrade/upgrade round trips")
    assert "### Upgrade time of the new revisions" in markdown
    assert "| <code>bbbb00000002</code> | index party code | 1.50 |" in markdown
    assert "| <code>migrations/versions/b1.py:20</code> | add\\_column | INSTANT |" in markdown
    assert "<details><summary><code>bbbb00000001</code> add party code" in markdown
    assert "```sql\nALTER TABLE party ADD COLUMN code VARCHAR(8);\n```" in markdown
    assert "### Findings" not in markdown


def test_findings_are_grouped_by_severity_with_location_and_fix() -> None:
    findings = [
        Finding(
            "L301",
            "add-column-not-null",
            WARNING,
            "adds a NOT NULL column",
            "migrations/versions/b1.py",
            20,
            "add a server_default",
        ),
        Finding(
            "C501",
            "edited-merged-revision",
            ERROR,
            "aaaa00000000 was edited",
            "migrations/versions/a.py",
            3,
        ),
        Finding(
            "C505",
            "offline-sql-unavailable",
            NOTICE,
            "uses op.get_bind()",
            "migrations/versions/b2.py",
            9,
        ),
    ]
    facts = ci_facts(
        status="failed",
        edited_revisions=[{"revision": "aaaa00000000", "path": "migrations/versions/a.py"}],
        sql=[
            {
                "revision": "bbbb00000001",
                "path": "migrations/versions/b1.py",
                "sql": "SELECT 1;",
                "error": None,
            },
            {
                "revision": "bbbb00000002",
                "path": "migrations/versions/b2.py",
                "sql": None,
                "error": "uses op.get_bind()",
            },
        ],
    )
    markdown = render_markdown(Report("ci", findings=findings, facts=facts))

    assert markdown.startswith("## ❌ alembic-sentinel: failed\n")
    assert "1 error, 1 warning, 1 notice" in markdown
    errors, warnings, notices = (
        markdown.index(h)
        for h in ("#### ❌ Errors (1)", "#### ⚠️ Warnings (1)", f"#### {INFO} Notices (1)")
    )
    assert errors < warnings < notices
    assert (
        "- **L301** add-column-not-null at <code>migrations/versions/b1.py:20</code>: "
        "adds a NOT NULL column<br>Fix: add a server\\_default"
    ) in markdown
    assert "| ❌ |" in check_row(markdown, "Edited merged revisions")
    assert "<code>aaaa00000000</code>" in check_row(markdown, "Edited merged revisions")
    assert "| ⚠️ |" in check_row(markdown, "Lint of new revisions")
    # its only finding is the C505 notice: an information icon, not a warning
    assert f"| {INFO} | 1 of 2 rendered; 1 cannot render offline |" in check_row(
        markdown, "Offline SQL"
    )
    assert "cannot render offline: uses op.get\\_bind()" in markdown


def test_drift_shows_the_changes_and_the_operations_as_python() -> None:
    operations = "op.add_column('party', sa.Column('code', sa.String(8)))"
    facts = ci_facts(
        drift={"checked": True, "changes": ["add column party.code"], "operations": operations}
    )
    finding = Finding("D401", "drift", ERROR, "the models differ from the migrated schema")
    markdown = render_markdown(Report("ci", findings=[finding], facts=facts))

    assert "| ❌ | 1 difference; see Drift below |" in check_row(
        markdown, "Drift (models vs schema)"
    )
    assert "### Drift" in markdown
    assert "- <code>add column party.code</code>" in markdown
    assert f"```python\n{operations}\n```" in markdown


def test_a_hostile_revision_message_cannot_inject_markup() -> None:
    facts = ci_facts()
    facts["new_revisions"][0]["message"] = HOSTILE
    facts["upgrade"]["base_head_to_head"][0]["message"] = HOSTILE
    finding = Finding("L301", "x", ERROR, HOSTILE, "migrations/versions/b|1.py", 2, HOSTILE)
    markdown = render_markdown(Report("ci", findings=[finding], facts=facts))

    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown
    # the timing row keeps its three cells: the pipe in the message is escaped
    row = next(
        line
        for line in markdown.splitlines()
        if "<code>bbbb00000001</code> |" in line and "1.50" not in line and "0.25" in line
    )
    assert len(re.findall(r"(?<!\\)\|", row)) == 4, row
    assert "x \\| &lt;script&gt;alert(1)&lt;/script&gt; \\`\\`\\` \\*y\\*" in row
    # in the <summary> HTML block Markdown escapes would show, so only HTML is escaped there
    assert (
        "<summary><code>bbbb00000001</code> x | &lt;script&gt;alert(1)&lt;/script&gt; ``` *y*"
        in markdown
    )
    assert "<code>migrations/versions/b\\|1.py:2</code>" in markdown


def test_newlines_mentions_and_links_in_user_text_stay_plain() -> None:
    finding = Finding(
        "L301", "x", ERROR, "line one\nline two @octo-org/team [click](http://e.vil) a_b", "m.py", 1
    )
    markdown = render_markdown(Report("ci", findings=[finding], facts=ci_facts()))
    line = next(line for line in markdown.splitlines() if line.startswith("- **L301**"))

    assert "line one line two" in line
    assert "@\u2060octo-org/team" in line
    assert "\\[click\\](http://e.vil)" in line
    assert "a\\_b" in line


def test_code_containing_a_fence_gets_a_longer_fence() -> None:
    sql = "SELECT '```' AS fence;\n-- ```` four\nSELECT 1;"
    facts = ci_facts(sql=[{"revision": "bbbb00000001", "path": "b1.py", "sql": sql, "error": None}])
    markdown = render_markdown(Report("ci", facts=facts))

    assert f"`````sql\n{sql}\n`````\n" in markdown


def test_the_marker_names_the_migrations_directory_and_stays_one_comment() -> None:
    assert marker("migrations") == "<!-- alembic-sentinel:migrations -->"
    assert marker("services/api/migrations") == "<!-- alembic-sentinel:services/api/migrations -->"
    hostile = marker("a-->b<c")
    assert hostile.count("-->") == 1 and hostile.endswith("-->") and "<c" not in hostile


def test_the_comment_body_starts_with_the_marker() -> None:
    body = comment_body(Report("ci", facts=ci_facts()), "services/api/migrations")
    assert body.startswith("<!-- alembic-sentinel:services/api/migrations -->\n## ✅")


def huge_report() -> Report:
    sql = "\n".join(f"INSERT INTO party VALUES ({i}, 'row {i}');" for i in range(4000))
    facts = ci_facts(
        status="failed",
        sql=[
            {"revision": "bbbb00000001", "path": "b1.py", "sql": sql, "error": None},
            {"revision": "bbbb00000002", "path": "b2.py", "sql": "SELECT 1;", "error": None},
        ],
        drift={
            "checked": True,
            "changes": [f"add column t{i}.c" for i in range(300)],
            "operations": "\n".join(
                f"op.add_column('t{i}', sa.Column('c', sa.Integer()))" for i in range(2000)
            ),
        },
    )
    findings = [
        Finding("L301", "add-column-not-null", ERROR, f"finding {i} " + "z" * 200, "b1.py", i)
        for i in range(400)
    ]
    return Report("ci", findings=findings, facts=facts)


def test_long_sql_is_cut_first_and_the_rest_stays_whole() -> None:
    sql = "\n".join(f"INSERT INTO party VALUES ({i}, 'row {i}');" for i in range(4000))
    facts = ci_facts(
        sql=[
            {"revision": "bbbb00000001", "path": "b1.py", "sql": sql, "error": None},
            {"revision": "bbbb00000002", "path": "b2.py", "sql": "SELECT 1;", "error": None},
        ]
    )
    report = Report("ci", findings=[Finding("L301", "x", WARNING, "kept", "b1.py", 1)], facts=facts)
    assert len(render_markdown(report, limit=10_000_000)) > COMMENT_LIMIT

    markdown = render_markdown(report)

    assert len(markdown) <= COMMENT_LIMIT - 200
    assert re.search(rf"\*… truncated: \d+ more lines; {re.escape(TRUNCATED_WHERE)}\*", markdown)
    assert "INSERT INTO party VALUES (0, 'row 0');" in markdown
    assert "INSERT INTO party VALUES (3999" not in markdown
    # the short block, the findings and the tables are untouched
    assert "```sql\nSELECT 1;\n```" in markdown
    assert "- **L301** x at <code>b1.py:1</code>: kept" in markdown
    assert "| <code>bbbb00000002</code> | index party code | 1.50 |" in markdown
    assert markdown.count("```") % 2 == 0


def test_a_huge_report_is_cut_to_the_limit_keeping_the_headline_checks_and_first_findings() -> None:
    markdown = render_markdown(huge_report())

    assert len(markdown) <= COMMENT_LIMIT - 200
    assert markdown.startswith("## ❌ alembic-sentinel: failed")
    assert "| Offline SQL |" in markdown
    assert "finding 9 " in markdown
    assert "INSERT INTO" not in markdown
    assert f"more findings; {TRUNCATED_WHERE}" in markdown
    assert markdown.count("```") % 2 == 0


def test_every_limit_is_respected_down_to_a_tiny_one() -> None:
    report = huge_report()
    for limit in (100_000, 65_336, 20_000, 5_000, 1_000, 50):
        assert len(render_markdown(report, limit=limit)) <= limit
    assert "truncated" in render_markdown(report, limit=5_000)


def test_the_comment_never_exceeds_githubs_limit() -> None:
    body = comment_body(huge_report(), "migrations")
    assert len(body) <= COMMENT_LIMIT
    assert body.startswith(marker("migrations"))


def test_a_report_after_a_failed_upgrade_still_renders() -> None:
    facts = {
        "status": "failed",
        "migrations": "migrations",
        "heads": ["bbbb00000002"],
        "base_ref": "origin/main",
        "base_heads": ["aaaa00000000"],
        "new_revisions": [
            {"revision": "bbbb00000001", "message": "add code", "path": "migrations/versions/b1.py"}
        ],
        "upgrade": {
            "base_to_base_head": [{"revision": "aaaa00000000", "seconds": 0.1}],
            "base_head_to_head": [],
            "ok": False,
            "seconds": 0.3,
        },
    }
    finding = Finding(
        "C502",
        "upgrade-failed",
        ERROR,
        "(1054, \"Unknown column 'x'\")",
        "migrations/versions/b1.py",
        14,
    )
    markdown = render_markdown(Report("ci", findings=[finding], facts=facts))

    assert "| ❌ |" in check_row(markdown, "Upgrade base → head")
    assert "failed after 0 of 1 new revision" in check_row(
        markdown, "Production path (base head → head)"
    )
    assert "not run: the upgrade failed" in check_row(markdown, "Downgrade/upgrade round trips")
    assert f"| {SKIPPED} | not checked |" in check_row(markdown, "Drift (models vs schema)")
    assert f"| {SKIPPED} | no new revisions |" in check_row(markdown, "Offline SQL")
    assert "Unknown column 'x'" in markdown


def test_an_upgrade_failing_before_the_base_head_never_reaches_the_production_path() -> None:
    facts = {
        "base_ref": "origin/main",
        "new_revisions": [{"revision": "b", "path": "migrations/versions/b.py"}],
        "upgrade": {"base_to_base_head": [], "base_head_to_head": [], "ok": False},
    }
    finding = Finding("C502", "upgrade-failed", ERROR, "boom", "migrations/versions/a.py", 3)
    markdown = render_markdown(Report("ci", findings=[finding], facts=facts))
    assert f"| {SKIPPED} | not reached" in check_row(markdown, "Production path (base head → head)")


def test_an_empty_or_malformed_report_renders() -> None:
    assert render_markdown(Report("ci")).startswith("## ✅ alembic-sentinel: passed")
    broken = Report(
        "ci",
        facts={"heads": None, "upgrade": [], "sql": "x", "drift": 3, "lint": {"statements": [1]}},
    )
    assert "| Revision graph | ✅ | no revisions |" in render_markdown(broken)


def test_without_a_base_the_comparisons_are_skipped() -> None:
    facts = ci_facts(base_ref=None, base_heads=[], new_revisions=[], round_trips=[], sql=[])
    del facts["lint"]
    markdown = render_markdown(Report("ci", facts=facts))
    for name in (
        "Head collision with the base",
        "Edited merged revisions",
        "Production path (base head → head)",
    ):
        assert f"| {SKIPPED} | no base branch to compare with |" in check_row(markdown, name)
    assert "### Upgrade time per revision" in markdown


def test_many_new_revisions_are_timed_slowest_first() -> None:
    steps = [{"revision": f"r{i:02d}", "message": "", "seconds": float(i % 7)} for i in range(12)]
    facts = ci_facts(
        upgrade={"base_to_base_head": [], "base_head_to_head": steps, "ok": True, "seconds": 30.0}
    )
    markdown = render_markdown(Report("ci", facts=facts))
    assert "slowest first" in markdown
    seconds = [float(m) for m in re.findall(r"\| (\d+\.\d\d) \|$", markdown, re.MULTILINE)]
    assert seconds == sorted(seconds, reverse=True) and len(seconds) == 12


def test_the_production_path_starts_where_the_branch_meets_a_base_that_moved_on() -> None:
    # the base branch gained cccc00000009 after this branch was cut: the upgrade could only
    # start from aaaa00000000, and the row must not claim it started from the base's head
    facts = ci_facts(base_heads=["cccc00000009"])
    facts["upgrade"]["from_heads"] = ["aaaa00000000"]
    row = check_row(
        render_markdown(Report("ci", facts=facts)), "Production path (base head → head)"
    )
    assert "<code>aaaa00000000</code> → <code>bbbb00000002</code>" in row
    assert "the base branch is at <code>cccc00000009</code>, which this branch does not have" in row


def test_suppressed_findings_are_counted_in_the_headline_and_listed_with_their_reasons() -> None:
    silenced = Finding("L304", "drop-table", WARNING, "drops table party", "v/a.py", 9)
    report = Report("ci", facts=ci_facts(), suppressed=[Suppressed(silenced, "archived")])
    markdown = render_markdown(report)

    assert "0 errors, 0 warnings, 0 notices, 1 suppressed" in markdown
    assert "#### Suppressed (1)" in markdown
    assert "- **L304** at <code>v/a.py:9</code>: archived" in markdown


@pytest.mark.parametrize(
    ("dialect", "version", "shown"),
    [
        ("mysql", "10.11.19-MariaDB", "MariaDB 10.11.19"),
        ("mysql", "5.5.5-10.6.12-MariaDB-1:10.6.12+maria~ubu2004", "MariaDB 10.6.12"),
        ("mysql", "8.0.36", "MySQL 8.0.36"),
        ("sqlite", "3.45.1", "sqlite 3.45.1"),
    ],
)
def test_the_server_is_named_as_its_vendor_names_it(dialect: str, version: str, shown: str) -> None:
    from alembic_sentinel.report.markdown import server_name

    assert server_name({"dialect": dialect, "server_version": version}) == shown
