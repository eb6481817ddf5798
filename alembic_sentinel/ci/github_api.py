"""A tiny GitHub REST client over urllib: the sticky PR comment and the merge-heads pull request.

Works against github.com and GitHub Enterprise Server alike (`api_url` is GITHUB_API_URL).
Transient failures are retried a bounded number of times: 5xx, 429 and rate-limited 403s,
waiting as long as GitHub asks (Retry-After, x-ratelimit-reset) but never longer than
`MAX_WAIT` seconds. Errors carry the HTTP status and GitHub's `message`, never the token.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from email.message import Message
from http.client import HTTPMessage
from typing import Any, NamedTuple

from alembic_sentinel import __version__
from alembic_sentinel.errors import SentinelError

API_VERSION = "2022-11-28"
USER_AGENT = f"alembic-sentinel/{__version__}"
MAX_WAIT = 60.0  # seconds; a CI job should rather give up on the comment than hang
TIMEOUT = 30.0
PER_PAGE = 100

_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubError(SentinelError):
    """A request failed for good: `status` is the HTTP status (None: no response at all)."""

    def __init__(self, status: int | None, message: str) -> None:
        prefix = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{prefix}: {message}")
        self.status = status
        self.github_message = message


class Response(NamedTuple):
    status: int
    headers: Mapping[str, str]  # keys lower-cased
    data: Any  # the parsed JSON body, None when empty


def retry_delay(
    status: int | None, headers: Mapping[str, str], attempt: int, now: float
) -> float | None:
    """Seconds to wait before retrying a failed request, or None when retrying cannot help.

    `attempt` counts from 1; `headers` have lower-case keys; `now` is the epoch time.
    A 403 is retried only when GitHub says it is a rate limit (remaining 0 or Retry-After):
    any other 403 is a permission problem, and asking again would not change the answer.
    """
    rate_limited = status == 429 or (
        status == 403 and (headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers)
    )
    if not (status is None or status >= 500 or rate_limited):
        return None
    retry_after = headers.get("retry-after", "")
    if retry_after.strip().isdigit():
        return min(float(retry_after), MAX_WAIT)
    reset = headers.get("x-ratelimit-reset", "")
    if rate_limited and reset.strip().isdigit():
        return min(max(float(reset) - now, 1.0), MAX_WAIT)
    # GitHub asks for at least a minute on a secondary rate limit without a hint
    return MAX_WAIT if rate_limited else min(2.0 ** (attempt - 1), MAX_WAIT)


def next_link(link_header: str | None) -> str | None:
    """The URL of the next page from a `Link` header, None on the last page."""
    if not link_header:
        return None
    for part in link_header.split(","):
        match = _NEXT_LINK.search(part)
        if match:
            return match.group(1)
    return None


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects (a renamed repository answers 301) but keep the token on the API host."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if (
            new is not None
            and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc
        ):
            new.remove_header("Authorization")
        return new


_OPENER = urllib.request.build_opener(_SameHostRedirects)


class GitHubClient:
    """Authenticated JSON requests to one repository's REST API, with bounded retries."""

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        *,
        attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self.attempts = max(attempts, 1)
        self._token = token
        self._sleep = sleep
        self._clock = clock
        owner, _, name = repository.partition("/")
        self.repo_path = (
            f"/repos/{urllib.parse.quote(owner, safe='')}/{urllib.parse.quote(name, safe='')}"
        )

    def __repr__(self) -> str:
        return f"GitHubClient({self.api_url!r}, repository={self.repository!r})"

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        query: Mapping[str, str | int] | None = None,
        body: Any = None,
    ) -> Response:
        """`method` on `path_or_url` (a path under api_url, or a full URL of the same host)."""
        url = self._url(path_or_url, query)
        data = json.dumps(body).encode() if body is not None else None
        attempt = 0
        while True:
            attempt += 1
            status, headers, message, response = self._send(method, url, data)
            if response is not None:
                return response
            delay = retry_delay(status, headers, attempt, self._clock())
            if delay is None or attempt >= self.attempts:
                raise GitHubError(status, self._scrub(message))
            self._sleep(delay)

    def paginate(self, path: str, query: Mapping[str, str | int] | None = None) -> Iterator[Any]:
        """Every item of a list endpoint, following `Link: <...>; rel="next"` page by page."""
        url: str | None = self._url(path, {"per_page": PER_PAGE, **(query or {})})
        while url:
            response = self.request("GET", url)
            if not isinstance(response.data, list):
                raise GitHubError(response.status, f"expected a list from {path}")
            yield from response.data
            url = next_link(response.headers.get("link"))

    def _url(self, path_or_url: str, query: Mapping[str, str | int] | None) -> str:
        if "://" in path_or_url:
            # the token goes only where the API lives (a Link header pointing elsewhere is refused)
            ours, theirs = urllib.parse.urlsplit(self.api_url), urllib.parse.urlsplit(path_or_url)
            if (ours.scheme, ours.netloc) != (theirs.scheme, theirs.netloc):
                raise GitHubError(None, f"refusing to send the token to {theirs.netloc}")
            url = path_or_url
        else:
            url = self.api_url + path_or_url
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        return url

    def _send(
        self, method: str, url: str, data: bytes | None
    ) -> tuple[int | None, dict[str, str], str, Response | None]:
        """One HTTP exchange: (status, headers, error message, response when it succeeded)."""
        request = urllib.request.Request(url, data=data, method=method, headers=self._headers(data))
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as reply:
                headers = _lower(reply.headers)
                payload = reply.read()
                return reply.status, headers, "", Response(reply.status, headers, _json(payload))
        except urllib.error.HTTPError as error:
            headers = _lower(error.headers)
            payload = error.read() if error.fp is not None else b""
            return error.code, headers, _github_message(payload, error.reason), None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return None, {}, f"{method} {url}: {reason}", None

    def _headers(self, data: bytes | None) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self._token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        return headers

    def _scrub(self, message: str) -> str:
        return message.replace(self._token, "***") if self._token else message


