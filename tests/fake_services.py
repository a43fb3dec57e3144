"""A fake of SSB PxWebApi v2, SSB KLASS and NAV on pytest-httpserver, serving a recording.

``serve_recording(httpserver, root)`` serves a directory laid out like ``../shared/replay-v2``
under three prefixes of one server and returns the environment settings that point navbok at it
(``NAVBOK_SSB_URL``, ``NAVBOK_KLASS_URL``, ``NAVBOK_NAV_URL``):

* ``/ssb/tables/<id>`` (no data) → ``ssb/<id>.table.json``, else the ``updated`` and the first
  and last period of ``ssb/<id>.metadata.json`` (what ``navbok oppdater`` asks);
* ``/ssb/tables/<id>/metadata?lang=no`` → ``ssb/<id>.metadata.json`` verbatim (400 if
  ``outputFormat`` is sent); ``/ssb/tables/<id>/data`` (GET with ``valueCodes[DIM]`` or POST with
  a selection body) → ``ssb/<id>.json`` (or its ``_part<k>`` chunks joined along ``Tid``) sliced
  to the request, with SSB's 400s («Too many cells selected», «Non-existent value») and a 404
  for a GET URL that is too long;
* ``/klass/classifications/131/codesAt?date=D``, ``/klass/classifications/131/changes?from=F&to=T``,
  ``/klass/classifications/112/correspondsAt?targetClassificationId=131&date=D`` and
  ``…/112/corresponds?targetClassificationId=131&from=D&to=…`` → the matching ``klass/`` file;
  406 unless the request accepts JSON, 404 for a file that is not there;
* ``/nav`` + the AAP page path → ``nav/aap-statistikk.html``; ``/nav/_/attachment/…`` → the file
  at ``nav/`` + the decoded path.

Faults: ``serve_recording(..., faults=[fault(r"/klass/.*/codesAt", retry_after(300), times=1)])``
answers the first matching request(s) with the fault's response instead (``drip`` sends a body
one byte at a time, ``retry_after`` a 503/429 with ``Retry-After``, ``body`` any 200 answer,
``redirect`` a 302 to an address, ``redirect_loop`` a 302 back to the address asked,
``elsewhere`` a 302 to the same path on another host name of this machine).

Faults below HTTP, which no HTTP server library sends, come from :class:`RawServer`: a TCP server
on 127.0.0.1 that answers every connection with a function of the socket (``slow_headers``: the
status line and headers one byte at a time; ``held_open``: headers announcing more body than is
sent, then the connection held open). Each is bounded in time, so a client that does not give up
cannot hang a test.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fake_pxweb import (
    MAX_CELLS,
    MAX_URL,
    concat_datasets,
    data_response,
    json_response,
    metadata_response,
    problem,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from navbok.sources import nav
from navbok.sources.origin import table_info_from_metadata

_PART = re.compile(r"(?P<table>.+)_part(?P<k>\d+)\.json")


@dataclass
class Fault:
    """Answer requests whose path matches ``path`` (a regex, searched) with ``respond``;
    ``times``: only the first so many of them (None: all). ``hits`` counts the answers."""

    path: str
    respond: Callable[[Request], Response]
    times: int | None = None
    hits: int = 0

    def __call__(self, request: Request) -> Response | None:
        if not re.search(self.path, request.path):
            return None
        if self.times is not None and self.hits >= self.times:
            return None
        self.hits += 1
        return self.respond(request)


def fault(path: str, respond: Callable[[Request], Response], times: int | None = None) -> Fault:
    """A :class:`Fault` for ``serve_recording(faults=...)``."""
    return Fault(path, respond, times)


def body(
    content: bytes | str | Any, content_type: str = "application/json"
) -> Callable[[Request], Response]:
    """A 200 answer with ``content`` (bytes or text as is, anything else as JSON)."""
    if not isinstance(content, bytes | str):
        content = json.dumps(content)
    return lambda request: Response(content, content_type=content_type)


def retry_after(seconds: int | str, status: int = 503) -> Callable[[Request], Response]:
    """An answer asking the client to wait: ``status`` with ``Retry-After: seconds``."""
    return lambda request: Response(
        "Service Unavailable", status=status, headers={"Retry-After": str(seconds)}
    )


def drip(content: bytes, every: float) -> Callable[[Request], Response]:
    """A 200 answer that sends ``content`` one byte per ``every`` seconds (it stops when the
    client hangs up, so a client that gives up frees the single-threaded server)."""

    def chunks() -> Iterator[bytes]:
        for i in range(len(content)):
            yield content[i : i + 1]
            time.sleep(every)

    def respond(request: Request) -> Response:
        return Response(chunks(), content_type="application/json", direct_passthrough=True)

    return respond


def redirect(location: str, status: int = 302) -> Callable[[Request], Response]:
    """A redirect (``status``) to ``location``."""
    return lambda request: Response("", status=status, headers={"Location": location})


def redirect_loop(status: int = 302) -> Callable[[Request], Response]:
    """A redirect back to the very address asked (a loop with no end)."""
    return lambda request: Response("", status=status, headers={"Location": request.url})


def other_host(url: str) -> str:
    """``url`` on the other name of this machine: ``localhost`` ↔ ``127.0.0.1``."""
    parts = urlsplit(url)
    host = "127.0.0.1" if parts.hostname == "localhost" else "localhost"
    return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}"))


def elsewhere(status: int = 302) -> Callable[[Request], Response]:
    """A redirect to the same path and query on another host name of this machine
    (``localhost`` ↔ ``127.0.0.1``): the same server answers there, so a client that follows
    it gets the right answer from a host it never asked."""
    return lambda request: Response(
        "", status=status, headers={"Location": other_host(request.url)}
    )


# -- faults below HTTP --------------------------------------------------------------------------

RawRespond = Callable[[socket.socket], None]


def _client_gone(conn: socket.socket) -> bool:
    """Whether the client has hung up (without waiting)."""
    conn.setblocking(False)
    try:
        return conn.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        conn.setblocking(True)


def slow_headers(
    every: float, content: bytes = b"{}", limit: float = 8.0, status: str = "200 OK"
) -> RawRespond:
    """An answer whose status line and headers come one byte per ``every`` seconds (then the
    body at once). It stops when the client hangs up, and hangs up itself after ``limit``
    seconds, so a client without a deadline fails (bounded) instead of hanging the test."""
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nX-Padding: {'x' * 200}\r\n"
        f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n"
    ).encode()

    def respond(conn: socket.socket) -> None:
        end = time.monotonic() + limit
        for i in range(len(head)):
            if time.monotonic() > end or _client_gone(conn):
                return
            conn.sendall(head[i : i + 1])
            time.sleep(every)
        conn.sendall(content)

    return respond


def held_open(prefix: bytes, length: int, hold: float = 8.0) -> RawRespond:
    """Headers announcing ``length`` bytes of body, only ``prefix`` of it, and the connection
    held open (up to ``hold`` seconds, or until the client hangs up)."""
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"

    def respond(conn: socket.socket) -> None:
        conn.sendall(head.encode() + prefix)
        end = time.monotonic() + hold
        while time.monotonic() < end and not _client_gone(conn):
            time.sleep(0.05)

    return respond


class RawServer:
    """A TCP server on 127.0.0.1 (loopback only) for faults below HTTP.

    Each connection gets its own thread: the request head is read (up to its blank line), then
    ``respond(conn)`` answers, and the connection is closed. ``with RawServer(respond) as raw:``
    starts it; ``raw.url(path)`` is an address on it; ``raw.connections`` counts connections.
    """

    def __init__(self, respond: RawRespond) -> None:
        self.respond = respond
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()

    def url(self, path: str = "/") -> str:
        """``http://127.0.0.1:<port>`` + ``path``."""
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue  # look at the stop flag again
            except OSError:
                return  # closed
            self.connections += 1
            thread = threading.Thread(target=self._answer, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5.0)  # a socket accepted from a timed socket: set its own
                data = b""
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    got = conn.recv(4096)
                    if not got:
                        return
                    data += got
                conn.settimeout(None)
                self.respond(conn)
            except OSError:
                return  # the client hung up

    def __enter__(self) -> RawServer:
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)  # accept() wakes up to see the stop flag
        thread = threading.Thread(target=self._serve, daemon=True)
        self._threads.append(thread)
        thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=10)


