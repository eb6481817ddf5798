"""The composite action end to end, run as a GitHub runner would run it (tests/action_runner.py).

Each test builds a real git repository from the reference app: `main` pushed to a local bare
`origin`, a pull request branch with the change under test checked out. The action runs its three
steps with bash against the real MariaDB (through a user with a password, so the masking is
exercised), with GITHUB_API_URL pointing at the local GitHub stand-in (tests/github_stub.py),
which records every request. The tests assert what a reviewer would see: the step summary, the
annotations, the outputs, the exact API requests, and that the password never shows.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from action_runner import (
    ActionRun,
    ActionRunner,
    StepResult,
    log_lines,
    pull_request_event,
    push_event,
)
from conftest import (
    GIT_DEVELOPER_ENV,
    HEAD,
    REPO,
    SETTINGS_ENV_VARS,
    add_party_column,
    add_two_branch_heads,
)
from github_stub import GitHubStub, running_stub
from sqlalchemy.engine import make_url

VENV_BIN = Path(sys.executable).parent
REPOSITORY = "octo/app"
PULL = 7
COMMENTS = f"/repos/{REPOSITORY}/issues/{PULL}/comments"
PASSWORD = f"Pw-{uuid.uuid4().hex[:12]}"  # distinctive: any leak is found by a plain search
# variables of the machine running the tests that a runner would not hand the step
OUTSIDE_PREFIXES = ("GITHUB_", "RUNNER_", "ACTIONS_", "INPUT_", "SENTINEL_", "GIT_", "PRE_COMMIT")

PARTY_COLOUR = "c0a1c0a1c0a1"


@pytest.fixture(scope="module")
def server_url_with_password(mysql_server_url: str) -> Iterator[str]:
    """The MariaDB server through a user of its own with a password (dropped afterwards), with
    the privileges of a CI service's root: ci creates the run's confined account with it."""
    admin = sa.create_engine(mysql_server_url)
    user = f"sentinel_action_{uuid.uuid4().hex[:8]}"
    hosts = ("%", "localhost")
    with admin.begin() as connection:
        for host in hosts:
            connection.execute(sa.text(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{PASSWORD}'"))
            connection.execute(
                sa.text(f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'{host}' WITH GRANT OPTION")
            )
    url = make_url(mysql_server_url).set(username=user, password=PASSWORD, database=None)
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        for host in hosts:
            connection.execute(sa.text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
    admin.dispose()


@pytest.fixture
def github() -> Iterator[GitHubStub]:
    yield from running_stub(repository=REPOSITORY)


@dataclass
class Checkout:
    """The runner's checkout of the project, with `origin` a bare repository beside it."""

    root: Path
    origin: Path
    env: dict[str, str]

    def git(self, *args: str, cwd: Path | None = None) -> str:
        completed = subprocess.run(
            ["git", *args],
            cwd=cwd or self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
        return completed.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def origin_branches(self) -> list[str]:
        return self.git("branch", "--format=%(refname:short)", cwd=self.origin).split()


def job_env(home: Path) -> dict[str, str]:
    """The job's environment before the runner's variables: this venv first on PATH (as after
    actions/setup-python and installing the project), a git identity, nothing from outside."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(OUTSIDE_PREFIXES)
        and key not in (*SETTINGS_ENV_VARS, "VIRTUAL_ENV", "CI")
    }
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(home),
        **GIT_DEVELOPER_ENV,
    )
    return env


@pytest.fixture
def checkout(project: Path, tmp_path: Path) -> Checkout:
    """`main` with the reference app, pushed to origin; HEAD on it."""
    home = tmp_path / "home"
    home.mkdir()
    repo = Checkout(project, tmp_path / "origin.git", job_env(home))
    repo.git("init", "-q", "--bare", "-b", "main", str(repo.origin), cwd=tmp_path)
    repo.git("init", "-q", "-b", "main")
    (project / ".gitignore").write_text("__pycache__/\n*.db\n")
    repo.commit("the reference app")
    repo.git("remote", "add", "origin", str(repo.origin))
    repo.git("push", "-q", "-u", "origin", "main")
    return repo


def runner(
    checkout: Checkout, github: GitHubStub, tmp_path: Path, event: str = "pull_request"
) -> ActionRunner:
    head = checkout.git("rev-parse", "HEAD")
    if event == "pull_request":
        payload = pull_request_event(REPOSITORY, PULL, "main", "feature", head_sha=head)
    else:
        payload = push_event(REPOSITORY, "refs/heads/main", after=head)
    return ActionRunner(
        action_path=REPO,
        workspace=checkout.root,
        temp=tmp_path / f"runner-temp-{uuid.uuid4().hex[:6]}",
        env=checkout.env,
        api_url=github.url,
        token=github.token,
        repository=REPOSITORY,
        event_name=event,
        event=payload,
    )


def open_pull_request(checkout: Checkout, change: str) -> None:
    checkout.git("checkout", "-q", "-b", "feature")
    checkout.commit(change)


# --- the changes a pull request makes -----------------------------------------------------------


def write_revision(
    project: Path, revision: str, down: str, message: str, upgrade: str, downgrade: str
) -> Path:
    path = project / "migrations" / "versions" / f"{revision}_{message.replace(' ', '_')}.py"
    path.write_text(
        f'"""{message}\n\nRevision ID: {revision}\nRevises: {down}\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{revision}"\ndown_revision = "{down}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n    {upgrade}\n\n\ndef downgrade():\n    {downgrade}\n"
    )
    return path