def upsert_comment(
    client: GitHubClient, pull_number: int, body: str, marker: str
) -> tuple[str, int]:
    """Create the PR comment, or update the one carrying `marker`: ("created"|"updated", id)."""
    comments = f"{client.repo_path}/issues/{pull_number}/comments"
    for comment in client.paginate(comments):
        if isinstance(comment, Mapping) and marker in str(comment.get("body") or ""):
            comment_id = int(comment["id"])
            client.request(
                "PATCH", f"{client.repo_path}/issues/comments/{comment_id}", body={"body": body}
            )
            return "updated", comment_id
    created = client.request("POST", comments, body={"body": body})
    return "created", int(_mapping(created.data)["id"])


def open_pull_request(client: GitHubClient, head: str, base: str, title: str, body: str) -> str:
    """Open a pull request from branch `head` into `base`; its html_url."""
    created = client.request(
        "POST",
        f"{client.repo_path}/pulls",
        body={"head": head, "base": base, "title": title, "body": body},
    )
    return str(_mapping(created.data).get("html_url", ""))


def _lower(headers: Message | None) -> dict[str, str]:
    return {key.lower(): value for key, value in (headers.items() if headers else [])}


def _json(payload: bytes) -> Any:
    if not payload.strip():
        return None
    try:
        return json.loads(payload)
    except ValueError as error:
        raise GitHubError(
            None, f"the API answered with something that is not JSON: {error}"
        ) from error


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise GitHubError(None, "the API answered with something that is not a JSON object")
    return value


def _github_message(payload: bytes, reason: object) -> str:
    """GitHub's `message` from an error body (plus its docs link), else the HTTP reason."""
    try:
        document = json.loads(payload) if payload.strip() else {}
    except ValueError:
        document = {}
    if isinstance(document, dict) and document.get("message"):
        message = str(document["message"])
        if document.get("documentation_url"):
            message += f" ({document['documentation_url']})"
        return message
    return str(reason or "request failed")
