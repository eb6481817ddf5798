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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO
from urllib.parse import unquote

from alembic_sentinel.errors import EXIT_FINDINGS, EXIT_OK, ConfigError, SentinelError
from alembic_sentinel.report.markdown_document import TRUNCATED_WHERE
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import Settings, truthy

if TYPE_CHECKING:
    from alembic_sentinel.ci.github_actions import ActionsEnv, RunnerLog
    from alembic_sentinel.ci.github_api import GitHubClient
    from alembic_sentinel.ci.scratch import Scratch

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
    on_actions: bool = False
    data_rows: int = 50
    table_stats: str | None = None  # a path; None: the `table-stats` setting


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
        on_actions=on_actions,
        data_rows=int(rows_raw),
        table_stats=pick("table_stats", "SENTINEL_CI_TABLE_STATS"),
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


def secrets_before_settings(flags: Mapping[str, object], environ: Mapping[str, str]) -> list[str]:
    """What is secret before any setting loads: the runner's credentials (the token first) and
    the password of every server URL given on the command line or in the environment."""
    from alembic_sentinel.ci.confined import RUNNER_SECRETS
    from alembic_sentinel.redaction import spellings
    from alembic_sentinel.settings import ENV_URL

    values = [environ.get(name, "") for name in RUNNER_SECRETS]
    for url in (flags.get("database_url"), environ.get("SENTINEL_CI_DATABASE_URL")):
        values.append(_written_password(str(url)) if url else "")
    values.append(_written_password(environ.get(ENV_URL, "")))
    decoded = [unquote(value) for value in values]
    return sorted({form for value in [*values, *decoded] if value for form in spellings(value)})


def _written_password(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).password or ""
    except ValueError:  # a malformed port or netloc: the engine reports it
        return ""


class RunnerGuard(NamedTuple):
    """What `runner_guard` set up: the runner's view, the log (on Actions), where the report
    goes, and the secrets known so far."""

    runner: ActionsEnv
    log: RunnerLog | None
    out: TextIO
    progress: TextIO
    secrets: list[str]


@contextmanager
def runner_guard(
    flags: Mapping[str, object], environ: Mapping[str, str], out: TextIO
) -> Iterator[RunnerGuard]:
    """On a runner, before any setting or project code loads: every secret known so far is
    masked, workflow commands are stopped, and this process's stdout and stderr go through the
    `RunnerLog` for the block (so nothing printed while the settings load, a Flask app's
    start-up included, can forge a command). Off Actions the streams stay as they are."""
    from alembic_sentinel.ci import github_actions
    from alembic_sentinel.ci.confined import child_report_path

    runner = github_actions.read_env(environ)
    known = secrets_before_settings(flags, environ)
    # a confined child's output reaches the log through its parent's guard
    if not runner.is_actions or child_report_path(environ) is not None:
        yield RunnerGuard(runner, None, out, sys.stderr, known)
        return
    for value in known:
        if value.strip():
            print(github_actions.mask(value), file=out, flush=True)
    log = github_actions.RunnerLog(out, sys.stderr)
    try:
        with redirect_stdout(log.stdout), redirect_stderr(log.stderr):
            yield RunnerGuard(runner, log, log.stdout, log.stderr, known)
    finally:
        log.finish()


def runs_project_code(flags: Mapping[str, object], environ: Mapping[str, str]) -> bool:
    """Whether this process loads the project (its settings, app and revisions) itself: the
    child of a confined run, and merge-heads (run after a push, on reviewed code). The parent
    of a `check` run reads only static settings and leaves the project to its child."""
    from alembic_sentinel.ci.confined import child_report_path

    mode = flags.get("mode") or environ.get("SENTINEL_CI_MODE") or "check"
    return child_report_path(environ) is not None or mode == "merge-heads"


