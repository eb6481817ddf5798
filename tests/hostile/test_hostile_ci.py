"""A pull request's code against `ci` on a runner: it must not leak the token, leave its scratch
schema, or forge the log (docs/security.md, "What pull request code can reach").

Each test opens a pull request on a real repository (test_action_e2e's `checkout`), runs the
composite action as a runner does (tests/action_runner.py) against the real MariaDB through a
user with a password, with the local GitHub stand-in holding a token shaped like GitHub's
(`ghs_...`, underscores included: Markdown escapes those, which once hid the token from the
runner's mask). Every output is searched for every secret in every spelling we know of.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import HEAD, ScratchDatabases
from github_stub import GitHubStub, running_stub
from sqlalchemy.engine import make_url
from test_action_e2e import (  # noqa: F401  (fixtures)
    REPOSITORY,
    ActionRun,
    Checkout,
    assert_safe_log,
    checkout,
    codes,
    open_pull_request,
    run_action,
    runner,
    server_url_with_password,
    write_revision,
)

from alembic_sentinel.redaction import spellings
from alembic_sentinel.report.markdown import escape_text

ATTACK = "a1a1a1a1a1a1"
# a token as GitHub mints them: a prefix and underscores
TOKEN = f"ghs_{uuid.uuid4().hex[:10]}_{uuid.uuid4().hex[:10]}_x"


@pytest.fixture
def github() -> Iterator[GitHubStub]:
    yield from running_stub(repository=REPOSITORY, token=TOKEN)


def everything_shown(result: ActionRun, github: GitHubStub) -> list[str]:
    """Every text the job leaves: the log (without its mask commands), summary, outputs, the
    JSON report, and every request sent to the API."""
    log = "\n".join(line for line in result.log.splitlines() if "::add-mask::" not in line)
    shown = [log, result.summary, *result.outputs.values()]
    shown += [json.dumps(request.body) for request in github.requests]
    shown += [str(request.body) for request in github.requests]
    report = result.outputs.get("report-path")
    if report and Path(report).is_file():
        shown.append(Path(report).read_text())
    return shown


def token_spellings(token: str) -> set[str]:
    """The token raw, percent-encoded, Markdown-escaped, base64'd and spaced out."""
    forms = set(spellings(token)) | {escape_text(token)}
    forms.add(base64.b64encode(token.encode()).decode())
    forms.add(" ".join(token))
    return forms


def write_attack(project: Path, body: str) -> Path:
    """A new revision whose upgrade runs `body` (code) and changes nothing the models know of."""
    indented = "\n".join(f"    {line}" for line in body.strip().splitlines())
    return write_revision(
        project,
        ATTACK,
        HEAD,
        "an attacking revision",
        f"import base64, os\n{indented}",
        "pass",
    )


def test_the_token_reaches_no_output_in_any_spelling(
    checkout: Checkout,  # noqa: F811
    github: GitHubStub,
    server_url_with_password: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The revision has no token in its environment; what it can find of the parent's (as
    root, /proc/<parent>/environ) is taken out of the report before anything renders it."""
    write_attack(
        checkout.root,
        """
env = os.environ.get("GITHUB_TOKEN") or "-"
try:
    parent = open(f"/proc/{os.getppid()}/environ", "rb").read().decode(errors="replace")
    found = [v.split("=", 1)[1] for v in parent.split("\\0") if v.startswith("GITHUB_TOKEN=")]
except OSError:
    found = []
