"""A real local HTTP server standing in for the GitHub REST API, for tests.

It serves, for one repository (default "octo/app"), under an optional path prefix (GHES uses
"/api/v3"):

    GET   /repos/{o}/{r}/issues/{n}/comments    ?per_page=&page=, with a Link header
    POST  /repos/{o}/{r}/issues/{n}/comments    {"body": ...}             -> 201
    PATCH /repos/{o}/{r}/issues/comments/{id}   {"body": ...}             -> 200
    POST  /repos/{o}/{r}/pulls                  {"head","base","title"}   -> 201

Every request must carry `Authorization: Bearer <token>` (else 401 "Bad credentials"). Every
request is recorded, in order, faults included. Usage:

    with GitHubStub() as github:                       # or GitHubStub(token=..., prefix="/api/v3")
        github.add_comments(7, ["other"] * 150)         # preloaded comments on PR 7
        github.fail(500, times=2)                       # the next two requests answer 500
        github.fail(429, headers={"Retry-After": "3"})  # then one 429
        ...  # point the code under test at github.url (GITHUB_API_URL) with github.token
        assert [r.method for r in github.requests] == [...]
        assert github.comments(7)[-1]["body"] == ...

`read_only=True` answers every POST/PATCH with 403 "Resource not accessible by integration",
like the token of a pull request from a fork.

A hostile or broken API, for the robustness tests (each queued like `fail`, `times=None` for
every request from then on):

    github.answer([{"body": "<!-- m -->"}])           # any JSON, here a comment without an id
    github.answer([], headers={"Link": f'<{github.url}/x?page=2>; rel="next"'}, times=None)
    github.answer_raw(b"HTTP/1.1 abc\r\n\r\n")          # bytes on the wire, then close
    github.drip(http_response(200, b"[]"), interval=0.2)  # one byte every 0.2 s
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_TOKEN = "stub-token-0123456789"
DEFAULT_REPOSITORY = "octo/app"
BOT = {"login": "github-actions[bot]", "type": "Bot"}


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string and without the prefix
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, None when there was no body
    status: int = 0  # what the stub answered

    @property
    def call(self) -> str:
        """`METHOD path` with the page number when there is one: handy for sequence asserts."""
        page = f"?page={self.query['page']}" if "page" in self.query else ""
        return f"{self.method} {self.path}{page}"


@dataclass
class _Answer:
    """What the stub sends back: JSON with a status, or raw bytes (dripped when `interval`)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None
    raw: bytes | None = None
    interval: float = 0.0
    drip_from: int = 0


@dataclass
class _Queued:
    answer: _Answer
    times: int | None  # None: for ever


