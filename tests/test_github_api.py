"""The REST client against a real local HTTP server standing in for GitHub (github_stub.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from github_stub import GitHubStub, running_stub

from alembic_sentinel.ci.github_api import (
    MAX_WAIT,
    GitHubClient,
    GitHubError,
    next_link,
    open_pull_request,
    retry_delay,
    upsert_comment,
)
from alembic_sentinel.report.markdown import marker

PR = 7
COMMENTS = f"/repos/octo/app/issues/{PR}/comments"


@pytest.fixture
def github() -> Iterator[GitHubStub]:
    yield from running_stub()


class Sleeps(list[float]):
    """A fake `sleep` that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client_for(
    github: GitHubStub, sleeps: Sleeps | None = None, token: str | None = None
) -> GitHubClient:
    return GitHubClient(
        github.url,
        github.token if token is None else token,
        github.repository,
        sleep=sleeps if sleeps is not None else Sleeps(),
        clock=lambda: 1_700_000_000.0,
    )


def test_the_first_run_creates_the_comment_and_a_rerun_updates_it(github: GitHubStub) -> None:
    client = client_for(github)
    mark = marker("migrations")

    action, comment_id = upsert_comment(client, PR, f"{mark}\nfirst report", mark)
    assert action == "created"
    assert github.calls() == [f"GET {COMMENTS}", f"POST {COMMENTS}"]

    github.requests.clear()
    assert upsert_comment(client, PR, f"{mark}\nsecond report", mark) == ("updated", comment_id)
    assert github.calls() == [
        f"GET {COMMENTS}",
        f"PATCH /repos/octo/app/issues/comments/{comment_id}",
    ]
    assert [c["body"] for c in github.comments(PR)] == [f"{mark}\nsecond report"]


def test_requests_carry_the_token_api_version_and_json(github: GitHubStub) -> None:
    upsert_comment(client_for(github), PR, "body", marker("migrations"))
    listing, post = github.requests

    assert listing.query == {"per_page": "100"}
    for request in (listing, post):
        assert request.headers["authorization"] == f"Bearer {github.token}"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"].startswith("alembic-sentinel/")
    assert post.headers["content-type"] == "application/json"
    assert post.body == {"body": "body"}
    assert post.status == 201


def test_the_marker_is_found_on_the_second_page(github: GitHubStub) -> None:
    mark = marker("migrations")
    github.add_comments(PR, [f"other comment {i}" for i in range(120)])
    (ours,) = github.add_comments(
        PR, [f"{mark}\nold report"], user={"login": "github-actions[bot]", "type": "Bot"}
    )
    github.add_comments(PR, [f"later comment {i}" for i in range(40)])

    assert upsert_comment(client_for(github), PR, f"{mark}\nnew report", mark) == ("updated", ours)
    assert github.calls() == [
        f"GET {COMMENTS}",
        f"GET {COMMENTS}?page=2",
        f"PATCH /repos/octo/app/issues/comments/{ours}",
    ]
    assert github.requests[1].query == {"per_page": "100", "page": "2"}


def test_all_pages_are_listed_before_creating(github: GitHubStub) -> None:
    github.add_comments(PR, [f"other comment {i}" for i in range(250)])
    assert upsert_comment(client_for(github), PR, "report", marker("migrations"))[0] == "created"
    assert github.calls() == [
        f"GET {COMMENTS}",
        f"GET {COMMENTS}?page=2",
        f"GET {COMMENTS}?page=3",
        f"POST {COMMENTS}",
    ]
    assert len(github.comments(PR)) == 251


def test_two_migrations_directories_get_two_comments(github: GitHubStub) -> None:
    client = client_for(github)
    api, worker = marker("services/api/migrations"), marker("services/worker/migrations")
    for _ in range(2):
        upsert_comment(client, PR, f"{api}\napi report", api)
        upsert_comment(client, PR, f"{worker}\nworker report", worker)

    assert [c["body"] for c in github.comments(PR)] == [
        f"{api}\napi report",
        f"{worker}\nworker report",
    ]
    assert [r.method for r in github.requests if r.method != "GET"] == [
        "POST",
        "POST",
        "PATCH",
        "PATCH",
    ]


def test_server_errors_are_retried_with_backoff(github: GitHubStub) -> None:
    sleeps = Sleeps()
    github.fail(500)
    github.fail(502)
    assert upsert_comment(client_for(github, sleeps), PR, "report", "<!-- m -->")[0] == "created"
    assert [r.status for r in github.requests] == [500, 502, 200, 201]
    assert sleeps == [1.0, 2.0]


def test_retries_are_bounded(github: GitHubStub) -> None:
    sleeps = Sleeps()
    github.fail(503, times=10, message="Service Unavailable")
    with pytest.raises(GitHubError) as raised:
        upsert_comment(client_for(github, sleeps), PR, "report", "<!-- m -->")
    assert raised.value.status == 503
    assert len(github.requests) == 4 and len(sleeps) == 3