stolen = found[0] if found else "-"
spaced = " ".join(stolen)
raise RuntimeError(
    f"env={env} stolen={stolen} b64={base64.b64encode(env.encode()).decode()} "
    f"spaced={spaced} url={os.environ.get('SENTINEL_CI_DATABASE_URL', '-')}"
)
""",
    )
    open_pull_request(checkout, "a revision that tries to print the token")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.failed
    assert "C502" in codes(result, "error")
    assert_safe_log(result, github)
    for text in everything_shown(result, github):
        for form in token_spellings(TOKEN):
            assert form not in text
    # the child's environment had neither the token nor the server's URL
    assert "env=- " in result.summary and "url=-" in result.summary


def test_a_fixture_has_no_token_either(
    checkout: Checkout,  # noqa: F811
    github: GitHubStub,
    server_url_with_password: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    write_attack(checkout.root, "pass")
    data = checkout.root / "migrations" / "data"
    data.mkdir()
    (data / f"{ATTACK}.py").write_text(
        "import os\n\n\ndef insert_rows(connection):\n"
        '    raise RuntimeError("fixture-env=" + os.environ.get("GITHUB_TOKEN", "-"))\n'
    )
    open_pull_request(checkout, "a fixture that tries to print the token")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert "C510" in codes(result, "error")
    assert "fixture-env=-" in result.summary
    for text in everything_shown(result, github):
        for form in token_spellings(TOKEN):
            assert form not in text
    assert_safe_log(result, github)


def test_project_code_stays_in_its_scratch_schema(
    checkout: Checkout,  # noqa: F811
    github: GitHubStub,
    server_url_with_password: str,  # noqa: F811
    scratch_mysql: ScratchDatabases,
    tmp_path: Path,
) -> None:
    """A revision and a fixture try to create a database, write another schema and read the
    server's accounts: the server refuses each, as the run's account reaches its scratch only."""
    victim = scratch_mysql.create().rsplit("/", 1)[1]
    created = f"sentinel_test_{uuid.uuid4().hex[:12]}"
    scratch_mysql.names.append(created)  # dropped at the end if the attack worked
    attempts = [
        f"CREATE DATABASE `{created}`",
        f"CREATE TABLE `{victim}`.stolen (id INT)",
        "SELECT COUNT(*) FROM mysql.user",
    ]
    write_attack(
        checkout.root,
        f"""
escaped = []
for statement in {attempts!r}:
    try:
        op.get_bind().exec_driver_sql(statement)
    except Exception:
        continue
    escaped.append(statement)
if escaped:
    raise RuntimeError(f"escaped the scratch: {{escaped}}")
""",
    )
    data = checkout.root / "migrations" / "data"
    data.mkdir()
    (data / f"{ATTACK}.sql").write_text(f"INSERT INTO `{victim}`.nothing VALUES (1);\n")
    open_pull_request(checkout, "a revision and a fixture that try to leave the scratch")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert "escaped the scratch" not in result.log + result.summary
    assert "C502" not in codes(result)  # every statement of the revision was refused
    assert "C510" in codes(result, "error")  # and so was the fixture's
    assert not scratch_mysql.exists(created)
    engine = sa.create_engine(scratch_mysql.server_url)
    try:
        with engine.connect() as connection:
            assert sa.inspect(connection).get_table_names(schema=victim) == []
    finally:
        engine.dispose()
    assert_safe_log(result, github)
    report = json.loads(Path(result.outputs["report-path"]).read_text())
    assert report["database"]["confinement"] == "account"


def test_a_symlinked_fixture_is_refused_unread(
    checkout: Checkout,  # noqa: F811
    github: GitHubStub,
    server_url_with_password: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    secret = f"runner-secret-{uuid.uuid4().hex}"
    outside = tmp_path / "outside.txt"
    outside.write_text(f"{secret};\n")
    write_attack(checkout.root, "pass")
    data = checkout.root / "migrations" / "data"
    data.mkdir()
    (data / f"{ATTACK}.sql").symlink_to(outside)
    open_pull_request(checkout, "a fixture that points outside the repository")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert "C510" in codes(result, "error")
    assert "a symlink" in result.summary
    for text in everything_shown(result, github):
        assert secret not in text
    assert_safe_log(result, github)


def test_a_config_that_prints_commands_while_loading_forges_nothing(
    checkout: Checkout,  # noqa: F811
    github: GitHubStub,
    server_url_with_password: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The ENV_CONFIG file is the pull request's code, run while the settings load: what it
    prints reaches the log after the masks and the stop, quoted."""
    config = checkout.root / "env" / "hostile.cfg"
    config.write_text(
        (checkout.root / "env" / "test.cfg").read_text()
        + '\nprint("::error::forged while loading")\nprint("::add-mask::main")\n'
    )
    write_attack(checkout.root, "pass")
    open_pull_request(checkout, "a config that prints workflow commands")

    result = run_action(
        runner(checkout, github, tmp_path), server_url_with_password, config="env/hostile.cfg"
    )

    assert not result.failed, result.log
    assert "> ::error::forged while loading" in result.log
    assert not [c for c in result.commands if "forged" in c.message or c.message == "main"]
    assert_safe_log(result, github)