@dataclass
class GitHubStub:
    token: str = DEFAULT_TOKEN
    repository: str = DEFAULT_REPOSITORY
    prefix: str = ""
    read_only: bool = False
    requests: list[RecordedRequest] = field(default_factory=list)
    pulls: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._comments: dict[int, list[dict[str, Any]]] = {}
        self._queue: list[_Queued] = []
        self._next_id = 1000
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> GitHubStub:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        # a short poll interval: shutdown() waits for the next poll
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GitHubStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API root to use as GITHUB_API_URL."""
        assert self._server is not None, "start the stub first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    # --- programming it -----------------------------------------------------------------------

    def add_comments(
        self, pull_number: int, bodies: Iterable[str], user: dict[str, str] | None = None
    ) -> list[int]:
        """Preload comments on a pull request; their ids, in order."""
        with self._lock:
            return [
                self._new_comment(pull_number, body, user or {"login": "someone", "type": "User"})[
                    "id"
                ]
                for body in bodies
            ]

    def fail(
        self,
        status: int,
        times: int = 1,
        *,
        headers: dict[str, str] | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` requests (after any faults queued before) with `status`."""
        default = {403: "Forbidden", 429: "Too Many Requests"}.get(status, "Server Error")
        self._enqueue(_Answer(status, dict(headers or {}), {"message": message or default}), times)

    def answer(
        self,
        payload: Any,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer the next `times` requests (None: all of them) with this JSON document."""
        self._enqueue(_Answer(status, dict(headers or {}), payload), times)

    def answer_raw(self, data: bytes, times: int | None = 1) -> None:
        """Write `data` as the whole answer, then close the connection."""
        self._enqueue(_Answer(0, raw=data), times)

    def drip(self, data: bytes, *, interval: float, start: int = 0, times: int = 1) -> None:
        """Write `data[:start]` at once, then the rest one byte every `interval` seconds."""
        self._enqueue(_Answer(0, raw=data, interval=interval, drip_from=start), times)

    def _enqueue(self, answer: _Answer, times: int | None) -> None:
        with self._lock:
            self._queue.append(_Queued(answer, times))

    def comments(self, pull_number: int) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(c) for c in self._comments.get(pull_number, [])]

    def calls(self) -> list[str]:
        """`METHOD path[?page=N]` of every request so far."""
        return [request.call for request in self.requests]

    # --- serving ------------------------------------------------------------------------------

    def _new_comment(self, pull_number: int, body: str, user: dict[str, str]) -> dict[str, Any]:
        self._next_id += 1
        comment = {
            "id": self._next_id,
            "body": body,
            "user": user,
            "html_url": f"https://github.com/{self.repository}/pull/{pull_number}#issuecomment-{self._next_id}",
        }
        self._comments.setdefault(pull_number, []).append(comment)
        return comment

    def _serve(self, request: RecordedRequest, host: str) -> _Answer:
        with self._lock:
            self.requests.append(request)
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return _Answer(401, {}, {"message": "Bad credentials"})
            if self._queue:
                queued = self._queue[0]
                if queued.times is not None:
                    queued.times -= 1
                    if queued.times <= 0:
                        self._queue.pop(0)
                return queued.answer
            return _Answer(*self._route(request, host))

    def _route(self, request: RecordedRequest, host: str) -> tuple[int, dict[str, str], Any]:
        repo = f"/repos/{self.repository}"
        if not request.path.startswith(repo + "/"):
            return 404, {}, {"message": "Not Found"}
        rest = request.path[len(repo) :]
        writes = request.method in ("POST", "PATCH")
        if writes and self.read_only:
            return 403, {}, {"message": "Resource not accessible by integration"}
        if match := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(match.group(1))
            if request.method == "GET":
                return self._list_comments(number, request, host)
            if request.method == "POST" and _has_text(request.body, "body"):
                return 201, {}, self._new_comment(number, request.body["body"], BOT)
        elif match := re.fullmatch(r"/issues/comments/(\d+)", rest):
            if request.method == "PATCH" and _has_text(request.body, "body"):
                for comment in (c for cs in self._comments.values() for c in cs):
                    if comment["id"] == int(match.group(1)):
                        comment["body"] = request.body["body"]
                        return 200, {}, comment
                return 404, {}, {"message": "Not Found"}
        elif rest == "/pulls" and request.method == "POST":
            if all(_has_text(request.body, key) for key in ("head", "base", "title")):
                number = len(self.pulls) + 1
                pull = {
                    **request.body,
                    "number": number,
                    "html_url": f"https://github.com/{self.repository}/pull/{number}",
                }
                self.pulls.append(pull)
                return 201, {}, pull
        else:
            return 404, {}, {"message": "Not Found"}
        return 422, {}, {"message": "Validation Failed"}

    def _list_comments(
        self, number: int, request: RecordedRequest, host: str
    ) -> tuple[int, dict[str, str], Any]:
        per_page = min(int(request.query.get("per_page", "30")), 100)
        page = int(request.query.get("page", "1"))
        comments = self._comments.get(number, [])
        chunk = comments[(page - 1) * per_page : page * per_page]
        headers = {}
        last = max((len(comments) + per_page - 1) // per_page, 1)
        if page < last:
            base = f"http://{host}{self.prefix}{request.path}?per_page={per_page}"
            headers["Link"] = (
                f'<{base}&page={page + 1}>; rel="next", <{base}&page={last}>; rel="last"'
            )
        return 200, headers, chunk


def http_response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """The bytes of an HTTP/1.1 answer, for `answer_raw` and `drip`."""
    lines = [f"HTTP/1.1 {status} Stub", "Content-Type: application/json"]
    lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _has_text(body: Any, key: str) -> bool:
    return isinstance(body, dict) and isinstance(body.get(key), str) and bool(body[key])


def _handler_for(stub: GitHubStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path
            if stub.prefix and path.startswith(stub.prefix):
                path = path[len(stub.prefix) :]
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            request = RecordedRequest(
                method=self.command,
                path=path,
                query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            answer = stub._serve(request, self.headers.get("Host", ""))
            request.status = answer.status
            if answer.raw is not None:
                self._write_raw(answer)
                return
            data = json.dumps(answer.payload).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _write_raw(self, answer: _Answer) -> None:
            data = answer.raw or b""
            self.close_connection = True
            try:
                self.wfile.write(data[: answer.drip_from] if answer.interval else data)
                self.wfile.flush()
                if answer.interval:
                    for index in range(answer.drip_from, len(data)):
                        time.sleep(answer.interval)
                        self.wfile.write(data[index : index + 1])
                        self.wfile.flush()
            except OSError:
                pass  # the client hung up, as it should on a dripping answer

        do_GET = do_POST = do_PATCH = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output clean; the requests are recorded instead

    return Handler


def running_stub(**options: Any) -> Iterator[GitHubStub]:
    """A started stub for a pytest fixture: `yield from running_stub()`."""
    with GitHubStub(**options) as stub:
        yield stub
