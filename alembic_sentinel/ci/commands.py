"""`alembic-sentinel ci`: the engine's report, delivered where CI readers look.

Thin on purpose: options come from flags or the environment (the composite Action passes its
inputs as SENTINEL_CI_* variables), the work is `ci.run_ci` or `ci_merge_heads`, and the one
report is rendered to a JSON file, the step summary, annotations, outputs and the sticky pull
request comment. Outside GitHub Actions it prints the report (text, markdown or json).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import Settings, truthy

if TYPE_CHECKING:
    from alembic_sentinel.ci.github_actions import ActionsEnv
    from alembic_sentinel.ci.github_api import GitHubClient

MODES = ("check", "merge-heads")
FAIL_ON = ("error", "warning", "never")
FORMATS = ("text", "markdown", "json")
REPORT_NAME = "alembic-sentinel-report.json"


class CiRequest(NamedTuple):
    """What to do, resolved from flags first, then SENTINEL_CI_* variables, then defaults."""

    mode: str
    database_url: str | None
    base_ref: str | None
    fail_on: str
    comment: bool
    report_path: Path
    push: str
    wait: float
    fmt: str


def resolve_request(
    flags: Mapping[str, object], environ: Mapping[str, str], root: Path
) -> CiRequest:
    def pick(flag: str, variable: str) -> str | None:
        value = flags.get(flag)
        if value is not None:
            return str(value)
        return environ.get(variable) or None

    def choice(flag: str, variable: str, allowed: tuple[str, ...], default: str) -> str:
        value = pick(flag, variable) or default
        if value not in allowed:
            source = f"--{flag.replace('_', '-')}" if flags.get(flag) is not None else variable
            raise ConfigError(f"{source}: {value!r} is not one of {', '.join(allowed)}")
        return value

    mode = choice("mode", "SENTINEL_CI_MODE", MODES, "check")
    base_ref = pick("base_ref", "SENTINEL_CI_BASE_REF")
    pull_request = environ.get("GITHUB_EVENT_NAME", "").startswith("pull_request")
    if base_ref is None and pull_request and environ.get("GITHUB_BASE_REF"):
        base_ref = f"origin/{environ['GITHUB_BASE_REF']}"
    comment_raw = pick("comment", "SENTINEL_CI_COMMENT")
    comment = truthy(comment_raw) if comment_raw is not None else pull_request
    wait_raw = pick("wait", "SENTINEL_CI_WAIT") or "60"
    try:
        wait = float(wait_raw)
    except ValueError:
        raise ConfigError(f"SENTINEL_CI_WAIT / --wait: {wait_raw!r} is not a number") from None
    report_raw = pick("report", "SENTINEL_CI_REPORT")
    if report_raw is None:
        temp = environ.get("RUNNER_TEMP")
        report_path = Path(temp) / REPORT_NAME if temp else root / REPORT_NAME
    else:
        report_path = (root / report_raw).resolve()
    on_actions = environ.get("GITHUB_ACTIONS") == "true"
    return CiRequest(
        mode=mode,
        database_url=pick("database_url", "SENTINEL_CI_DATABASE_URL"),
        base_ref=base_ref,
        fail_on=choice("fail_on", "SENTINEL_CI_FAIL_ON", FAIL_ON, "error"),
        comment=comment,
        report_path=report_path,
        push=choice("push", "SENTINEL_CI_PUSH", ("pr", "direct"), "pr"),
        wait=wait,
        fmt=choice("format", "SENTINEL_CI_FORMAT", FORMATS, "markdown" if on_actions else "text"),
    )


def secrets(request: CiRequest, settings: Settings, token: str) -> list[str]:
    """Values that must never reach a log: database passwords and the token."""
    from urllib.parse import quote_plus

    from sqlalchemy.engine import make_url

    values = [token, settings.password or ""]
    if request.database_url:
        try:
            values.append(str(make_url(request.database_url).password or ""))
        except Exception:  # an unparsable URL is reported later, by the engine
            pass
    # a URL shows the password percent-encoded: mask that spelling too
    values += [quote_plus(value) for value in values if value]
    return sorted({value for value in values if value})


def ci(
    settings: Settings,
    flags: Mapping[str, object],
    out: TextIO,
    environ: Mapping[str, str] | None = None,
) -> int:
    from alembic_sentinel.ci import github_actions

    environ = os.environ if environ is None else environ
    request = resolve_request(flags, environ, settings.root)
    runner = github_actions.read_env(environ)
    hidden = secrets(request, settings, runner.token)
    if runner.is_actions:
        for value in hidden:
            print(github_actions.mask(value), file=out, flush=True)

    report = run(settings, request, runner, out)
    deliver(report, request, runner, settings, out)
    return EXIT_OK if report.facts.get("status") == "passed" else EXIT_FINDINGS


def run(settings: Settings, request: CiRequest, runner: ActionsEnv, out: TextIO) -> Report:
    if request.mode == "merge-heads":
        from alembic_sentinel.ci.merge_heads import merge_heads_on_push

        client = github_client(runner)
        opener = None
        if client is not None:
            from alembic_sentinel.ci.github_api import open_pull_request

            def opener(head: str, base: str, title: str, body: str) -> str:
                return open_pull_request(client, head, base, title, body)

        return merge_heads_on_push(settings, request.push, opener, runner.ref_name or None)

    from alembic_sentinel.ci.run import CiOptions, run_ci

    options = CiOptions(
        server_url=request.database_url,
        base_ref=request.base_ref,
        wait_seconds=request.wait,
        fail_on=request.fail_on,
    )
    return run_ci(settings, options, sys.stderr)


def github_client(runner: ActionsEnv) -> GitHubClient | None:
    from alembic_sentinel.ci.github_api import GitHubClient

    if not runner.token or not runner.repository:
        return None
    return GitHubClient(runner.api_url, runner.token, runner.repository)


def deliver(
    report: Report, request: CiRequest, runner: ActionsEnv, settings: Settings, out: TextIO
) -> None:
    from alembic_sentinel.ci import github_actions
    from alembic_sentinel.report.markdown import render_markdown
    from alembic_sentinel.report.render import render_json, render_text

    write_report(request.report_path, render_json(report))
    merge_mode = report.facts.get("mode") == "merge-heads"
    markdown = merge_heads_markdown(report) if merge_mode else render_markdown(report)
    if request.fmt == "json":
        out.write(render_json(report))
    elif request.fmt == "markdown" and not merge_mode:
        out.write(markdown if markdown.endswith("\n") else markdown + "\n")
    else:
        out.write(render_text(report))
        status = report.facts.get("status", "passed")
        out.write(
            f"ci: {status} ({len(report.findings)} findings); report: {request.report_path}\n"
        )
    if not runner.is_actions:
        return
    for line in github_actions.annotation_commands(report.findings):
        print(line, file=out)
    if runner.summary_path:
        github_actions.append_summary(runner.summary_path, markdown)
    if request.comment and request.mode == "check" and runner.pull_number is not None:
        post_comment(report, runner, settings, out)
    heads = report.facts.get("heads", [])
    new = [r.get("revision", "") for r in report.facts.get("new_revisions", [])]
    drift = report.facts.get("drift", {})
    outputs = {
        "status": str(report.facts.get("status", "passed")),
        "heads": ",".join(heads),
        "new-revisions": ",".join(new),
        "drift": "true" if drift.get("changes") else "false",
        "report-path": str(request.report_path),
    }
    if runner.output_path:
        github_actions.write_outputs(runner.output_path, outputs)


def merge_heads_markdown(report: Report) -> str:
    from alembic_sentinel.report.markdown import escape_text

    lines = ["### alembic-sentinel: merge heads", ""]
    lines += [f"- {escape_text(line)}" for line in report.summary]
    return "\n".join(lines) + "\n"


def post_comment(report: Report, runner: ActionsEnv, settings: Settings, out: TextIO) -> None:
    """The sticky comment; a missing permission (fork PRs) is a warning, never a failed job."""
    from alembic_sentinel.ci.github_api import GitHubError, upsert_comment
    from alembic_sentinel.report.markdown import comment_body, marker

    client = github_client(runner)
    if client is None or runner.pull_number is None:
        print("::warning::no GITHUB_TOKEN: the report is in the step summary only", file=out)
        return
    migrations = settings.show(settings.migrations)
    try:
        action, number = upsert_comment(
            client,
            runner.pull_number,
            comment_body(report, migrations),
            marker(migrations),
        )
    except GitHubError as exc:
        print(
            f"::warning::cannot comment on the pull request ({exc.message}): "
            "the report is in the step summary",
            file=out,
        )
        return
    print(f"pull request comment {number} {action}", file=out)


def write_report(path: Path, text: str) -> None:
    """The JSON report, written whole or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the report: {exc.strerror}") from None