class RecordedServices:
    """Handlers for one recorded directory (datasets are loaded once, when first asked for)."""

    def __init__(
        self,
        root: Path,
        *,
        max_cells: int = MAX_CELLS,
        max_url: int = MAX_URL,
        empty_corresponds_at: bool = False,
    ) -> None:
        self.root = Path(root)
        self.max_cells = max_cells
        self.max_url = max_url
        self.empty_corresponds_at = empty_corresponds_at
        self._datasets: dict[str, tuple[tuple, dict[str, Any]]] = {}

    # -- SSB ---------------------------------------------------------------------------------------

    def dataset(self, table: str) -> dict[str, Any] | None:
        """The recorded data of ``table`` (chunks joined), or None if there is none; read
        again when a file changed (a test that publishes a new version of a table)."""
        ssb = self.root / "ssb"
        whole = ssb / f"{table}.json"
        if whole.is_file():
            paths = [whole]
        else:
            parts = [
                (int(m.group("k")), p)
                for p in ssb.glob(f"{table}_part*.json")
                if (m := _PART.fullmatch(p.name)) and m.group("table") == table
            ]
            paths = [p for _, p in sorted(parts)]
        if not paths:
            return None
        stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
        if self._datasets.get(table, (None, None))[0] != stamp:
            docs = [json.loads(p.read_bytes()) for p in paths]
            self._datasets[table] = (stamp, concat_datasets(docs, "Tid"))
        return self._datasets[table][1]

    def ssb(self, request: Request) -> Response:
        match = re.fullmatch(r"/ssb/tables/([^/]+)(?:/(metadata|data))?", request.path)
        if not match:
            return problem(404, "Not Found")
        table, what = match.groups()
        if what is None:  # the table without data: its updated and periods
            return self.table_info(table)
        if what == "metadata":
            path = self.root / "ssb" / f"{table}.metadata.json"
            if request.method != "GET" or not path.is_file():
                return problem(404, "Non-existent table", table)
            return metadata_response(request, path.read_bytes)
        if request.args.get("outputFormat") != "json-stat2":
            return problem(400, "Non-existent outputFormat", str(request.args.get("outputFormat")))
        dataset = self.dataset(table)
        if dataset is None:
            return problem(404, "Non-existent table", table)
        return data_response(dataset, request, max_cells=self.max_cells, max_url=self.max_url)

    def table_info(self, table: str) -> Response:
        """``GET /tables/{id}``: ``ssb/<id>.table.json`` if recorded, else the id, label,
        ``updated`` and first and last period of the recorded metadata."""
        recorded = self.root / "ssb" / f"{table}.table.json"
        if recorded.is_file():
            return Response(recorded.read_bytes(), content_type="application/json")
        path = self.root / "ssb" / f"{table}.metadata.json"
        if not path.is_file():
            return problem(404, "Non-existent table", table)
        meta = json.loads(path.read_bytes())
        return json_response(
            {"id": table, "label": meta.get("label", ""), **table_info_from_metadata(meta)}
        )

    # -- KLASS -------------------------------------------------------------------------------------

    def klass(self, request: Request) -> Response:
        if "application/json" not in request.headers.get("Accept", ""):
            return Response("Not Acceptable", status=406)
        path = request.path.removeprefix("/klass")
        args = request.args
        empty = False
        if path == "/classifications/131/codesAt":
            name = f"131-codesAt-{args.get('date')}.json"
        elif path == "/classifications/131/changes":
            name = f"131-changes-{args.get('from')}-{args.get('to')}.json"
        elif path == "/classifications/112/correspondsAt":
            if args.get("targetClassificationId") != "131":
                return problem(400, "Bad Request", "targetClassificationId")
            name = f"112-correspondsAt-131-{args.get('date')}.json"
            empty = self.empty_corresponds_at
        elif path == "/classifications/112/corresponds":
            if args.get("targetClassificationId") != "131" or not args.get("to"):
                return problem(400, "Bad Request", "targetClassificationId, from, to")
            name = f"112-correspondsAt-131-{args.get('from')}.json"
        else:
            return problem(404, "Not Found", path)
        file = self.root / "klass" / name
        if not file.is_file():
            return problem(404, "Not Found", name)
        if empty:
            return json_response({"correspondenceItems": []})
        return Response(file.read_bytes(), content_type="application/json")

    # -- NAV ---------------------------------------------------------------------------------------

    def nav(self, request: Request) -> Response:
        path = request.path.removeprefix("/nav")
        if path.rstrip("/") == nav.AAP_PAGE_PATH.rstrip("/"):
            file = self.root / "nav" / "aap-statistikk.html"
            content_type = "text/html; charset=utf-8"
        elif path.startswith("/_/attachment/"):
            file = self.root / "nav" / path.lstrip("/")  # werkzeug has decoded the path
            content_type = "application/octet-stream"
        else:
            return Response("Not Found", status=404)
        root = (self.root / "nav").resolve()
        if not file.resolve().is_relative_to(root) or not file.is_file():
            return Response("Not Found", status=404)
        return Response(file.read_bytes(), content_type=content_type)


