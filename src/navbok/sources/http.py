"""A small, polite HTTP client: rate limited, retrying, with messages a user can act on.

SSB allows 30 requests per minute per IP address, so by default the client waits at least
2 seconds between the starts of two requests (retries included). Transient failures (429,
5xx, timeouts, a dropped connection) are retried with exponential backoff; 503 — SSB's answer
while it updates tables — with longer waits. Other 4xx answers fail at once with the service's
own error text (:class:`HttpStatusError`). When no connection can be made at all (the name does
not resolve, the connection is refused) the client fails at once with
:class:`~navbok.errors.SourceUnreachable`: retrying would only make the user wait.

Every request has an overall deadline (``request_deadline``, 180 s by default): the body is
streamed and the request given up when the deadline passes, so a server that drips one byte at
a time cannot hang a fetch (``timeout`` alone bounds each socket read, not the request). A
whole fetch can be bounded too (:meth:`HttpClient.limit_total`): no request starts and no pause
begins that would end after that bound; :class:`FetchTimeout` says so. Every pause longer than
``announce_after`` seconds (5 s) is announced through ``notify`` before it starts («SSB ber oss
vente 300 s (Retry-After) …»).
"""

from __future__ import annotations

import email.utils
import json
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
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


class _DeadlinePassed(Exception):
    """The overall deadline of one request passed while its answer was being read."""


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
        ``request_deadline``: the most one attempt may take, body included. ``backoff``: first
        retry pause; pause ``k`` is ``backoff * 2**(k-1)``, capped at 60 s, unless the server
        sends ``Retry-After``. ``backoff_503``: the same for 503 answers (service updating),
        capped at 300 s. ``notify`` gets one line before every pause longer than
        ``announce_after`` seconds. ``max_bytes``: the largest body accepted; a larger one
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
            read_timeout = max(min(self.timeout, end - self.clock()), 0.001)
            pause: float | None = None
            status: int | None = None
            try:
                if method == "GET":
                    resp = self.session.get(
                        url, params=params, headers=headers, timeout=(self.timeout, read_timeout),
                        stream=True,
                    )  # fmt: skip
                else:
                    resp = self.session.request(
                        method, url, params=params, json=body, headers=headers,
                        timeout=(self.timeout, read_timeout), stream=True,
                    )  # fmt: skip
                try:
                    content = self._read_body(resp, end, label, shown)  # the body may time out too
                finally:
                    resp.close()
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
                if status < 400:
                    return content
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

    @staticmethod
    def _unreachable(url: str, label: str, shown: str, reason: str) -> SourceUnreachable:
        host = urlsplit(url).netloc or url
        return SourceUnreachable(
            f"{_service_name(urlsplit(url).hostname or '')} er ikke tilgjengelig (kunne ikke "
            f"koble til {host}). Sjekk nettverket, eller bruk et opptak: NAVBOK_SOURCE=DIR "
            f"navbok fetch. (Teknisk: {reason} ved henting av {label}, {shown}.)"
        )
