"""Behaviour of the polite HTTP client against a real local HTTP server (no real waiting)."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest
import requests
import urllib3
import urllib3.connection
import urllib3.exceptions
from fake_pxweb import FakeTime
from fake_services import (
    RawServer,
    drip,
    elsewhere,
    held_open,
    other_host,
    redirect,
    redirect_loop,
    slow_headers,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from navbok.errors import SourceError, SourceUnreachable
from navbok.sources.http import (
    FetchTimeout,
    HttpClient,
    HttpStatusError,
    RedirectRefused,
    same_host,
)

PATH = "/tables/13138/data"
WHAT = "SSB table 13138"
PARAMS = {"lang": "no", "valueCodes[Tid]": "2015,2016"}


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def client(fake: FakeTime, **kwargs: Any) -> HttpClient:
    return HttpClient(sleep=fake.sleep, clock=fake.clock, **kwargs)  # type: ignore[arg-type]


def test_success_returns_body_and_sends_query(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data(b'{"ok": 1}')
    body = client(fake).get_bytes(httpserver.url_for(PATH), PARAMS, what=WHAT)
    assert body == b'{"ok": 1}'
    ((request, _),) = httpserver.log
    assert request.args["valueCodes[Tid]"] == "2015,2016"
    assert request.headers["User-Agent"].startswith("navbok/")
    assert fake.sleeps == []


def test_429_then_200_honours_retry_after(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(b"data")
    body = client(fake, min_interval=2.0).get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert body == b"data"
    # 7 s from Retry-After; the rate limit needs no extra pause after that.
    assert fake.sleeps == [7.0]
    assert len(httpserver.log) == 2


def test_429_without_retry_after_uses_backoff(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data("", status=429)
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(b"data")
    assert client(fake, backoff=3.0).get_bytes(httpserver.url_for(PATH)) == b"data"
    assert fake.sleeps == [3.0]


def test_500_then_200(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data("oops", status=500)
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(b"data")
    assert client(fake, backoff=2.0).get_bytes(httpserver.url_for(PATH), what=WHAT) == b"data"
    assert fake.sleeps == [2.0]


def test_persistent_500_gives_up_after_max_tries(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data("down", status=500)
    http = client(fake, max_tries=4, backoff=2.0, min_interval=2.0)
    with pytest.raises(SourceError) as info:
        http.get_bytes(httpserver.url_for(PATH), PARAMS, what=WHAT)
    assert not isinstance(info.value, SourceUnreachable)
    message = str(info.value)
    assert WHAT in message
    assert "4 tries" in message
    assert "500" in message
    assert "valueCodes[Tid]=2015,2016" in message
    assert len(httpserver.log) == 4
    assert fake.sleeps == [2.0, 4.0, 8.0]


def test_backoff_is_capped_at_60_seconds(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data("down", status=502)
    with pytest.raises(SourceError):
        client(fake, max_tries=4, backoff=40.0).get_bytes(httpserver.url_for(PATH))
    assert fake.sleeps == [40.0, 60.0, 60.0]


def test_timeout_is_retried_then_fails(httpserver: HTTPServer, fake: FakeTime) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.3)
        return Response("late")

    httpserver.expect_request(PATH, query_string=None).respond_with_handler(slow)
    http = client(fake, max_tries=2, timeout=0.05, backoff=1.0, min_interval=1.0)
    try:
        with pytest.raises(SourceError) as info:
            http.get_bytes(httpserver.url_for(PATH), what=WHAT)
    finally:
        # Let the (single-threaded) server finish both abandoned requests so that none of them
        # leaks into the next test.
        deadline = time.monotonic() + 3
        while len(httpserver.log) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert not isinstance(info.value, SourceUnreachable)
    message = str(info.value)
    assert WHAT in message and "2 tries" in message and "Timeout" in message
    assert fake.sleeps == [1.0]
    assert len(httpserver.log) == 2


def test_400_fails_at_once_with_status_and_body(httpserver: HTTPServer, fake: FakeTime) -> None:
    error = {"title": "Bad Request", "status": 400, "detail": "Non-existent value 1999 for Tid"}
    httpserver.expect_request(PATH, query_string=None).respond_with_data(
        json.dumps(error), status=400, content_type="application/problem+json"
    )
    with pytest.raises(SourceError) as info:
        client(fake).get_bytes(httpserver.url_for(PATH), PARAMS, what=WHAT)
    message = str(info.value)
    assert WHAT in message
    assert "400" in message
    assert "Non-existent value 1999 for Tid" in message
    assert httpserver.url_for(PATH) in message and "valueCodes[Tid]=2015,2016" in message
    assert len(httpserver.log) == 1
    assert fake.sleeps == []


def test_long_error_body_is_shortened(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data("x" * 5000, status=404)
    with pytest.raises(SourceError) as info:
        client(fake).get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert "404" in str(info.value)
    assert "x" * 300 in str(info.value)
    assert "x" * 301 not in str(info.value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_fails_at_once_with_advice_first(fake: FakeTime) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    with pytest.raises(SourceUnreachable) as info:
        client(fake, max_tries=3, backoff=2.0).get_bytes(url, PARAMS, what=WHAT)
    message = str(info.value)
    assert message.startswith(
        f"Tjenesten er ikke tilgjengelig (kunne ikke koble til 127.0.0.1:{port}). "
        "Sjekk nettverket, eller bruk et opptak: NAVBOK_SOURCE=DIR navbok fetch."
    )
    assert "tilkoblingen ble avvist" in message
    assert WHAT in message and "valueCodes[Tid]=2015,2016" in message
    assert fake.sleeps == []  # one try, no backoff


def test_post_connection_refused_fails_at_once(fake: FakeTime) -> None:
    url = f"http://127.0.0.1:{free_port()}{PATH}"
    with pytest.raises(SourceUnreachable):
        client(fake, max_tries=3).post_json(url, {"lang": "no"}, {"selection": []}, what=WHAT)
    assert fake.sleeps == []


class FailingSession(requests.Session):
    """A session whose every request fails the way ``requests`` reports a DNS failure."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        pool = urllib3.HTTPSConnectionPool("data.ssb.no", 443)
        conn = urllib3.connection.HTTPSConnection("data.ssb.no", 443)
        reason = urllib3.exceptions.NameResolutionError(
            "data.ssb.no", conn, socket.gaierror(-2, "Name or service not known")
        )
        raise requests.ConnectionError(
            urllib3.exceptions.MaxRetryError(pool, "/api", reason=reason)
        )


