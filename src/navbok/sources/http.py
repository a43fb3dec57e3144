"""A small, polite HTTP client: rate limited, retrying, with messages a user can act on.

SSB allows 30 requests per minute per IP address, so by default the client waits at least
2 seconds between the starts of two requests (retries included). Transient failures (429,
5xx, timeouts, a dropped connection) are retried with exponential backoff; 503 — SSB's answer
while it updates tables — with longer waits. Other 4xx answers fail at once with the service's
own error text (:class:`HttpStatusError`). When no connection can be made at all (the name does
not resolve, the connection is refused) the client fails at once with
:class:`~navbok.errors.SourceUnreachable`: retrying would only make the user wait.

Every request has one overall deadline (``request_deadline``, 180 s by default) from the
connect to the last byte, the status line and the headers included: a watchdog thread
(:class:`_Watchdog`) shuts the request's connection down when it passes, so a server that sends
its headers or its body one byte at a time cannot hang a fetch (``timeout`` alone bounds each
socket read, not the request). A whole fetch can be bounded too (:meth:`HttpClient.limit_total`):
no request starts, no pause begins and no request goes on past that bound; :class:`FetchTimeout`
says so. Every pause longer than ``announce_after`` seconds (5 s) is announced through
``notify`` before it starts («SSB ber oss vente 300 s (Retry-After) …»).

Redirects are followed only within the host asked (``http`` → ``https`` on it is allowed), at
most :data:`MAX_REDIRECTS` of them: a redirect to another host, a loop or too many redirects is
refused at once (:class:`RedirectRefused`, not retried). :attr:`HttpClient.last_url` is the
address that answered the last request, for the manifest.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connectionpool
import urllib3.exceptions

from navbok import __version__
from navbok.errors import SourceError, SourceUnreachable

Params = Mapping[str, Any] | Sequence[tuple[str, Any]] | None
Headers = Mapping[str, str] | None

#: Upper bound for one exponential-backoff pause (seconds).
MAX_BACKOFF = 60.0
#: First pause after a 503 (the service is updating tables); doubled per try.
BACKOFF_503 = 30.0
#: Upper bound for one pause after a 503 (seconds).
MAX_BACKOFF_503 = 300.0
#: Upper bound for a pause requested by a server's ``Retry-After`` header (seconds).
MAX_RETRY_AFTER = 300.0
#: How much of an error body goes into an error message.
BODY_EXCERPT = 300
#: Default overall deadline of one request, body included (seconds).
REQUEST_DEADLINE = 180.0
#: Pauses longer than this (seconds) are announced through ``notify`` before they start.
ANNOUNCE_AFTER = 5.0
#: Bytes asked for per read while streaming a body.
CHUNK = 64 * 1024
#: The largest response body accepted (bytes). SSB's largest answers are a few megabytes;
#: anything this big is a wrong answer, and reading it could exhaust memory.
MAX_RESPONSE_BYTES = 500 * 1024 * 1024
#: Redirects followed within one request (all to the host asked).
MAX_REDIRECTS = 5
#: The redirect statuses that are followed (with a ``Location``).
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
#: How often a fired watchdog shuts down connections the request opens after it fired (s).
_WATCH_POLL = 0.05

USER_AGENT = f"navbok/{__version__} (python-requests)"


class HttpStatusError(SourceError):
    """The server answered with a non-retryable error status (a 4xx other than 429).

    ``status`` is the HTTP status, ``title`` the ``title`` of a JSON problem body (``""`` when
    the body has none), ``body`` the raw body.
    """

    def __init__(self, message: str, *, status: int, title: str, body: bytes) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.body = body


class FetchTimeout(SourceError):
    """The time allowed for the whole fetch (:meth:`HttpClient.limit_total`) ran out."""


class ResponseTooLarge(SourceError):
    """A response body larger than the client's ``max_bytes``: refused, not retried."""


class RedirectRefused(SourceError):
    """A redirect navbok does not follow: to another host, in a loop, or too many; not retried."""


class _DeadlinePassed(Exception):
    """The overall deadline of one request passed while its answer was being read."""


