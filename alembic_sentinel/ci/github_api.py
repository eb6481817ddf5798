"""A tiny GitHub REST client over urllib: the sticky PR comment and the merge-heads pull request.

Works against github.com and GitHub Enterprise Server alike (`api_url` is GITHUB_API_URL).
Transient failures are retried a bounded number of times: 5xx, 429 and rate-limited 403s,
waiting as long as GitHub asks (Retry-After, x-ratelimit-reset) but never longer than
`MAX_WAIT` seconds. A client's whole exchange (every page, retry and wait) ends within its
`deadline`, and a listing stops at `MAX_PAGES`: a CI job should rather give up on the comment
than hang. Whatever the API answers, malformed included, a failure is one `GitHubError`: one
line with the HTTP status and GitHub's `message`, never the token.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from email.message import Message
from http.client import HTTPMessage
from typing import Any, NamedTuple

from alembic_sentinel import __version__
from alembic_sentinel.errors import SentinelError

API_VERSION = "2022-11-28"
USER_AGENT = f"alembic-sentinel/{__version__}"
MAX_WAIT = 60.0  # seconds; a CI job should rather give up on the comment than hang
# seconds for a client's whole exchange: room for one MAX_WAIT (GitHub asks for a minute on a
# secondary rate limit) and the requests around it
DEADLINE = 120.0
TIMEOUT = 30.0  # seconds for each socket operation, within the deadline
PER_PAGE = 100
MAX_PAGES = 100  # 10,000 comments: a `next` link past that is a loop, not a pull request

_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubError(SentinelError):
    """A request failed for good: `status` is the HTTP status (None: no response at all)."""

    def __init__(self, status: int | None, message: str) -> None:
        prefix = f"HTTP {status}" if status is not None else "no response"
        # one line: the message may come from the API, and it ends up in a log line
        message = " ".join(part.strip() for part in message.splitlines() if part.strip())
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


class _Cutoff:
    """Shuts down the connections of a request that is still running at its deadline.

    A socket timeout bounds each read, not the answer: a server sending a byte every few seconds
    keeps a read alive for ever. Shutting the socket down from a timer thread makes the read
    that is waiting return at once, whatever phase the answer is in.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.fired = False

    @contextmanager
    def armed(self, seconds: float) -> Iterator[None]:
        """Within the block, connections made (`track`) are cut after `seconds`."""
        with self._lock:
            self._sockets, self.fired = [], False
        timer = threading.Timer(seconds, self._fire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            with self._lock:
                self._sockets = []

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut_down(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut_down(sock)


def _shut_down(sock: socket.socket) -> None:
    try:
        # the plain socket's shutdown, also for TLS: it unblocks the reader without a TLS goodbye
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _TrackedHTTPConnection(http.client.HTTPConnection):
    """A connection whose socket the cutoff can shut when the deadline passes."""

    def __init__(self, host: str, *, cutoff: _Cutoff | None = None, **options: Any) -> None:
        super().__init__(host, **options)
        self._cutoff = cutoff

    def connect(self) -> None:
        super().connect()
        if self._cutoff is not None:
            self._cutoff.track(self.sock)


class _TrackedHTTPSConnection(_TrackedHTTPConnection, http.client.HTTPSConnection):
    """The same over TLS: HTTPSConnection.connect wraps the socket, then the cutoff tracks it."""


class _CutoffHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, cutoff: _Cutoff) -> None:
        super().__init__()
        self._cutoff = cutoff

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TrackedHTTPConnection, req, cutoff=self._cutoff)


class _CutoffHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, cutoff: _Cutoff) -> None:
        super().__init__()
        self._cutoff = cutoff

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TrackedHTTPSConnection, req, cutoff=self._cutoff)