def add_party_colour(project: Path) -> Path:
    """The model gains party.partyColour and a revision adds the column: a clean change."""
    add_party_column(project)
    return write_revision(
        project,
        PARTY_COLOUR,
        HEAD,
        "add partyColour to party",
        'op.add_column("party", sa.Column("partyColour", sa.String(20), nullable=True))',
        'op.drop_column("party", "partyColour")',
    )


def run_action(run: ActionRunner, server_url: str, **inputs: str) -> ActionRun:
    return run.run({"database-url": server_url, **inputs})


def assert_safe_log(result: ActionRun, github: GitHubStub) -> None:
    """No secret anywhere but in masks, no workflow command the action did not write itself."""
    assert_no_secret_leaked(result, github)
    assert_only_our_commands(result)


def assert_no_secret_leaked(result: ActionRun, github: GitHubStub) -> None:
    # the first thing the job prints, before any step could echo it
    assert result.steps[0].stdout.splitlines()[0] == f"::add-mask::{PASSWORD}"
    assert github.token in result.masks
    shown = [result.summary, *result.outputs.values()]
    shown += [json.dumps(request.body) for request in github.requests]
    report = result.outputs.get("report-path")
    if report and Path(report).is_file():
        shown.append(Path(report).read_text())
    for text in shown:
        assert PASSWORD not in text
        assert github.token not in text
    # in the log only inside the ::add-mask:: commands (the runner hides it everywhere else)
    for line in result.log.splitlines():
        if PASSWORD in line or github.token in line:
            assert line.startswith("::add-mask::"), line


STOP = re.compile(r"::stop-commands::([0-9a-f]{32})")
OUR_COMMAND = re.compile(
    r"::add-mask::.*"
    r"|::(?:error|warning|notice) file=[^:]*::.*"
    r"|::notice::\d+ more findings in the step summary"
    r"|::warning::(?:cannot comment on the pull request|no GITHUB_TOKEN).*"
)


def assert_only_our_commands(result: ActionRun) -> None:
    """Every line the runner could read as a workflow command is one the action wrote."""
    lines = [line.lstrip() for line in log_lines(result.log)]
    tokens = {match.group(1) for line in lines if (match := STOP.fullmatch(line))}
    for line in lines:
        if line.startswith("::") and not STOP.fullmatch(line):
            resumed = line[2:-2] in tokens and line.endswith("::")
            assert resumed or OUR_COMMAND.fullmatch(line), line
    assert "##[" not in result.log


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def codes(result: ActionRun, level: str | None = None) -> list[str]:
    """The finding codes of the annotations (their title starts with the code)."""
    return [c.properties.get("title", "").split(" ")[0] for c in result.annotations(level)]


# --- pull requests ------------------------------------------------------------------------------