_current = threading.local()  # the watchdog of the request this thread is making, if any


class _Watchdog:
    """Ends one request at its deadline, whatever the request is waiting for.

    ``requests`` and ``urllib3`` apply their timeout to each socket operation, so a server that
    sends its status line and headers one byte every few seconds never trips it. While a
    request runs (``with`` the watchdog), every connection it takes from a pool is handed to
    :meth:`watch` (:class:`_WatchedHTTPPool`); once ``seconds`` have passed the watchdog shuts
    each of them down, and keeps doing so until the request ends, so the blocked read returns
    at once and the request fails. ``fired`` then says why it failed.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = max(seconds, 0.0)
        self.fired = False
        self._done = threading.Event()
        self._conns: list[Any] = []
        self._lock = threading.Lock()
        self._outer: _Watchdog | None = None

    def watch(self, conn: Any) -> None:
        """Watch ``conn`` (a urllib3 connection) for the rest of the request."""
        with self._lock:
            self._conns.append(conn)
        if self.fired:
            self._cut(conn)

    @staticmethod
    def _cut(conn: Any) -> None:
        sock = getattr(conn, "sock", None)
        if isinstance(sock, socket.socket):
            # already closed, or not connected yet (then the next round gets it)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _run(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.fired = True
        while True:
            with self._lock:
                conns = list(self._conns)
            for conn in conns:
                self._cut(conn)
            if self._done.wait(_WATCH_POLL):
                return

    def __enter__(self) -> _Watchdog:
        self._outer = getattr(_current, "dog", None)
        _current.dog = self
        threading.Thread(target=self._run, name="navbok-deadline", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        _current.dog = self._outer
        self._done.set()


def _watched(conn: Any) -> Any:
    dog = getattr(_current, "dog", None)
    if dog is not None:
        dog.watch(conn)
    return conn


class _WatchedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    """An HTTP pool that hands every connection it gives out to the running watchdog."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        return _watched(super()._get_conn(timeout))


class _WatchedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    """An HTTPS pool that hands every connection it gives out to the running watchdog."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        return _watched(super()._get_conn(timeout))


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter with pools whose connections a :class:`_Watchdog` can end."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


def _port(parts: Any) -> int | None:
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None


def same_host(asked: str, target: str) -> bool:
    """Whether a redirect from ``asked`` to ``target`` stays on the host asked: the same host
    name and port, or the move from ``http`` to ``https`` on the default ports."""
    try:
        a, b = urlsplit(asked), urlsplit(target)
    except ValueError:  # an address that cannot be read (a broken IPv6 host)
        return False
    if not b.hostname or (a.hostname or "").lower() != b.hostname.lower():
        return False
    if b.scheme == a.scheme:
        return _port(a) == _port(b)
    return (a.scheme, b.scheme) == ("http", "https") and _port(a) == 80 and _port(b) == 443


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _size(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB" if n >= 1024**2 else f"{n:,} bytes"


def full_url(url: str, params: Params = None) -> str:
    """Return ``url`` with ``params`` encoded into its query string, as requests sends it."""
    prepared = requests.Request("GET", url, params=params).prepare()
    return prepared.url or url


def readable_url(url: str, params: Params = None) -> str:
    """Return the URL with its query string percent-decoded, for error messages."""
    return unquote(full_url(url, params))


def _unreachable_reason(exc: BaseException) -> str | None:
    """Why no connection could be made at all (DNS failure, refused), or None if one was made."""
    if isinstance(exc, requests.Timeout):
        return None
    seen: set[int] = set()
    todo: list[Any] = [exc]
    found: str | None = None
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, urllib3.exceptions.NameResolutionError):
            return "navneoppslaget feilet"
        if isinstance(e, ConnectionRefusedError):
            return "tilkoblingen ble avvist"
        if isinstance(e, urllib3.exceptions.NewConnectionError):
            text = str(e).lower()
            if "refused" in text:
                return "tilkoblingen ble avvist"
            if "name or service" in text or "resolve" in text or "getaddrinfo" in text:
                return "navneoppslaget feilet"
            found = found or "kunne ikke opprette forbindelse"
        if isinstance(e, BaseException):
            todo.extend([getattr(e, "reason", None), e.__cause__, e.__context__, *e.args])
    return found


def _is_unreachable(exc: BaseException) -> bool:
    """True if ``exc`` means no connection could be made at all (DNS failure, refused)."""
    return _unreachable_reason(exc) is not None


def _service_name(host: str) -> str:
    host = host.lower()
    if host == "ssb.no" or host.endswith(".ssb.no"):
        return "SSB"
    if host == "nav.no" or host.endswith(".nav.no"):
        return "NAV"
    return "Tjenesten"


def _retry_after(value: str | None) -> float | None:
    """Parse a ``Retry-After`` header (seconds or an HTTP date) into seconds, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", errors="replace").split())  # one line
    if len(text) > BODY_EXCERPT:
        text = text[:BODY_EXCERPT] + "…"
    return text