def test_too_many_requests_waits_as_long_as_retry_after_says(github: GitHubStub) -> None:
    sleeps = Sleeps()
    github.fail(429, headers={"Retry-After": "3"})
    github.fail(429, headers={"Retry-After": "3600"})
    upsert_comment(client_for(github, sleeps), PR, "report", "<!-- m -->")
    assert sleeps == [3.0, MAX_WAIT]
    assert [r.status for r in github.requests] == [429, 429, 200, 201]


def test_a_rate_limited_403_waits_for_the_reset(github: GitHubStub) -> None:
    sleeps = Sleeps()
    github.fail(
        403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(1_700_000_000 + 12)},
        message="API rate limit exceeded",
    )
    assert upsert_comment(client_for(github, sleeps), PR, "report", "<!-- m -->")[0] == "created"
    assert sleeps == [12.0]
    assert [r.status for r in github.requests] == [403, 200, 201]


def test_a_plain_403_fails_at_once_with_githubs_message_and_without_the_token() -> None:
    with GitHubStub(token="ghs_SuperSecret123", read_only=True) as github:
        sleeps = Sleeps()
        with pytest.raises(GitHubError) as raised:
            upsert_comment(client_for(github, sleeps), PR, "report", "<!-- m -->")
    assert raised.value.status == 403
    assert str(raised.value) == "HTTP 403: Resource not accessible by integration"
    assert "SuperSecret" not in str(raised.value) and "SuperSecret" not in repr(raised.value)
    assert sleeps == []
    assert [(r.method, r.status) for r in github.requests] == [("GET", 200), ("POST", 403)]


def test_a_wrong_token_is_a_401(github: GitHubStub) -> None:
    with pytest.raises(GitHubError) as raised:
        upsert_comment(client_for(github, token="wrong"), PR, "report", "<!-- m -->")
    assert raised.value.status == 401
    assert raised.value.github_message == "Bad credentials"


def test_an_unreachable_api_is_an_error_without_status() -> None:
    with GitHubStub() as github:
        url = github.url
    sleeps = Sleeps()
    client = GitHubClient(url, "t", "octo/app", attempts=2, sleep=sleeps)
    with pytest.raises(GitHubError) as raised:
        upsert_comment(client, PR, "report", "<!-- m -->")
    assert raised.value.status is None
    assert sleeps == [1.0]


def test_open_pull_request_posts_head_base_title_and_body(github: GitHubStub) -> None:
    url = open_pull_request(
        client_for(github),
        "alembic-sentinel/merge-heads-abc1234",
        "main",
        "Merge heads",
        "Two heads",
    )
    assert url == "https://github.com/octo/app/pull/1"
    (request,) = github.requests
    assert (request.method, request.path) == ("POST", "/repos/octo/app/pulls")
    assert request.body == {
        "head": "alembic-sentinel/merge-heads-abc1234",
        "base": "main",
        "title": "Merge heads",
        "body": "Two heads",
    }


def test_enterprise_server_api_urls_have_a_path_prefix() -> None:
    with GitHubStub(prefix="/api/v3") as github:
        github.add_comments(PR, ["x"] * 101)
        assert github.url.endswith("/api/v3")
        upsert_comment(client_for(github), PR, "report", "<!-- m -->")
    assert github.calls() == [f"GET {COMMENTS}", f"GET {COMMENTS}?page=2", f"POST {COMMENTS}"]


def test_a_next_link_to_another_host_is_refused(github: GitHubStub) -> None:
    client = client_for(github)
    with pytest.raises(GitHubError, match="refusing to send the token"):
        client.request("GET", "https://evil.example.com/repos/octo/app/issues/7/comments")
    assert github.requests == []


def test_next_link_parsing() -> None:
    header = (
        '<https://api.github.com/r?page=3>; rel="next", '
        '<https://api.github.com/r?page=9>; rel="last"'
    )
    assert next_link(header) == "https://api.github.com/r?page=3"
    assert next_link('<https://api.github.com/r?page=1>; rel="prev"') is None
    assert next_link(None) is None


def test_retry_policy() -> None:
    now = 1000.0
    assert retry_delay(404, {}, 1, now) is None
    assert retry_delay(422, {}, 1, now) is None
    assert retry_delay(403, {}, 1, now) is None
    assert retry_delay(500, {}, 3, now) == 4.0
    assert retry_delay(None, {}, 1, now) == 1.0
    assert retry_delay(403, {"retry-after": "5"}, 1, now) == 5.0
    assert retry_delay(403, {"x-ratelimit-remaining": "0"}, 1, now) == MAX_WAIT
    assert (
        retry_delay(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "999"}, 1, now) == 1.0
    )
