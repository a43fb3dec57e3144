"""A small, polite HTTP client: rate limited, retrying, with messages a user can act on.

SSB allows 30 requests per minute per IP address, so by default the client waits at least
2 seconds between the starts of two requests (retries included). Transient failures (429,
5xx, connection errors, timeouts) are retried with exponential backoff; other 4xx answers
fail at once with the service's own error text.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import requests
import urllib3.exceptions

from navbok import __version__
from navbok.errors import SourceError, SourceUnreachable

Params = Mapping[str, Any] | Sequence[tuple[str, Any]] | None

#: Upper bound for one exponential-backoff pause (seconds).
MAX_BACKOFF = 60.0
#: Upper bound for a pause requested by a server's ``Retry-After`` header (seconds).
MAX_RETRY_AFTER = 300.0
#: How much of an error body goes into an error message.
BODY_EXCERPT = 300

USER_AGENT = f"navbok/{__version__} (python-requests)"


def full_url(url: str, params: Params = None) -> str:
    """Return ``url`` with ``params`` encoded into its query string, as requests sends it."""
    prepared = requests.Request("GET", url, params=params).prepare()
    return prepared.url or url


def readable_url(url: str, params: Params = None) -> str:
    """Return the URL with its query string percent-decoded, for error messages."""
    return unquote(full_url(url, params))


def _is_unreachable(exc: BaseException) -> bool:
    """True if ``exc`` means no connection could be made at all (DNS failure, refused)."""
    if isinstance(exc, requests.Timeout):
        return False
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        # NameResolutionError is a subclass of NewConnectionError in urllib3 2.
        if isinstance(e, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
            return True
        if isinstance(e, BaseException):
            todo.extend([getattr(e, "reason", None), e.__cause__, e.__context__, *e.args])
    return False


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


class HttpClient:
    """GET with a minimum interval between requests, retries and clear errors.

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
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
    ) -> None:
        """Create a client.

        ``min_interval``: seconds between the starts of two requests (2.0 keeps under SSB's 30
        requests per minute). ``max_tries``: attempts per URL, retries included. ``timeout``:
        connect and read timeout in seconds. ``backoff``: first retry pause; pause ``k`` is
        ``backoff * 2**(k-1)``, capped at 60 s, unless the server sends ``Retry-After``.
        """
        if max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        self.min_interval = min_interval
        self.max_tries = max_tries
        self.timeout = timeout
        self.backoff = backoff
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

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF)

    def get_bytes(self, url: str, params: Params = None, what: str = "") -> bytes:
        """GET ``url`` with ``params`` and return the response body.

        ``what`` names the thing being fetched (for example ``"SSB table 13138"``) in error
        messages. Raises :class:`SourceUnreachable` if no connection could be made on any try,
        :class:`SourceError` on a non-retryable 4xx answer or when all tries failed.
        """
        label = what or "resource"
        shown = readable_url(url, params)
        last_problem = ""
        all_unreachable = True
        for attempt in range(1, self.max_tries + 1):
            self._wait_for_slot()
            pause: float | None = None
            try:
                resp = self.session.get(url, params=params, timeout=self.timeout)
                content = resp.content  # read the body inside the try: it may time out too
            except requests.RequestException as exc:
                all_unreachable = all_unreachable and _is_unreachable(exc)
                last_problem = f"{type(exc).__name__}: {exc}"
            else:
                all_unreachable = False
                status = resp.status_code
                if status < 400:
                    return content
                if status == 429 or status >= 500:
                    last_problem = f"HTTP {status} {resp.reason or ''}".rstrip()
                    if content.strip():
                        last_problem += f" ({_excerpt(content)})"
                    if status == 429:
                        pause = _retry_after(resp.headers.get("Retry-After"))
                else:
                    raise SourceError(
                        f"Could not download {label}: the server answered HTTP {status} "
                        f"{resp.reason or ''} for {shown}. Response: {_excerpt(content)}"
                    )
            if attempt < self.max_tries:
                self.sleep(pause if pause is not None else self._backoff(attempt))

        tries = f"{self.max_tries} {'try' if self.max_tries == 1 else 'tries'}"
        if all_unreachable:
            raise SourceUnreachable(
                f"Could not download {label}: the service is unreachable ({shown}; "
                f"{tries}; last error: {last_problem}). Check the network connection, or point "
                "navbok at a directory of recorded responses with the environment variable "
                "NAVBOK_SOURCE=DIR (e.g. NAVBOK_SOURCE=../shared/replay)."
            )
        raise SourceError(
            f"Could not download {label} from {shown} after {tries}; last problem: {last_problem}."
        )