def problem_title(body: bytes) -> str:
    """The ``title`` of a JSON problem body (RFC 7807, as PxWebApi v2 sends), or ``""``."""
    try:
        doc = json.loads(body)
    except ValueError:
        return ""
    if isinstance(doc, Mapping) and isinstance(doc.get("title"), str):
        return doc["title"].strip()
    return ""


class HttpClient:
    """GET and POST with a minimum interval between requests, retries and clear errors.

    ``sleep`` and ``clock`` are injectable so tests can run without waiting; ``clock`` must be
    monotonic and advance when ``sleep`` is called. The request deadline and the total bound are
    measured with ``clock`` too (a fake clock that moves only on ``sleep`` never ends a read).
    """

    def __init__(
        self,
        *,
        min_interval: float = 2.0,
        max_tries: int = 5,
        timeout: float = 60.0,
        backoff: float = 2.0,
        backoff_503: float = BACKOFF_503,
        request_deadline: float = REQUEST_DEADLINE,
        announce_after: float = ANNOUNCE_AFTER,
        notify: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        """Create a client.

        ``min_interval``: seconds between the starts of two requests (2.0 keeps under SSB's 30
        requests per minute). ``max_tries``: attempts per request, retries included.
        ``timeout``: connect and read timeout in seconds (per socket operation).
        ``request_deadline``: the most one attempt may take, from the connect to the last
        byte (status line, headers, redirects on the same host and body included).
        ``backoff``: first retry pause; pause ``k`` is ``backoff * 2**(k-1)``, capped at 60 s,
        unless the server sends ``Retry-After``. ``backoff_503``: the same for 503 answers
        (service updating), capped at 300 s. ``notify`` gets one line before every pause longer
        than ``announce_after`` seconds. ``max_bytes``: the largest body accepted; a larger one
        (announced by ``Content-Length`` or counted while it streams) is refused at once.
        """
        if max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        self.min_interval = min_interval
        self.max_tries = max_tries
        self.timeout = timeout
        self.backoff = backoff
        self.backoff_503 = backoff_503
        self.request_deadline = request_deadline
        self.announce_after = announce_after
        self.notify = notify
        self.sleep = sleep
        self.clock = clock
        self.max_bytes = max_bytes
        self.session = session if session is not None else requests.Session()
        if str(self.session.headers.get("User-Agent", "")).startswith("python-requests"):
            self.session.headers["User-Agent"] = USER_AGENT
        for prefix in ("http://", "https://"):  # pools whose connections the deadline can end
            if type(self.session.adapters.get(prefix)) is requests.adapters.HTTPAdapter:
                self.session.mount(prefix, _WatchedAdapter())
        #: The address (with its query) that answered the last request: the one asked for, or
        #: where a redirect on the same host led.
        self.last_url = ""
        self._last_start: float | None = None
        self._total_end: float | None = None
        self._total_text = ""

    def limit_total(self, seconds: float | None, text: str = "") -> None:
        """Allow every request from now on ``seconds`` in all (None: no bound).

        ``text`` says how the user sets the bound; it ends the :class:`FetchTimeout` message.
        """
        self._total_end = None if seconds is None else self.clock() + seconds
        self._total_text = text

    def _total_left(self) -> float | None:
        return None if self._total_end is None else self._total_end - self.clock()

    def _advice(self) -> str:
        return f"Prøv igjen senere{', eller ' + self._total_text if self._total_text else ''}."

    def _out_of_time(self, label: str, doing: str) -> FetchTimeout:
        return FetchTimeout(
            f"Tiden for hentingen er brukt opp {doing} ({label}); ingenting er endret. "
            + self._advice()
        )

    def _pause(self, seconds: float, label: str, line: str = "") -> None:
        """Sleep ``seconds``. ``line`` (the announcement, «SSB ber oss vente …») goes to
        ``notify`` first when the pause is long; a pause that would outlast the total bound
        fails at once instead."""
        line = line or f"Venter {seconds:.0f} s før neste forespørsel ({label})"
        left = self._total_left()
        if left is not None and seconds > left:
            raise FetchTimeout(
                f"{line}, men tiden for hentingen går ut om {max(left, 0):.0f} s; ingenting er "
                f"endret. {self._advice()}"
            )
        if seconds > self.announce_after and self.notify is not None:
            self.notify(f"{line} …")
        self.sleep(seconds)

    def _wait_for_slot(self, label: str) -> None:
        """Sleep until ``min_interval`` has passed since the previous request started."""
        left = self._total_left()
        if left is not None and left <= 0:
            raise self._out_of_time(label, "før neste forespørsel")
        if self._last_start is not None:
            wait = self.min_interval - (self.clock() - self._last_start)
            if wait > 0:
                self._pause(wait, label)
        self._last_start = self.clock()

    def _backoff(self, attempt: int, status: int | None = None) -> float:
        if status == 503:
            return min(self.backoff_503 * 2 ** (attempt - 1), MAX_BACKOFF_503)
        return min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF)

    def get_bytes(
        self, url: str, params: Params = None, what: str = "", headers: Headers = None
    ) -> bytes:
        """GET ``url`` with ``params`` and return the response body.

        ``what`` names the thing being fetched (for example ``"SSB table 13138"``) in error
        messages; ``headers`` are sent with this request only. Raises
        :class:`SourceUnreachable` at once if no connection can be made, :class:`HttpStatusError`
        on a non-retryable 4xx answer, :class:`FetchTimeout` when the total bound is reached,
        :class:`SourceError` when all tries failed.
        """
        return self._request("GET", url, params, None, what, headers)

    def post_json(
        self,
        url: str,
        params: Params = None,
        body: Any = None,
        what: str = "",
        headers: Headers = None,
    ) -> bytes:
        """POST ``body`` as JSON to ``url`` with ``params``; return the response body.

        Same rate limit, retries and errors as :meth:`get_bytes`.
        """
        return self._request("POST", url, params, body, what, headers)

    def _too_large(self, label: str, shown: str, size: str) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"Refused to download {label} from {shown}: the answer is {size}, over the "
            f"limit of {_size(self.max_bytes)}; navbok expects no answer this large (check the "
            "address and the query)."
        )

    def _read_body(self, resp: requests.Response, end: float, label: str, shown: str) -> bytes:
        """Stream the body of ``resp``; raise :class:`_DeadlinePassed` once ``end`` passes.

        Each read returns what has arrived (at most :data:`CHUNK` bytes) and the socket's read
        timeout is cut to the time left, so a body that trickles in stops at the deadline. A
        body larger than ``max_bytes`` is refused (:class:`ResponseTooLarge`) before it fills
        memory: at once when ``Content-Length`` says so, else as soon as the count passes it.
        """
        try:
            announced = int(resp.headers.get("Content-Length") or -1)
        except (TypeError, ValueError):
            announced = -1
        if announced > self.max_bytes:
            raise self._too_large(label, shown, f"{_size(announced)} (Content-Length)")
        raw = resp.raw
        if raw is None or not hasattr(raw, "read1"):
            content = resp.content  # not a streamed urllib3 response (a test double)
            if len(content) > self.max_bytes:
                raise self._too_large(label, shown, _size(len(content)))
            return content
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        parts: list[bytes] = []
        total = 0
        while True:
            left = end - self.clock()
            if left <= 0:
                raise _DeadlinePassed
            if isinstance(sock, socket.socket):
                sock.settimeout(max(min(left, self.timeout), 0.001))
            try:
                data = raw.read1(CHUNK, decode_content=True)
            except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
                if self.clock() >= end:
                    raise _DeadlinePassed from exc
                raise requests.Timeout(f"read timed out after {self.timeout:g} s") from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise requests.ConnectionError(f"{type(exc).__name__}: {exc}") from exc
            if not data:
                return b"".join(parts)
            total += len(data)
            if total > self.max_bytes:
                raise self._too_large(label, shown, f"more than {_size(total)}")
            parts.append(data)

    def _request(
        self,
        method: str,
        url: str,
        params: Params,
        body: Any,
        what: str,
        headers: Headers,
    ) -> bytes:
        label = what or "resource"
        shown = readable_url(url, params)
        if method != "GET":
            shown = f"{method} {shown}"
        service = _service_name(urlsplit(url).hostname or "")
        last_problem = ""
        for attempt in range(1, self.max_tries + 1):
            self._wait_for_slot(label)
            end = self.clock() + self.request_deadline
            total_left = self._total_left()
            by_total = total_left is not None and total_left < self.request_deadline
            if total_left is not None:
                end = min(end, self.clock() + total_left)
            pause: float | None = None
            status: int | None = None
            try:
                # one deadline from the connect to the last byte, headers and redirects included
                with _Watchdog(end - self.clock()) as dog:
                    try:
                        resp, content, answered = self._exchange(
                            method, url, params, body, headers, end, label, shown, service
                        )
                    except requests.RequestException:
                        if dog.fired:
                            raise _DeadlinePassed from None
                        raise
                    if dog.fired:  # cut off: what arrived may be only part of the answer
                        raise _DeadlinePassed
            except _DeadlinePassed:
                if by_total:
                    raise self._out_of_time(label, "mens svaret ble lest") from None
                last_problem = (
                    f"the answer was not complete after {self.request_deadline:g} s "
                    "(the server sends too slowly)"
                )
            except requests.RequestException as exc:
                reason = _unreachable_reason(exc)
                if reason is not None:
                    raise self._unreachable(url, label, shown, reason) from exc
                if by_total and self.clock() >= end:
                    raise self._out_of_time(label, "mens svaret ble lest") from exc
                last_problem = f"{type(exc).__name__}: {exc}"
            else:
                status = resp.status_code
                if status < 300:
                    self.last_url = answered
                    return content
                if status < 400:
                    raise SourceError(
                        f"Could not download {label}: the server answered HTTP {status} "
                        f"{resp.reason or ''} for {shown} without an address to follow."
                    )
                if status == 429 or status >= 500:
                    last_problem = f"HTTP {status} {resp.reason or ''}".rstrip()
                    if content.strip():
                        last_problem += f" ({_excerpt(content)})"
                    pause = _retry_after(resp.headers.get("Retry-After"))
                else:
                    title = problem_title(content)
                    said = f" «{title}»" if title else ""
                    raise HttpStatusError(
                        f"Could not download {label}: the server answered HTTP {status} "
                        f"{resp.reason or ''}{said} for {shown}. Response: {_excerpt(content)}",
                        status=status,
                        title=title,
                        body=content,
                    )
            if attempt < self.max_tries:
                if pause is not None:
                    line = f"{service} ber oss vente {pause:.0f} s (Retry-After) før neste forsøk"
                else:
                    pause = self._backoff(attempt, status)
                    if status is not None:
                        why = f"svarte HTTP {status}"
                    elif last_problem.startswith("the answer"):
                        why = "sendte svaret for sakte"
                    else:
                        why = f"svarte ikke ({last_problem.split(':')[0]})"
                    line = f"{service} {why}; venter {pause:.0f} s før neste forsøk"
                where = f"forsøk {attempt + 1} av {self.max_tries}, {label}"
                self._pause(pause, label, f"{line} ({where})")

        tries = f"{self.max_tries} {'try' if self.max_tries == 1 else 'tries'}"
        raise SourceError(
            f"Could not download {label} from {shown} after {tries}; last problem: {last_problem}."
        )

    def _exchange(
        self,
        method: str,
        url: str,
        params: Params,
        body: Any,
        headers: Headers,
        end: float,
        label: str,
        shown: str,
        service: str,
    ) -> tuple[requests.Response, bytes, str]:
        """One attempt: the request, the redirects it is sent on, and its answer to the last
        byte. Returns the last response, its body and the address that answered.

        A redirect is followed only to the host asked (:func:`same_host`); a redirect to
        another host, back to an address already visited, or more than :data:`MAX_REDIRECTS`
        of them raise :class:`RedirectRefused`. A 303 (and a 301/302 after a POST) continues
        as a GET without the body, as browsers and requests do.
        """
        chain: list[str] = []
        here, here_params, here_method, here_body = url, params, method, body
        while True:
            left = max(end - self.clock(), 0.001)
            timeout = (min(self.timeout, left), min(self.timeout, left))
            extra: dict[str, Any] = {} if here_method == "GET" else {"json": here_body}
            resp = self.session.request(
                here_method, here, params=here_params, headers=headers, timeout=timeout,
                stream=True, allow_redirects=False, **extra,
            )  # fmt: skip
            answered = str(resp.url or full_url(here, here_params))
            location = resp.headers.get("Location")
            if resp.status_code not in REDIRECT_STATUSES or not location:
                try:
                    content = self._read_body(resp, end, label, shown)  # may time out too
                finally:
                    resp.close()
                return resp, content, answered
            resp.close()
            chain.append(answered)
            try:
                target = full_url(urljoin(answered, location.strip()))
            except (ValueError, requests.RequestException) as exc:
                raise RedirectRefused(
                    f"{service} sendte {label} videre til en ugyldig adresse ({location!r}); "
                    f"ikke forsøkt igjen. Sjekk adressen ({shown}), eller prøv igjen senere."
                ) from exc
            self._check_redirect(url, target, chain, label, shown, service)
            if resp.status_code == 303 or (resp.status_code in (301, 302) and here_method != "GET"):
                here_method, here_body = "GET", None
            here, here_params = target, None

    @staticmethod
    def _check_redirect(
        url: str, target: str, chain: list[str], label: str, shown: str, service: str
    ) -> None:
        """Refuse a redirect to ``target`` that leaves the host of ``url``, returns to an
        address of ``chain`` (the addresses that sent redirects so far) or is one too many."""
        path = " → ".join(unquote(u) for u in [*chain, target])
        if not same_host(url, target):
            raise RedirectRefused(
                f"{service} sendte {label} videre til en annen vert ({_host(target)}): {path}. "
                f"navbok følger bare omdirigeringer innen {_host(url)}; sjekk adressen "
                f"({shown}) og innstillingene NAVBOK_SSB_URL, NAVBOK_KLASS_URL og NAVBOK_NAV_URL."
            )
        if target in chain:
            raise RedirectRefused(
                f"{service} sendte {label} i en omdirigeringsløkke ({path}); ikke forsøkt igjen. "
                f"Sjekk adressen ({shown}), eller prøv igjen senere."
            )
        if len(chain) > MAX_REDIRECTS:
            raise RedirectRefused(
                f"{service} sendte {label} videre mer enn {MAX_REDIRECTS} ganger ({path}); ikke "
                f"forsøkt igjen. Sjekk adressen ({shown}), eller prøv igjen senere."
            )

    @staticmethod
    def _unreachable(url: str, label: str, shown: str, reason: str) -> SourceUnreachable:
        host = urlsplit(url).netloc or url
        return SourceUnreachable(
            f"{_service_name(urlsplit(url).hostname or '')} er ikke tilgjengelig (kunne ikke "
            f"koble til {host}). Sjekk nettverket, eller bruk et opptak: NAVBOK_SOURCE=DIR "
            f"navbok fetch. (Teknisk: {reason} ved henting av {label}, {shown}.)"
        )