class GitHubClient:
    """Authenticated JSON requests to one repository's REST API, with bounded retries.

    One client makes one exchange (the comment upsert, opening a pull request): `deadline`
    seconds count from its first request and cover every request, retry and wait after it.
    """

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        *,
        attempts: int = 4,
        deadline: float = DEADLINE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self.attempts = max(attempts, 1)
        self.deadline = deadline
        self._token = token
        self._sleep = sleep
        self._clock = clock
        self._monotonic = monotonic
        self._started: float | None = None
        self._cutoff = _Cutoff()
        self._opener = urllib.request.build_opener(
            _SameHostRedirects, _CutoffHTTPHandler(self._cutoff), _CutoffHTTPSHandler(self._cutoff)
        )
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
            if delay >= self._remaining():
                raise GitHubError(
                    status,
                    f"{self._scrub(message)} (no retry: it would end past the "
                    f"{self.deadline:g} s deadline)",
                )
            self._sleep(delay)

    def paginate(self, path: str, query: Mapping[str, str | int] | None = None) -> Iterator[Any]:
        """Every item of a list endpoint, following `Link: <...>; rel="next"` for at most
        `MAX_PAGES` pages (a `next` link that never ends is an error, not a wait)."""
        url = self._url(path, {"per_page": PER_PAGE, **(query or {})})
        for _ in range(MAX_PAGES):
            response = self.request("GET", url)
            if not isinstance(response.data, list):
                raise GitHubError(response.status, f"expected a list from {path}")
            yield from response.data
            following = next_link(response.headers.get("link"))
            if following is None:
                return
            url = following
        raise GitHubError(None, f"{path} has more than {MAX_PAGES} pages: giving up")

    def _url(self, path_or_url: str, query: Mapping[str, str | int] | None) -> str:
        if "://" in path_or_url:
            # the token goes only where the API lives (a Link header pointing elsewhere is refused)
            ours, theirs = urllib.parse.urlsplit(self.api_url), urllib.parse.urlsplit(path_or_url)
            if (ours.scheme, ours.netloc) != (theirs.scheme, theirs.netloc):
                where = self._scrub(theirs.netloc)
                raise GitHubError(None, f"refusing to send the token to {where}")
            url = path_or_url
        else:
            url = self.api_url + path_or_url
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        return url

    def _remaining(self) -> float:
        """Seconds left before the deadline (the clock starts at the first request)."""
        now = self._monotonic()
        if self._started is None:
            self._started = now
        return self.deadline - (now - self._started)

    def _send(
        self, method: str, url: str, data: bytes | None
    ) -> tuple[int | None, dict[str, str], str, Response | None]:
        """One HTTP exchange: (status, headers, error message, response when it succeeded)."""
        remaining = self._remaining()
        late = self._scrub(
            f"{method} {url}: no complete answer within the {self.deadline:g} s deadline"
        )
        if remaining <= 0:
            raise GitHubError(None, late)
        request = urllib.request.Request(url, data=data, method=method, headers=self._headers(data))
        with self._cutoff.armed(remaining):
            try:
                result = self._exchange(request, min(TIMEOUT, remaining))
            except GitHubError:
                if not self._cutoff.fired:
                    raise
        # once cut, even an answer that parsed may be a prefix of the real one
        if self._cutoff.fired:
            raise GitHubError(None, late)
        return result

    def _exchange(
        self, request: urllib.request.Request, timeout: float
    ) -> tuple[int | None, dict[str, str], str, Response | None]:
        try:
            with self._opener.open(request, timeout=timeout) as reply:
                headers = _lower(reply.headers)
                payload = reply.read()
                return reply.status, headers, "", Response(reply.status, headers, _json(payload))
        except urllib.error.HTTPError as error:
            headers = _lower(error.headers)
            return error.code, headers, _github_message(_error_body(error), error.reason), None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            # no usable answer: refused, reset, a bad status line, a body cut short
            return None, {}, f"{request.get_method()} {request.full_url}: {_failure(error)}", None

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
            comment_id = _comment_id(comment)
            client.request(
                "PATCH", f"{client.repo_path}/issues/comments/{comment_id}", body={"body": body}
            )
            return "updated", comment_id
    created = client.request("POST", comments, body={"body": body})
    return "created", _comment_id(_mapping(created.data))


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


def _comment_id(comment: Mapping[str, Any]) -> int:
    value = comment.get("id")
    # bool is an int in Python; an id is a positive integer and nothing else
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise GitHubError(None, "the API answered with a comment whose id is not a number")
    return value


def _error_body(error: urllib.error.HTTPError) -> bytes:
    """The body of an error answer, b"" when there is none or it cannot be read whole."""
    try:
        return error.read() if error.fp is not None else b""
    except (http.client.HTTPException, OSError, ValueError):
        return b""


def _failure(error: Exception) -> str:
    reason = getattr(error, "reason", None)
    if reason is not None:
        return str(reason)
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


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