def test_a_clean_pull_request_passes_and_posts_one_comment(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_party_colour(checkout.root)
    open_pull_request(checkout, "party colour")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert not result.failed, result.log
    assert [s.outcome for s in result.steps] == ["success"] * 3 + ["skipped"]  # no upload
    assert result.outputs["status"] == "passed"
    assert result.outputs["heads"] == PARTY_COLOUR
    assert result.outputs["new-revisions"] == PARTY_COLOUR
    assert result.outputs["drift"] == "false"
    report = json.loads(Path(result.outputs["report-path"]).read_text())
    assert report["command"] == "ci"
    assert report["status"] == "passed"
    assert report["new_revisions"][0]["revision"] == PARTY_COLOUR
    assert "add partyColour to party" in result.summary
    assert PARTY_COLOUR in result.summary
    assert codes(result, "error") == []
    assert github.calls() == [f"GET {COMMENTS}", f"POST {COMMENTS}"]
    assert github.requests[0].query["per_page"] == "100"
    (comment,) = github.comments(PULL)
    assert "<!-- alembic-sentinel:migrations -->" in comment["body"]
    assert PARTY_COLOUR in comment["body"]
    assert_safe_log(result, github)


def test_a_rerun_updates_the_same_comment(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_party_colour(checkout.root)
    open_pull_request(checkout, "party colour")
    github.add_comments(PULL, ["LGTM", "an unrelated bot's report"])
    run = runner(checkout, github, tmp_path)

    first = run_action(run, server_url_with_password)
    (ours,) = [c for c in github.comments(PULL) if "alembic-sentinel:" in c["body"]]
    second = run_action(run, server_url_with_password)

    assert first.outputs["status"] == second.outputs["status"] == "passed"
    assert github.calls() == [
        f"GET {COMMENTS}",
        f"POST {COMMENTS}",
        f"GET {COMMENTS}",
        f"PATCH /repos/{REPOSITORY}/issues/comments/{ours['id']}",
    ]
    assert len(github.comments(PULL)) == 3
    assert_safe_log(second, github)


def test_a_model_change_without_a_revision_is_drift(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_party_column(checkout.root)
    open_pull_request(checkout, "party colour, revision forgotten")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.failed
    assert result.step("ci").code == 1
    assert result.outputs["status"] == "failed"
    assert result.outputs["drift"] == "true"
    assert result.outputs["new-revisions"] == ""
    assert "D401" in result.summary
    assert "partyColour" in result.summary
    # no annotation: a drift finding names no file (the contract annotates those with a path)
    assert github.calls() == [f"GET {COMMENTS}", f"POST {COMMENTS}"]
    assert "D401" in github.comments(PULL)[0]["body"]
    assert_safe_log(result, github)


def test_a_pull_request_whose_base_moved_on_would_leave_two_heads(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    # main gains a revision after the branch was cut; the PR adds its own on the same parent
    checkout.git("checkout", "-q", "-b", "feature")
    ours = add_party_colour(checkout.root)
    checkout.commit("party colour")
    checkout.git("checkout", "-q", "main")
    write_revision(
        checkout.root,
        "bbbb0000beef",
        HEAD,
        "an index on election",
        'op.create_index("ix_election_name", "election", ["electionName"])',
        'op.drop_index("ix_election_name", table_name="election")',
    )
    checkout.commit("index on election")
    checkout.git("push", "-q", "origin", "main")
    checkout.git("checkout", "-q", "feature")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.outputs["status"] == "failed"
    assert result.outputs["heads"] == PARTY_COLOUR
    assert "G107" in result.summary
    assert "bbbb0000beef" in result.summary
    (annotation,) = result.annotations("error")
    assert annotation.properties["title"] == "G107 merge-would-create-heads"
    assert annotation.properties["file"] == f"migrations/versions/{ours.name}"
    assert "bbbb0000beef (on origin/main)" in annotation.message
    assert_safe_log(result, github)


def test_a_pull_request_with_two_heads_of_its_own(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_two_branch_heads(checkout.root)
    open_pull_request(checkout, "two heads")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.outputs["status"] == "failed"
    assert sorted(result.outputs["heads"].split(",")) == ["aaaa00000001", "bbbb00000002"]
    assert "G101" in result.summary
    assert codes(result, "error") == ["G101", "G101", "G107", "G107"]
    assert "G101" in github.comments(PULL)[0]["body"]
    assert_safe_log(result, github)


def test_editing_a_merged_revision_is_an_error(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    merged = next((checkout.root / "migrations" / "versions").glob(f"{HEAD}_*.py"))
    merged.write_text(merged.read_text().replace("# 2. Fill it.", "# 2. Fill it in."))
    open_pull_request(checkout, "touch up a merged revision")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.outputs["status"] == "failed"
    assert "C501" in result.summary
    (annotation,) = [c for c in result.annotations("error") if "C501" in c.properties["title"]]
    assert annotation.properties["file"] == f"migrations/versions/{merged.name}"
    assert annotation.properties["line"] == str(line_of(merged, 'revision = "'))
    assert_safe_log(result, github)


def test_a_failing_upgrade_fails_the_job(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    path = write_revision(
        checkout.root,
        "dead0000beef",
        HEAD,
        "fill a table that does not exist",
        'op.execute("UPDATE no_such_table SET x = 1")',
        "pass",
    )
    open_pull_request(checkout, "broken revision")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.failed
    assert result.outputs["status"] == "failed"
    assert result.outputs["new-revisions"] == "dead0000beef"
    assert "C502" in result.summary
    assert "no_such_table" in result.summary
    (annotation,) = [c for c in result.annotations("error") if "C502" in c.properties["title"]]
    assert annotation.properties["file"] == f"migrations/versions/{path.name}"
    assert annotation.properties["line"] == str(line_of(path, "op.execute("))
    assert "(1146) Table" in annotation.message
    assert_safe_log(result, github)


def test_a_read_only_token_warns_and_the_checks_decide(
    checkout: Checkout, server_url_with_password: str, tmp_path: Path
) -> None:
    add_party_colour(checkout.root)
    open_pull_request(checkout, "party colour, from a fork")

    with GitHubStub(repository=REPOSITORY, read_only=True) as github:
        result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert not result.failed, result.log
    assert result.outputs["status"] == "passed"
    (warning,) = [w for w in result.annotations("warning") if "file" not in w.properties]
    assert warning.message == (
        "cannot comment on the pull request (HTTP 403: Resource not accessible by integration): "
        "the report is in the step summary"
    )
    assert github.calls() == [f"GET {COMMENTS}", f"POST {COMMENTS}"]
    assert [r.status for r in github.requests] == [200, 403]
    assert PARTY_COLOUR in result.summary
    assert_safe_log(result, github)


# --- after a merge: merge-heads mode on a push event ---------------------------------------------


def test_merge_heads_after_a_push_with_two_heads_opens_a_pull_request(
    checkout: Checkout, github: GitHubStub, tmp_path: Path
) -> None:
    add_two_branch_heads(checkout.root)
    pushed = checkout.commit("two pull requests merged, each with a revision")
    checkout.git("push", "-q", "origin", "main")

    result = runner(checkout, github, tmp_path, event="push").run({"mode": "merge-heads"})

    assert not result.failed, result.log
    assert result.outputs["status"] == "passed"
    branch = f"alembic-sentinel/merge-heads-{pushed[:7]}"
    assert sorted(checkout.origin_branches()) == sorted(["main", branch])
    merge_files = checkout.git("show", "--name-only", "--format=", branch, cwd=checkout.origin)
    (merge_file,) = merge_files.splitlines()
    assert merge_file.startswith("migrations/versions/")
    assert checkout.git("rev-parse", "main", cwd=checkout.origin) == pushed
    assert github.calls() == [f"POST /repos/{REPOSITORY}/pulls"]
    (request,) = github.requests
    assert request.body["head"] == branch
    assert request.body["base"] == "main"
    assert "aaaa00000001" in request.body["title"] and "bbbb00000002" in request.body["title"]


def test_merge_heads_with_direct_push_commits_on_main(
    checkout: Checkout, github: GitHubStub, tmp_path: Path
) -> None:
    add_two_branch_heads(checkout.root)
    pushed = checkout.commit("two pull requests merged, each with a revision")
    checkout.git("push", "-q", "origin", "main")

    run = runner(checkout, github, tmp_path, event="push")
    result = run.run({"mode": "merge-heads", "push": "direct"})

    assert not result.failed, result.log
    assert checkout.origin_branches() == ["main"]
    assert checkout.git("rev-parse", "main~1", cwd=checkout.origin) == pushed
    author = checkout.git("log", "-1", "--format=%an", "main", cwd=checkout.origin)
    assert author == "github-actions[bot]"
    assert github.requests == []


def test_merge_heads_with_one_head_does_nothing(
    checkout: Checkout, github: GitHubStub, tmp_path: Path
) -> None:
    result = runner(checkout, github, tmp_path, event="push").run({"mode": "merge-heads"})

    assert not result.failed, result.log
    assert result.outputs["status"] == "passed"
    assert result.outputs["heads"] == HEAD
    assert f"single head {HEAD}: nothing to merge" in result.log
    assert checkout.origin_branches() == ["main"]
    assert github.requests == []


# --- untrusted text in the log --------------------------------------------------------------------

HOSTILE = "f0f0f0f0f0f0"
# a block comment in SQL that, printed raw, forges an annotation and silences the real ones
FORGED_SQL = "SELECT 1 /*\n::error title=X::forged\n::stop-commands::tok\n*/"
FORGED_COLUMN = "x\n::error::forged"
FORGED_DOC = "a hostile revision\n::error title=D::forged by the docstring\n  ##[error]legacy"


def add_hostile_revision(project: Path) -> Path:
    """A revision whose SQL, column name and message carry workflow commands."""
    path = project / "migrations" / "versions" / f"{HOSTILE}_hostile.py"
    path.write_text(
        f'"""{FORGED_DOC}\n\nRevision ID: {HOSTILE}\nRevises: {HEAD}\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{HOSTILE}"\ndown_revision = "{HEAD}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        f"    op.execute({FORGED_SQL!r})\n"
        f'    op.add_column("party", sa.Column({FORGED_COLUMN!r}, sa.String(20), nullable=True))\n'
        "\n\ndef downgrade():\n"
        f'    op.drop_column("party", {FORGED_COLUMN!r})\n'
    )
    return path


def test_workflow_commands_in_a_revision_are_shown_never_run(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_hostile_revision(checkout.root)
    open_pull_request(checkout, "a revision that writes workflow commands")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert not result.failed, result.log
    assert_safe_log(result, github)
    # what a reviewer reads: the text, quoted, where the report shows it
    ci = result.step("ci")
    assert "> ::error title=X::forged\n> ::stop-commands::tok\n" in ci.stdout
    # the progress lines show a docstring's first line only: one line per step, whatever it holds
    assert f"upgrade {HOSTILE} a hostile revision (" in ci.stderr
    assert "forged by the docstring" not in ci.stderr
    # what the runner runs: our stop, never the revision's
    assert [c.command for c in result.commands if c.command != "add-mask"] == ["stop-commands"]
    assert not [c for c in result.commands if "forged" in c.message or c.message == "tok"]


def test_the_log_stops_commands_before_anything_untrusted(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_two_branch_heads(checkout.root)  # annotations: written between a resume and a stop
    open_pull_request(checkout, "two heads")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    lines = [line for line in result.step("ci").stdout.splitlines() if line.startswith("::")]
    masks = [line for line in lines if line.startswith("::add-mask::")]
    first_stop, resume, *annotations, second_stop = lines[len(masks) :]
    token = first_stop.removeprefix("::stop-commands::")
    assert STOP.fullmatch(first_stop) and STOP.fullmatch(second_stop)
    assert resume == f"::{token}::"
    assert second_stop != first_stop  # a fresh token: the first one is in the log now
    assert annotations and all(OUR_COMMAND.fullmatch(line) for line in annotations)
    # the stop comes before the report: the first line after it is the report's heading
    stdout = result.step("ci").stdout
    assert stdout.split(first_stop + "\n", 1)[1].startswith("## ")
    assert codes(result, "error") == ["G101", "G101", "G107", "G107"]
    assert_safe_log(result, github)


def upload_step(result: ActionRun) -> StepResult:
    return next(step for step in result.steps if step.name == "Upload the full report")


def test_a_report_too_long_for_the_summary_is_uploaded_whole(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    """GitHub cuts nothing itself: the action cuts the summary and the comment to fit, says
    where the rest is, and uploads the JSON report as that artifact."""
    write_revision(
        checkout.root,
        "b16b16b16b16",
        HEAD,
        "a revision with a lot of SQL",
        'for number in range(1500):\n        op.execute(f"UPDATE party SET partySymbol = '
        "'{'x' * 40}' WHERE partyId = {number}\")",
        "pass",
    )
    open_pull_request(checkout, "a long revision")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert result.outputs["report-path"]
    note = "full report: the `alembic-sentinel-report` artifact"
    assert note in result.summary
    assert note in github.requests[-1].body["body"]
    upload = upload_step(result)
    assert not upload.skipped
    assert upload.uses.startswith("actions/upload-artifact@")
    assert upload.with_inputs["name"] == "alembic-sentinel-report"
    assert upload.with_inputs["path"] == result.outputs["report-path"]
    report = json.loads(Path(upload.with_inputs["path"]).read_text())
    assert len(report["sql"][0]["sql"]) > 65_536  # the whole SQL, where the summary has a part
    assert_safe_log(result, github)


def test_a_report_that_fits_uploads_nothing(
    checkout: Checkout, github: GitHubStub, server_url_with_password: str, tmp_path: Path
) -> None:
    add_party_colour(checkout.root)
    open_pull_request(checkout, "add partyColour")

    result = run_action(runner(checkout, github, tmp_path), server_url_with_password)

    assert not result.failed, result.log
    assert upload_step(result).skipped
    assert "truncated" not in result.summary