@pytest.fixture
def server_url_without_grant(mysql_server_url: str) -> Iterator[str]:
    """An account that may create schemas but not give privileges (no GRANT OPTION)."""
    admin = sa.create_engine(mysql_server_url)
    user = f"sentinel_nogrant_{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        for host in ("%", "localhost"):
            connection.execute(sa.text(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{password}'"))
            connection.execute(sa.text(f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'{host}'"))
    url = make_url(mysql_server_url).set(username=user, password=password, database=None)
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        for host in ("%", "localhost"):
            connection.execute(sa.text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
    admin.dispose()


def test_an_account_that_cannot_grant_runs_unconfined_with_a_notice(
    checkout: Checkout,  # noqa: F811
    github: GitHubStub,
    server_url_without_grant: str,
    tmp_path: Path,
) -> None:
    write_attack(checkout.root, "pass")
    open_pull_request(checkout, "a clean revision")

    result = run_action(runner(checkout, github, tmp_path), server_url_without_grant)

    assert not result.failed, result.log
    assert codes(result, "notice").count("C512") == 0  # notices without a path: summary only
    assert "C512" in result.summary and "cannot create one" in result.summary
    report = json.loads(Path(result.outputs["report-path"]).read_text())
    assert report["database"]["confinement"].startswith("fallback: ")


def test_secrets_leave_the_report_before_any_renderer_sees_it() -> None:
    """Whatever field of the report holds the token (a message, a fix, a path, a fact at any
    depth, a suppression's reason), no rendering shows it in any spelling: redaction is done
    on the report, before escaping (a Markdown-escaped `ghs\\_...` no longer matches a mask)."""
    from alembic_sentinel.redaction import redact
    from alembic_sentinel.report.markdown import render_markdown
    from alembic_sentinel.report.model import (
        ERROR,
        Finding,
        Report,
        Suppressed,
        map_report_text,
        report_document,
        report_from_document,
    )
    from alembic_sentinel.report.render import render_json, render_text
    from alembic_sentinel.report.sarif import render_sarif

    leak = f"tok={TOKEN} quoted={TOKEN.replace('_', '%5F')}"
    finding = Finding("C502", "upgrade-failed", ERROR, leak, f"x/{TOKEN}.py", 3, leak)
    report = Report(
        "ci",
        [finding],
        {"status": "failed", "deep": {"list": [leak, {"k": leak}]}, "heads": []},
        [leak],
        [Suppressed(finding, leak)],
    )
    moved = report_from_document(json.loads(json.dumps(report_document(report))))
    clean = map_report_text(moved, lambda text: redact(text, spellings(TOKEN)))

    for rendered in (
        render_markdown(clean),
        render_json(clean),
        render_text(clean),
        render_sarif(clean),
    ):
        for form in token_spellings(TOKEN):
            assert form not in rendered
    assert "tok=***" in render_text(clean)


def test_a_report_that_is_not_one_is_refused() -> None:
    from alembic_sentinel.report.model import report_from_document

    for document in (
        [],
        {"command": "ci", "facts": {}, "summary": [], "findings": [{"severity": "fatal"}]},
        {"command": 3, "facts": {}, "summary": [], "findings": []},
        {"command": "ci", "facts": [], "summary": [], "findings": []},
    ):
        with pytest.raises(ValueError):
            report_from_document(document)


def test_the_child_keeps_home_and_path_whatever_the_password() -> None:
    """The Action's default server URL has the password `root`: withholding every variable
    that holds it would take HOME=/root and PATH away from the project's code."""
    from alembic_sentinel.ci.confined import child_environment

    environ = {
        "HOME": "/root",
        "PATH": "/root/.pyenv/shims:/usr/bin",
        "GITHUB_TOKEN": TOKEN,
        "COPY": f"x{TOKEN}x",
        "SENTINEL_CI_DATABASE_URL": "mysql+pymysql://root:root@127.0.0.1/",
        "INPUT_GITHUB-TOKEN": TOKEN,
    }
    child = child_environment(environ, [TOKEN, "root"])
    assert child == {"HOME": "/root", "PATH": "/root/.pyenv/shims:/usr/bin"}
