"""A small, polite HTTP client: rate limited, retrying, with messages a user can act on.

SSB allows 30 requests per minute per IP address, so by default the client waits at least
2 seconds between the starts of two requests (retries included). Transient failures (429,
5xx, timeouts, a dropped connection) are retried with exponential backoff; 503 — SSB's answer
while it updates tables — with longer waits. Other 4xx answers fail at once with the service's
own error text (:class:`HttpStatusError`). When no connection can be made at all (the name does
not resolve, the connection is refused) the client fails at once with
:class:`~navbok.errors.SourceUnreachable`: retrying would only make the user wait.
"""

from __future__ import annotations

import email.utils
import json
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
    text = body.decode("utf-8", errors="replace").strip()
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
    monotonic and advance when ``sleep`` is called.
    """

    def __init__(
        self,
        *,
        min_interval: float = 2.0,
        max_tries: int = 5,
        timeout: float = 60.0,
        backoff: float = 2.0,
        backoff_503: float = BACKOFF_503,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
    ) -> None:
        """Create a client.

        ``min_interval``: seconds between the starts of two requests (2.0 keeps under SSB's 30
        requests per minute). ``max_tries``: attempts per request, retries included.
        ``timeout``: connect and read timeout in seconds. ``backoff``: first retry pause; pause
        ``k`` is ``backoff * 2**(k-1)``, capped at 60 s, unless the server sends
        ``Retry-After``. ``backoff_503``: the same for 503 answers (service updating), capped
        at 300 s.
        """
        if max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        self.min_interval = min_interval
        self.max_tries = max_tries
        self.timeout = timeout
        self.backoff = backoff
        self.backoff_503 = backoff_503
        self.sleep = sleep
        self.clock = clock
        self.session = session if session is not None else requests.Session()
        if str(self.session.headers.get("User-Agent", "")).startswith("python-requests"):
            self.session.headers["User-Agent"] = USER_AGENT
        self._last_start: float | None = None

    def _wait_for_slot(self) -> None:
        """Sleep until ``min_interval`` has passed since the previous request started."""
        if self._last_start is not None:
            wait = self.min_interval - (self.clock() - self._last_start)
            if wait > 0:
                self.sleep(wait)
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
        on a non-retryable 4xx answer, :class:`SourceError` when all tries failed.
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
        last_problem = ""
        for attempt in range(1, self.max_tries + 1):
            self._wait_for_slot()
            pause: float | None = None
            status: int | None = None
            try:
                if method == "GET":
                    resp = self.session.get(
                        url, params=params, headers=headers, timeout=self.timeout
                    )
                else:
                    resp = self.session.request(
                        method, url, params=params, json=body, headers=headers,
                        timeout=self.timeout,
                    )  # fmt: skip
                content = resp.content  # read the body inside the try: it may time out too
            except requests.RequestException as exc:
                reason = _unreachable_reason(exc)
                if reason is not None:
                    raise self._unreachable(url, label, shown, reason) from exc
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
                self.sleep(pause if pause is not None else self._backoff(attempt, status))

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