def test_name_resolution_failure_fails_at_once(fake: FakeTime) -> None:
    session = FailingSession()
    http = HttpClient(sleep=fake.sleep, clock=fake.clock, max_tries=5, session=session)
    with pytest.raises(SourceUnreachable) as info:
        http.get_bytes("https://data.ssb.no/api/pxwebapi/v2/tables/13995/metadata", what=WHAT)
    message = str(info.value)
    assert message.startswith(
        "SSB er ikke tilgjengelig (kunne ikke koble til data.ssb.no). Sjekk nettverket"
    )
    assert "navneoppslaget feilet" in message
    assert len(message) < 400
    assert session.calls == 1 and fake.sleeps == []


def test_503_waits_longer_than_other_5xx(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data("updating", status=503)
    with pytest.raises(SourceError) as info:
        client(fake, max_tries=5, backoff=2.0).get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert "503" in str(info.value) and "5 tries" in str(info.value)
    assert fake.sleeps == [30.0, 60.0, 120.0, 240.0]


def test_503_backoff_is_capped_and_honours_retry_after(
    httpserver: HTTPServer, fake: FakeTime
) -> None:
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(
        "updating", status=503, headers={"Retry-After": "45"}
    )
    for _ in range(3):
        httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(
            "updating", status=503
        )
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(b"data")
    http = client(fake, max_tries=5, backoff_503=100.0)
    assert http.get_bytes(httpserver.url_for(PATH)) == b"data"
    assert fake.sleeps == [45.0, 200.0, 300.0, 300.0]


def test_500_and_503_backoff_compared(httpserver: HTTPServer) -> None:
    waits: dict[int, list[float]] = {}
    for status in (500, 503):
        fake = FakeTime()
        httpserver.clear()
        httpserver.expect_request(PATH, query_string=None).respond_with_data("", status=status)
        with pytest.raises(SourceError):
            client(fake, max_tries=3).get_bytes(httpserver.url_for(PATH))
        waits[status] = fake.sleeps
    assert all(b > a for a, b in zip(waits[500], waits[503], strict=True))


def test_post_json_sends_body_params_and_headers(httpserver: HTTPServer, fake: FakeTime) -> None:
    body = {"selection": [{"variableCode": "Tid", "valueCodes": ["*"]}]}
    httpserver.expect_ordered_request(PATH, method="POST", query_string=None).respond_with_data(
        "", status=500
    )
    httpserver.expect_ordered_request(PATH, method="POST", query_string=None).respond_with_data(
        b"posted"
    )
    http = client(fake, backoff=1.0, min_interval=0.0)
    got = http.post_json(
        httpserver.url_for(PATH), {"lang": "no"}, body, what=WHAT, headers={"X-Test": "1"}
    )
    assert got == b"posted"
    assert fake.sleeps == [1.0]  # retried like a GET
    for request, _ in httpserver.log:
        assert request.method == "POST"
        assert request.args["lang"] == "no"
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["X-Test"] == "1"
        assert json.loads(request.get_data()) == body


def test_headers_are_sent_with_one_call_only(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data(b"ok")
    http = client(fake)
    http.get_bytes(httpserver.url_for(PATH), headers={"Accept": "application/json"})
    http.get_bytes(httpserver.url_for(PATH))
    (first, _), (second, _) = httpserver.log
    assert first.headers["Accept"] == "application/json"
    assert second.headers.get("Accept") != "application/json"


def test_400_title_is_in_the_error(httpserver: HTTPServer, fake: FakeTime) -> None:
    problem = {"type": "about:blank", "title": "Non-existent value", "status": 400}
    httpserver.expect_request(PATH, query_string=None).respond_with_json(problem, status=400)
    with pytest.raises(HttpStatusError) as info:
        client(fake).get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert info.value.status == 400 and info.value.title == "Non-existent value"
    assert "«Non-existent value»" in str(info.value)
    assert len(httpserver.log) == 1


def test_rate_limit_spaces_request_starts(httpserver: HTTPServer, fake: FakeTime) -> None:
    starts: list[float] = []

    def record(request: Request) -> Response:
        starts.append(fake.now)
        return Response("ok")

    httpserver.expect_request(PATH, query_string=None).respond_with_handler(record)
    http = client(fake, min_interval=2.0)
    url = httpserver.url_for(PATH)
    http.get_bytes(url)
    fake.now += 0.5  # some work between requests
    http.get_bytes(url)
    http.get_bytes(url)
    fake.now += 5.0  # long enough: no pause needed
    http.get_bytes(url)
    assert fake.sleeps == pytest.approx([1.5, 2.0])
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert all(gap >= 2.0 - 1e-9 for gap in gaps)


def test_rate_limit_applies_to_retries(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data("", status=500)
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(b"ok")
    http = client(fake, min_interval=2.0, backoff=0.5)
    assert http.get_bytes(httpserver.url_for(PATH)) == b"ok"
    # 0.5 s backoff, then 1.5 s more to respect the 2 s minimum interval.
    assert fake.sleeps == pytest.approx([0.5, 1.5])


def test_invalid_max_tries() -> None:
    with pytest.raises(ValueError):
        HttpClient(max_tries=0)


# -- deadlines and announced waits ----------------------------------------------------------------


def test_a_dripping_body_is_given_up_at_the_request_deadline(httpserver: HTTPServer) -> None:
    """The socket timeout bounds each read only: one byte per 0.2 s never trips it."""
    httpserver.expect_request(PATH, query_string=None).respond_with_handler(
        drip(b'{"value": [1, 2, 3]}' * 20, every=0.2)
    )
    fake = FakeTime()  # waits are faked; the deadline runs on the real clock
    http = HttpClient(sleep=fake.sleep, max_tries=2, timeout=5.0, request_deadline=0.8)
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        http.get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert time.monotonic() - start < 3.0  # two tries of 0.8 s, not 80 s of dripping
    message = str(info.value)
    assert f"Could not download {WHAT}" in message and "2 tries" in message
    assert "not complete after 0.8 s (the server sends too slowly)" in message


def test_a_body_that_arrives_in_time_is_whole(httpserver: HTTPServer, fake: FakeTime) -> None:
    content = bytes(range(256)) * 2000  # 512 kB: many reads
    httpserver.expect_request(PATH, query_string=None).respond_with_data(content)
    assert client(fake, request_deadline=30.0).get_bytes(httpserver.url_for(PATH)) == content


def test_long_waits_are_announced_short_ones_not(httpserver: HTTPServer, fake: FakeTime) -> None:
    for wait in ("300", "3"):
        httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(
            "slow down", status=429, headers={"Retry-After": wait}
        )
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data("down", status=503)
    httpserver.expect_ordered_request(PATH, query_string=None).respond_with_data(b"data")
    lines: list[str] = []
    http = client(fake, max_tries=4, backoff_503=30.0, notify=lines.append)
    assert http.get_bytes(httpserver.url_for(PATH), what=WHAT) == b"data"
    assert fake.sleeps == [300.0, 3.0, 120.0]
    assert lines == [
        f"Tjenesten ber oss vente 300 s (Retry-After) før neste forsøk (forsøk 2 av 4, {WHAT}) …",
        f"Tjenesten svarte HTTP 503; venter 120 s før neste forsøk (forsøk 4 av 4, {WHAT}) …",
    ]


def test_a_wait_past_the_total_bound_fails_at_once(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data(
        "updating", status=503, headers={"Retry-After": "300"}
    )
    lines: list[str] = []
    http = client(fake, max_tries=5, notify=lines.append)
    http.limit_total(120.0, "gi mer tid")
    with pytest.raises(FetchTimeout) as info:
        http.get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert fake.sleeps == [] and lines == [] and len(httpserver.log) == 1
    assert str(info.value) == (
        f"Tjenesten ber oss vente 300 s (Retry-After) før neste forsøk (forsøk 2 av 5, {WHAT}), "
        "men tiden for hentingen går ut om 120 s; ingenting er endret. Prøv igjen senere, eller "
        "gi mer tid."
    )
    # Once the bound has passed no request starts; lifting it lets them through again.
    fake.now += 121
    with pytest.raises(FetchTimeout, match=f"brukt opp før neste forespørsel \\({WHAT}\\)"):
        http.get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert len(httpserver.log) == 1
    http.limit_total(None)
    httpserver.clear()
    httpserver.expect_request(PATH, query_string=None).respond_with_data(b"ok")
    assert http.get_bytes(httpserver.url_for(PATH)) == b"ok"


def test_an_error_body_becomes_one_line(httpserver: HTTPServer, fake: FakeTime) -> None:
    page = "<html>\n<body>\n  <h1>Not Found</h1>\n</body>\n</html>\n"
    httpserver.expect_request(PATH, query_string=None).respond_with_data(page, status=404)
    with pytest.raises(HttpStatusError) as info:
        client(fake).get_bytes(httpserver.url_for(PATH), what=WHAT)
    assert "\n" not in str(info.value)
    assert str(info.value).endswith("Response: <html> <body> <h1>Not Found</h1> </body> </html>")


# -- one deadline from the connect to the last byte (issue 26, item 5) ---------------------------


def test_headers_sent_byte_by_byte_are_given_up_at_the_request_deadline() -> None:
    """urllib3's timeout bounds each socket read: a header byte every 0.1 s never trips it."""
    fake = FakeTime()  # waits are faked; the deadline runs on the real clock
    with RawServer(slow_headers(every=0.1)) as raw:
        http = HttpClient(sleep=fake.sleep, max_tries=2, timeout=5.0, request_deadline=0.8)
        start = time.monotonic()
        with pytest.raises(SourceError) as info:
            http.get_bytes(raw.url(PATH), what=WHAT)
        took = time.monotonic() - start
    assert took < 3.0  # two tries of 0.8 s, not the 30 s the headers take
    message = str(info.value)
    assert (
        "2 tries" in message and "not complete after 0.8 s (the server sends too slowly)" in message
    )
    assert raw.connections == 2


def test_headers_sent_byte_by_byte_end_at_the_bound_of_the_whole_fetch() -> None:
    with RawServer(slow_headers(every=0.1)) as raw:
        http = HttpClient(max_tries=5, timeout=60.0)  # the default 180 s request deadline
        http.limit_total(0.8, "gi mer tid")
        start = time.monotonic()
        with pytest.raises(FetchTimeout) as info:
            http.get_bytes(raw.url(PATH), what=WHAT)
        assert time.monotonic() - start < 2.5
    assert str(info.value) == (
        f"Tiden for hentingen er brukt opp mens svaret ble lest ({WHAT}); ingenting er endret. "
        "Prøv igjen senere, eller gi mer tid."
    )


def test_a_short_body_held_open_is_given_up_at_the_request_deadline() -> None:
    with RawServer(held_open(b'{"value": [1, 2', length=5000)) as raw:
        http = HttpClient(sleep=FakeTime().sleep, max_tries=1, timeout=5.0, request_deadline=0.8)
        start = time.monotonic()
        with pytest.raises(SourceError, match=r"not complete after 0\.8 s"):
            http.get_bytes(raw.url(PATH), what=WHAT)
        assert time.monotonic() - start < 2.5


def test_the_watchdog_leaves_a_quick_answer_and_the_next_request_alone(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_data(b"ok")
    http = HttpClient(min_interval=0, request_deadline=0.3)
    assert http.get_bytes(httpserver.url_for(PATH)) == b"ok"
    time.sleep(0.4)  # past the first request's deadline: its watchdog has ended with it
    assert http.get_bytes(httpserver.url_for(PATH)) == b"ok"


# -- redirects: the same host only, loops named (issue 26, item 7) -------------------------------


def test_a_redirect_on_the_same_host_is_followed_and_who_answered_recorded(
    httpserver: HTTPServer, fake: FakeTime
) -> None:
    httpserver.expect_request("/old", query_string=None).respond_with_handler(redirect("/new?x=1"))
    httpserver.expect_request("/new", query_string=None).respond_with_data(b"moved")
    http = client(fake)
    assert http.get_bytes(httpserver.url_for("/old"), {"a": "b"}, what=WHAT) == b"moved"
    assert http.last_url == httpserver.url_for("/new") + "?x=1"
    assert [r.path for r, _ in httpserver.log] == ["/old", "/new"]


def test_a_303_after_a_post_continues_as_a_get(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/form", method="POST").respond_with_handler(
        redirect("/result", status=303)
    )
    httpserver.expect_request("/result", method="GET").respond_with_data(b"result")
    assert client(fake).post_json(httpserver.url_for("/form"), body={"a": 1}) == b"result"


def test_a_redirect_to_another_host_is_refused_at_once(
    httpserver: HTTPServer, fake: FakeTime
) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_handler(elsewhere())
    url = httpserver.url_for(PATH)
    with pytest.raises(RedirectRefused) as info:
        client(fake, max_tries=5).get_bytes(url, what=WHAT)
    message = str(info.value)
    assert message.startswith(f"Tjenesten sendte {WHAT} videre til en annen vert")
    assert other_host(url) in message and "\n" not in message
    assert len(httpserver.log) == 1 and fake.sleeps == []  # not followed, not retried


def test_a_redirect_loop_is_named_and_not_retried(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(PATH, query_string=None).respond_with_handler(redirect_loop())
    url = httpserver.url_for(PATH)
    with pytest.raises(RedirectRefused) as info:
        client(fake, max_tries=5).get_bytes(url, what=WHAT)
    assert str(info.value) == (
        f"Tjenesten sendte {WHAT} i en omdirigeringsløkke ({url} → {url}); ikke forsøkt igjen. "
        f"Sjekk adressen ({url}), eller prøv igjen senere."
    )
    assert len(httpserver.log) == 1 and fake.sleeps == []


def test_too_many_redirects_are_refused(httpserver: HTTPServer, fake: FakeTime) -> None:
    for n in range(10):
        httpserver.expect_request(f"/r/{n}").respond_with_handler(redirect(f"/r/{n + 1}"))
    with pytest.raises(RedirectRefused, match="videre mer enn 5 ganger"):
        client(fake).get_bytes(httpserver.url_for("/r/0"), what=WHAT)
    assert len(httpserver.log) == 6


@pytest.mark.parametrize(
    ("asked", "target", "same"),
    [
        ("https://www.nav.no/a", "https://www.nav.no/b?c=1", True),
        ("https://www.nav.no/a", "https://WWW.NAV.NO:443/b", True),
        ("http://www.nav.no/a", "https://www.nav.no/a", True),  # an upgrade to https
        ("https://www.nav.no/a", "http://www.nav.no/a", False),  # never a downgrade
        ("https://www.nav.no/a", "https://nav.no/a", False),
        ("https://www.nav.no/a", "https://www.nav.no.example.org/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8001/a", False),
        ("https://data.ssb.no/a", "ftp://data.ssb.no/a", False),
    ],
)
def test_same_host(asked: str, target: str, same: bool) -> None:
    assert same_host(asked, target) is same
