"""The GitHub side under attack: a broken or hostile API, and secrets that break shell quoting.

The API is the local stand-in (tests/github_stub.py) told to misbehave on the wire: JSON that is
not what GitHub sends, answers cut short, status lines that are not HTTP, bodies that drip one
byte at a time, a `next` link that never ends. Whatever it does, the client raises one
`GitHubError` (one line, no token) within its deadline, and `ci` on a runner turns that into a
`::warning::` and still writes its outputs and summary, with the exit code of the report.
`action/mask.sh` is run with bash on passwords made to trip `printf` and the runner's escaping.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from action_runner import log_lines, parse_commands, parse_file_command
from conftest import REPO, run_cli
from github_stub import GitHubStub, http_response, running_stub

from alembic_sentinel.ci.github_api import MAX_PAGES, GitHubClient, GitHubError, upsert_comment
from alembic_sentinel.report.markdown import marker

PULL = 7
COMMENTS = f"/repos/octo/app/issues/{PULL}/comments"
MARK = marker("migrations")


@pytest.fixture
def github() -> Iterator[GitHubStub]:
    yield from running_stub()


class FakeTime:
    """`sleep` and `monotonic` for a client: sleeping moves the clock, nobody waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def client_for(github: GitHubStub, deadline: float = 120.0) -> GitHubClient:
    """A client that does not wait between retries (its deadline runs on the real clock)."""
    return GitHubClient(
        github.url, github.token, github.repository, deadline=deadline, sleep=lambda _: None
    )


def body_of(response: bytes) -> int:
    """Where the body starts in the bytes of an HTTP answer."""
    return response.index(b"\r\n\r\n") + 4


# --- malformed answers: one GitHubError, one line, no token -------------------------------------

LISTING = http_response(200, b'[{"id": 1001, "body": "x"}]')

MALFORMED = {
    "a comment without an id": lambda g: g.answer([{"body": MARK}]),
    "an id that is a string": lambda g: g.answer([{"id": "1001", "body": MARK}]),
    "an id that is a boolean": lambda g: g.answer([{"id": True, "body": MARK}]),
    "an id that is a float": lambda g: g.answer([{"id": 1001.5, "body": MARK}]),
    "a negative id": lambda g: g.answer([{"id": -1, "body": MARK}]),
    "a created comment without an id": lambda g: (
        g.answer([]),
        g.answer({"html_url": "x"}, status=201),
    ),
    "a listing that is not a list": lambda g: g.answer({"comments": []}),
    "a body that is not JSON": lambda g: g.answer_raw(http_response(200, b"<html>hi</html>")),
    "a body that is not UTF-8": lambda g: g.answer_raw(http_response(200, b"[\xff\xfe]")),
    "a body cut short": lambda g: g.answer_raw(LISTING[:-8], times=None),
    "a status line that is not HTTP": lambda g: g.answer_raw(b"HTTP/1.1 OK\r\n\r\n", times=None),
    "bytes that are not HTTP at all": lambda g: g.answer_raw(b"\x00\xff\r\n\r\n", times=None),
    "a header line too long": lambda g: g.answer_raw(
        b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n[]", times=None
    ),
    "a connection closed without an answer": lambda g: g.answer_raw(b"", times=None),
}