def serve_recording(
    httpserver: HTTPServer,
    root: Path,
    *,
    max_cells: int = MAX_CELLS,
    max_url: int = MAX_URL,
    empty_corresponds_at: bool = False,
    faults: Sequence[Fault] = (),
) -> dict[str, str]:
    """Serve the recorded directory ``root`` as SSB, KLASS and NAV; return the env settings.

    ``max_cells``: the fake PxWebApi's cell limit; ``max_url``: its longest GET URL;
    ``empty_corresponds_at``: answer KLASS ``correspondsAt`` with no items (the ``corresponds``
    fallback still answers with the recorded file); ``faults``: answers that replace the
    recorded ones (the first fault that matches a request answers it).
    """
    services = RecordedServices(
        root, max_cells=max_cells, max_url=max_url, empty_corresponds_at=empty_corresponds_at
    )

    def with_faults(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def respond(request: Request) -> Response:
            for f in faults:
                answer = f(request)
                if answer is not None:
                    return answer
            return handler(request)

        return respond

    for prefix, handler in (
        ("ssb", services.ssb),
        ("klass", services.klass),
        ("nav", services.nav),
    ):
        httpserver.expect_request(
            re.compile(rf"^/{prefix}(/.*)?$"), query_string=None
        ).respond_with_handler(with_faults(handler))
    base = httpserver.url_for("/").rstrip("/")
    return {
        "NAVBOK_SSB_URL": f"{base}/ssb",
        "NAVBOK_KLASS_URL": f"{base}/klass",
        "NAVBOK_NAV_URL": f"{base}/nav",
    }
