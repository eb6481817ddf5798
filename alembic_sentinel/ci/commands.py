"""`alembic-sentinel ci`: the engine's report, delivered where CI readers look.

Thin on purpose: options come from flags or the environment (the composite Action passes its
inputs as SENTINEL_CI_* variables), the work is `ci.run_ci` or `ci_merge_heads`, and the one
report is rendered to a JSON file, the step summary, outputs, annotations and the sticky pull
request comment. Outside GitHub Actions it prints the report (text, markdown or json).

On a runner everything but our own workflow commands goes through `github_actions.RunnerLog`:
revision text, SQL and API messages are untrusted, and a line of them must never be read as a
workflow command (a forged annotation, or `::stop-commands::` silencing ours).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import Settings, truthy

if TYPE_CHECKING:
    from alembic_sentinel.ci.github_actions import ActionsEnv, RunnerLog
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
    report_path: Path | None  # None: no JSON file (off GitHub Actions without --report)
    push: str
    wait: float
    fmt: str
    output_path: Path | None = None  # --output: the report in `fmt` there, not on stdout
    data: bool = True  # run the new revisions over generated rows (docs/data.md)
    data_rows: int = 50


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
    data_raw = pick("data", "SENTINEL_CI_DATA")
    rows_raw = pick("data_rows", "SENTINEL_CI_DATA_ROWS") or "50"
    if not rows_raw.isdigit() or int(rows_raw) < 1:
        raise ConfigError(
            f"SENTINEL_CI_DATA_ROWS / --data-rows: {rows_raw!r} is not a number of rows from 1"
        )
    on_actions = environ.get("GITHUB_ACTIONS") == "true"
    report_raw = pick("report", "SENTINEL_CI_REPORT")
    report_path = (root / report_raw).resolve() if report_raw else None
    if report_path is None and (on_actions or environ.get("RUNNER_TEMP")):
        # never in the work tree (it would be committed): the runner's temp, emptied per job
        temp = environ.get("RUNNER_TEMP") or tempfile.gettempdir()
        report_path = Path(temp) / REPORT_NAME
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
        data=truthy(data_raw) if data_raw is not None else True,
        data_rows=int(rows_raw),
        output_path=(root / str(flags["output"])).resolve() if flags.get("output") else None,
    )


def secrets(request: CiRequest, settings: Settings, token: str) -> list[str]:
    """Values that must never reach a log: database passwords and the token."""
    from sqlalchemy.engine import make_url

    from alembic_sentinel.redaction import spellings

    values = [token, settings.password or ""]
    if request.database_url:
        try:
            values.append(str(make_url(request.database_url).password or ""))
        except Exception:  # an unparsable URL is reported later, by the engine
            pass
        # as written in the URL (make_url decodes it): this spelling can be echoed too
        values.append(_written_password(request.database_url))
    # a URL shows the password percent-encoded, in more than one way: mask those spellings too
    return sorted({spelling for value in values if value for spelling in spellings(value)})


def _written_password(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).password or ""
    except ValueError:  # a malformed port or netloc: the engine reports it
        return ""


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
    if not runner.is_actions:
        report = run(settings, request, runner, sys.stderr)
        print_report(report, request, out)
        if request.comment and request.mode == "check":
            print(f"ci: {NOT_ON_GITHUB}", file=sys.stderr)
        return exit_code(report)

    for value in secrets(request, settings, runner.token):
        if value.strip():
            print(github_actions.mask(value), file=out, flush=True)
    log = github_actions.RunnerLog(out, sys.stderr)
    try:
        # revision code runs in this process: what it prints is neutralised as well
        with redirect_stdout(log.stdout), redirect_stderr(log.stderr):
            report = run(settings, request, runner, log.stderr)
            print_report(report, request, log.stdout)
            deliver(report, request, runner, settings, log)
    finally:
        log.finish()
    return exit_code(report)


def exit_code(report: Report) -> int:
    return EXIT_OK if report.facts.get("status") == "passed" else EXIT_FINDINGS


def run(settings: Settings, request: CiRequest, runner: ActionsEnv, progress: TextIO) -> Report:
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
        data=request.data,
        data_rows=request.data_rows,
    )
    return run_ci(settings, options, progress)


def github_client(runner: ActionsEnv) -> GitHubClient | None:
    from alembic_sentinel.ci.github_api import GitHubClient

    if not runner.token or not runner.repository:
        return None
    return GitHubClient(runner.api_url, runner.token, runner.repository)


def print_report(report: Report, request: CiRequest, out: TextIO) -> None:
    """The JSON report file, then the report on `out` in the requested format."""
    from alembic_sentinel.report.markdown import render_markdown
    from alembic_sentinel.report.render import render_json, render_text

    if request.report_path is not None:
        write_report(request.report_path, render_json(report))
    if request.fmt == "json":
        text = render_json(report)
    elif request.fmt == "markdown" and report.facts.get("mode") != "merge-heads":
        markdown = render_markdown(report)
        text = markdown if markdown.endswith("\n") else markdown + "\n"
    else:
        status = report.facts.get("status", "passed")
        where = f"; report: {request.report_path}" if request.report_path else ""
        text = render_text(report) + f"ci: {status} ({len(report.findings)} findings){where}\n"
        if request.mode == "check" and request.base_ref is None:
            text += f"ci: {SKIPPED_WITHOUT_BASE}\n"
    if request.output_path is not None:
        write_report(request.output_path, text)
        print(f"ci: wrote the {request.fmt} report to {request.output_path}", file=out)
    else:
        out.write(text)


# what `ci` cannot check without the base branch (it knows no revision as new)
SKIPPED_WITHOUT_BASE = (
    "no base ref (--base-ref, SENTINEL_CI_BASE_REF, or GITHUB_BASE_REF on a pull request), so "
    "these checks were skipped: the collision with the base branch, edited base revisions, the "
    "upgrade from the base heads, and the new revisions' round trips, lint, SQL and data runs"
)
NOT_ON_GITHUB = (
    "--comment: nothing posted: not running in GitHub Actions (GITHUB_ACTIONS is not 'true'); "
    "the report is printed here instead"
)


def deliver(
    report: Report, request: CiRequest, runner: ActionsEnv, settings: Settings, log: RunnerLog
) -> None:
    """On a runner: outputs and step summary first (a failing comment must not lose them), our
    annotations, then the sticky comment."""
    from alembic_sentinel.ci import github_actions
    from alembic_sentinel.report.markdown import render_markdown

    if runner.output_path:
        github_actions.write_outputs(runner.output_path, outputs(report, request))
    if runner.summary_path:
        merge_mode = report.facts.get("mode") == "merge-heads"
        markdown = merge_heads_markdown(report) if merge_mode else render_markdown(report)
        github_actions.append_summary(runner.summary_path, markdown)
    annotations = github_actions.annotation_commands(report.findings)
    if annotations:
        log.commands(annotations)
    if request.comment and request.mode == "check" and runner.pull_number is not None:
        post_comment(report, runner, settings, log)


def outputs(report: Report, request: CiRequest) -> dict[str, str]:
    """The step's outputs (action.yml `outputs:`)."""
    heads = report.facts.get("heads", [])
    new = [r.get("revision", "") for r in report.facts.get("new_revisions", [])]
    drift = report.facts.get("drift", {})
    return {
        "status": str(report.facts.get("status", "passed")),
        "heads": ",".join(heads),
        "new-revisions": ",".join(new),
        "drift": "true" if drift.get("changes") else "false",
        "report-path": str(request.report_path or ""),
    }


def merge_heads_markdown(report: Report) -> str:
    from alembic_sentinel.report.markdown import escape_text

    lines = ["### alembic-sentinel: merge heads", ""]
    lines += [f"- {escape_text(line)}" for line in report.summary]
    return "\n".join(lines) + "\n"


def post_comment(report: Report, runner: ActionsEnv, settings: Settings, log: RunnerLog) -> None:
    """The sticky comment; a missing permission (fork PRs) or a broken answer from the API is a
    warning, never a failed job."""
    from alembic_sentinel.ci.github_actions import warning_command
    from alembic_sentinel.ci.github_api import GitHubError, upsert_comment
    from alembic_sentinel.report.markdown import comment_body, marker

    client = github_client(runner)
    if client is None or runner.pull_number is None:
        log.commands([warning_command("no GITHUB_TOKEN: the report is in the step summary only")])
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
        # the API's message is untrusted text: escaped as command data, it stays on its line
        message = f"cannot comment on the pull request ({exc.message}): "
        log.commands([warning_command(message + "the report is in the step summary")])
        return
    print(f"pull request comment {number} {action}", file=log.stdout)


def write_report(path: Path, text: str) -> None:
    """A report file (the JSON report, or --output's), written whole or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the report: {exc.strerror}") from None