@pytest.mark.parametrize("answer", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_answer_is_one_github_error(
    github: GitHubStub, answer: Callable[[GitHubStub], object]
) -> None:
    answer(github)

    with pytest.raises(GitHubError) as raised:
        upsert_comment(client_for(github), PULL, f"{MARK}\nreport", MARK)

    message = str(raised.value)
    assert "\n" not in message and "\r" not in message
    assert github.token not in message
    assert len(github.requests) <= 4  # the retries are bounded


def test_an_answer_echoing_the_token_does_not_put_it_in_the_error(github: GitHubStub) -> None:
    github.answer_raw(f"HTTP/1.1 {github.token}\r\n\r\n".encode(), times=None)

    with pytest.raises(GitHubError) as raised:
        upsert_comment(client_for(github), PULL, "report", MARK)

    assert github.token not in str(raised.value)
    assert "***" in str(raised.value)


def test_an_error_message_over_several_lines_becomes_one_line(github: GitHubStub) -> None:
    github.fail(422, message="Validation Failed\n::error::forged\r\n  100%")

    with pytest.raises(GitHubError) as raised:
        upsert_comment(client_for(github), PULL, "report", MARK)

    assert str(raised.value) == "HTTP 422: Validation Failed ::error::forged 100%"


def test_items_that_are_not_comments_are_skipped(github: GitHubStub) -> None:
    github.answer(["text", 1, None, {"id": 5}])

    assert upsert_comment(client_for(github), PULL, f"{MARK}\nreport", MARK)[0] == "created"


# --- the deadline and the page cap --------------------------------------------------------------


@pytest.mark.parametrize("dripping", ["the body", "the status line"])
def test_an_answer_dripping_a_byte_at_a_time_is_cut_at_the_deadline(
    github: GitHubStub, dripping: str
) -> None:
    response = http_response(200, b"[" + b" " * 100 + b"]")  # 10 s at a byte every 0.1 s
    github.drip(response, interval=0.1, start=body_of(response) if dripping == "the body" else 0)
    started = time.monotonic()

    with pytest.raises(GitHubError, match="no complete answer within the 1 s deadline"):
        upsert_comment(client_for(github, deadline=1.0), PULL, "report", MARK)

    assert time.monotonic() - started < 5
    assert len(github.requests) == 1  # no retry past the deadline


def test_an_endless_next_link_stops_at_the_page_cap(github: GitHubStub) -> None:
    loop = f'<{github.url}{COMMENTS}?per_page=100&page=2>; rel="next"'
    github.answer([], headers={"Link": loop}, times=MAX_PAGES + 5)

    with pytest.raises(GitHubError, match=f"more than {MAX_PAGES} pages"):
        upsert_comment(client_for(github), PULL, "report", MARK)

    assert len(github.requests) == MAX_PAGES
    assert {request.method for request in github.requests} == {"GET"}


def test_retries_stop_when_the_next_one_would_end_past_the_deadline(github: GitHubStub) -> None:
    fake = FakeTime()
    client = GitHubClient(
        github.url,
        github.token,
        github.repository,
        attempts=10,
        deadline=5.0,
        sleep=fake.sleep,
        monotonic=fake.monotonic,
    )
    github.fail(503, times=10)

    with pytest.raises(GitHubError, match="past the 5 s deadline") as raised:
        upsert_comment(client, PULL, "report", MARK)

    assert raised.value.status == 503
    assert fake.sleeps == [1.0, 2.0]  # the third wait (4 s) would end after 5 s
    assert len(github.requests) == 3


def test_a_rate_limit_longer_than_the_deadline_is_not_waited_for(github: GitHubStub) -> None:
    fake = FakeTime()
    client = GitHubClient(
        github.url, github.token, github.repository, deadline=30.0, sleep=fake.sleep
    )
    github.fail(429, headers={"Retry-After": "60"}, times=5)

    with pytest.raises(GitHubError, match="HTTP 429"):
        upsert_comment(client, PULL, "report", MARK)

    assert fake.sleeps == []


# --- `ci` on a runner with a broken API ---------------------------------------------------------


def run_ci_on_a_runner(
    project: Path, github: GitHubStub, tmp_path: Path
) -> tuple[str, dict[str, Any]]:
    """`alembic-sentinel ci` as the Action runs it on a pull request (SQLite scratch, no base)."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": PULL}}))
    files = {name: tmp_path / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    for path in files.values():
        path.write_text("")
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_BASE_REF": "",
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_API_URL": github.url,
        "GITHUB_TOKEN": github.token,
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "ENV_CONFIG": "./env/test.cfg",
        "SENTINEL_CI_REPORT": "",
        **{name: str(path) for name, path in files.items()},
    }
    result = run_cli(project, "ci", env=env)
    assert "Traceback" not in result.err, result.err
    assert github.token not in result.err
    for line in log_lines(result.out):
        assert github.token not in line or line.startswith("::add-mask::"), line
    ran = {
        "code": result.code,
        "outputs": parse_file_command(files["GITHUB_OUTPUT"].read_text()),
        "summary": files["GITHUB_STEP_SUMMARY"].read_text(),
        "commands": parse_commands(result.out + result.err, "ci"),
    }
    return result.out, ran


BROKEN_LISTINGS = {
    "a comment without an id": lambda g: g.answer([{"body": MARK}]),
    "an id that is not a number": lambda g: g.answer([{"id": "1001; x", "body": MARK}]),
    "a status line that is not HTTP": lambda g: g.answer_raw(b"HTTP/1.1 OK\r\n\r\n", times=None),
    "a body cut short": lambda g: g.answer_raw(LISTING[:-8], times=None),
}


@pytest.mark.parametrize("broken", BROKEN_LISTINGS.values(), ids=BROKEN_LISTINGS.keys())
def test_a_broken_api_is_a_warning_and_the_outputs_are_still_written(
    project: Path, github: GitHubStub, tmp_path: Path, broken: Callable[[GitHubStub], object]
) -> None:
    broken(github)

    _, ran = run_ci_on_a_runner(project, github, tmp_path)

    assert ran["code"] == 0  # the report passed; the comment is not a check
    assert ran["outputs"]["status"] == "passed"
    assert Path(ran["outputs"]["report-path"]).is_file()
    assert "alembic-sentinel" in ran["summary"]
    (warning,) = [c for c in ran["commands"] if c.command == "warning"]
    assert warning.message.startswith("cannot comment on the pull request (no response: ")
    assert warning.message.endswith("): the report is in the step summary")
    # the runner ran: our stop, our resume (the stop's token), our warning, a fresh stop
    stop, resume, _, stop_again = [c for c in ran["commands"] if c.command != "add-mask"]
    assert (stop.command, resume.command, stop_again.command) == (
        "stop-commands",
        stop.message,
        "stop-commands",
    )


def test_an_api_message_cannot_forge_a_command(
    project: Path, github: GitHubStub, tmp_path: Path
) -> None:
    github.fail(422, message=f"Validation Failed\n::error::forged\r100% of {github.token}")

    out, ran = run_ci_on_a_runner(project, github, tmp_path)

    assert ran["code"] == 0
    (line,) = [line for line in log_lines(out) if line.startswith("::warning::")]
    assert line == (
        "::warning::cannot comment on the pull request (HTTP 422: Validation Failed "
        "::error::forged 100%25 of ***): the report is in the step summary"
    )
    assert not [c for c in ran["commands"] if c.command == "error"]


# --- action/mask.sh -----------------------------------------------------------------------------

HOSTILE_PASSWORDS = [
    "100%",
    "ab\\x",
    "a\\u",
    "ab\\x%41",
    "%zz%4",
    "%",
    "%%41",
    "p%40ss%2Fw%25rd",
    "x%0Ay",
    "x%0D%0Ay",
    "x%0ay%0dz",
    "%2525",
    "line%0A%0A",
    "%E2%82%AC-euro",
    "a%5Cnb",
    "-n",
    "%s%d%b",
    "$(id)`id`",
    "*?[a]",
    "two%20words+plus",
]


def runner_masks(stdout: str) -> set[str]:
    """The values the runner masks: each `::add-mask::` command's data, unescaped."""
    return {c.message for c in parse_commands(stdout, "mask") if c.command == "add-mask"}


def lines_of(value: str) -> set[str]:
    return {line for line in log_lines(value) if line.strip()}


@pytest.mark.parametrize("password", HOSTILE_PASSWORDS)
def test_mask_sh_masks_every_spelling_of_a_hostile_password_silently(password: str) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "SENTINEL_CI_DATABASE_URL": f"mysql+pymysql://user:{password}@db:3306/app",
        "GITHUB_TOKEN": "tok%0Aen",
    }

    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(REPO / "action" / "mask.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert (completed.returncode, completed.stderr) == (0, "")
    assert all(line.startswith("::add-mask::") for line in completed.stdout.splitlines())
    expected = lines_of(password) | lines_of(unquote(password)) | {"tok%0Aen"}
    assert runner_masks(completed.stdout) == expected