def ci(
    settings: Settings,
    flags: Mapping[str, object],
    guard: RunnerGuard,
    argv: Sequence[str],
    environ: Mapping[str, str] | None = None,
) -> int:
    from alembic_sentinel.ci import confined
    from alembic_sentinel.redaction import redact
    from alembic_sentinel.report.model import map_report_text

    environ = os.environ if environ is None else environ
    request = resolve_request(flags, environ, settings.root)
    report_path = confined.child_report_path(environ)
    if report_path is not None:  # the child: run the project's code, hand the report back
        prepared = confined.child_scratch(environ)
        report = run(settings, request, guard.runner, sys.stderr, prepared)
        confined.write_child_report(report_path, report)
        return EXIT_OK

    known = sorted({*guard.secrets, *secrets(request, settings, guard.runner.token)})
    masks = [_mask(value) for value in known if value not in guard.secrets and value.strip()]
    if guard.log is not None and masks:  # a password only the settings named (merge-heads)
        guard.log.commands(masks)
    if request.mode == "check":
        try:
            report = confined_check(settings, request, argv, environ, known, guard.progress)
        except SentinelError as exc:
            code = confined.child_failed_code(exc)
            if code is None:
                raise
            return code
    else:
        report = run(settings, request, guard.runner, guard.progress)
        report = map_report_text(report, lambda text: redact(text, known))
    print_report(report, request, guard.out)
    if guard.log is not None:
        deliver(report, request, guard.runner, settings, guard.log)
    elif request.comment and request.mode == "check":
        print(f"ci: {NOT_ON_GITHUB}", file=sys.stderr)
    return exit_code(report)


def _mask(value: str) -> str:
    from alembic_sentinel.ci.github_actions import mask

    return mask(value)


def confined_check(
    settings: Settings,
    request: CiRequest,
    argv: Sequence[str],
    environ: Mapping[str, str],
    known: list[str],
    progress: TextIO,
) -> Report:
    """The check in a child process (ci/confined.py), on a scratch this process made with an
    account confined to it when ci was given the server."""
    from alembic_sentinel.ci.confined import run_confined
    from alembic_sentinel.ci.scratch import prepared_scratch, server_url

    server = server_url(settings, request.database_url) if request.database_url else None
    if server is None:
        return run_confined(argv, settings.root, environ, None, known, progress)
    with prepared_scratch(server, request.wait, "--database-url") as scratch:
        from sqlalchemy.engine import make_url

        from alembic_sentinel.redaction import spellings

        # the scratch account's password is a secret too, though the child's own
        account = spellings(str(make_url(scratch.url).password or ""))
        return run_confined(argv, settings.root, environ, scratch, [*known, *account], progress)


def exit_code(report: Report) -> int:
    return EXIT_OK if report.facts.get("status") == "passed" else EXIT_FINDINGS


def run(
    settings: Settings,
    request: CiRequest,
    runner: ActionsEnv,
    progress: TextIO,
    prepared: Scratch | None = None,
) -> Report:
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
        prepared=prepared,
        table_stats=request.table_stats,
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
        markdown = render_markdown(report, where=full_report_where(request))
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
        where = full_report_where(request)
        markdown = (
            merge_heads_markdown(report) if merge_mode else render_markdown(report, where=where)
        )
        github_actions.append_summary(runner.summary_path, markdown)
    annotations = github_actions.annotation_commands(report.findings)
    if annotations:
        log.commands(annotations)
    if request.comment and request.mode == "check" and runner.pull_number is not None:
        post_comment(report, request, runner, settings, log)


# the artifact action.yml uploads when the summary or the comment had to be cut
ARTIFACT = "alembic-sentinel-report"


def full_report_where(request: CiRequest) -> str:
    """Where a cut section of the Markdown report sends the reader."""
    if request.on_actions:
        return f"full report: the `{ARTIFACT}` artifact"
    if request.report_path is not None:
        return f"full report: {request.report_path}"
    return TRUNCATED_WHERE


def outputs(report: Report, request: CiRequest) -> dict[str, str]:
    """The step's outputs (action.yml `outputs:`); `truncated` tells the Action to upload the
    JSON report as an artifact, as the cut summary and comment say."""
    from alembic_sentinel.report.markdown import fits

    heads = report.facts.get("heads", [])
    new = [r.get("revision", "") for r in report.facts.get("new_revisions", [])]
    drift = report.facts.get("drift", {})
    return {
        "status": str(report.facts.get("status", "passed")),
        "heads": ",".join(heads),
        "new-revisions": ",".join(new),
        "drift": "true" if drift.get("changes") else "false",
        "report-path": str(request.report_path or ""),
        "truncated": "false" if fits(report) else "true",
    }


def merge_heads_markdown(report: Report) -> str:
    from alembic_sentinel.report.markdown import escape_text

    lines = ["### alembic-sentinel: merge heads", ""]
    lines += [f"- {escape_text(line)}" for line in report.summary]
    return "\n".join(lines) + "\n"


def post_comment(
    report: Report, request: CiRequest, runner: ActionsEnv, settings: Settings, log: RunnerLog
) -> None:
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
            comment_body(report, migrations, full_report_where(request)),
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
