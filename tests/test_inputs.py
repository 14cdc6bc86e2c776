"""Hostile input against the real uvicorn server: every request gets a 4xx in the one error shape or a
normal answer, never a 5xx or a traceback, whatever bytes it carries."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from advisor.errors import InvalidRequestError
from advisor.settings import Settings
from advisor.understand.query import QUESTION_PATTERN, clean_question
from advisor.web.app import create_app
from tests.servers import HARDENING_PORTS, free_ports, serve_app

ERROR_KEYS = {"code", "message", "details"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a real uvicorn server (advisor serve's protocol), over the tiny fake-model index."""
    from tests.conftest import fixture_advisor

    advisor = fixture_advisor(tmp_path_factory.mktemp("inputs"), ["cooking.md", "gardening.md"])
    app = create_app(Settings(), advisor=advisor)
    with serve_app(app, free_ports(1, HARDENING_PORTS)[0]) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=10) as c:
        yield c


def assert_refused(res: httpx.Response, status: int, code: str, *words: str) -> dict[str, object]:
    """A 4xx in the one JSON error shape whose message says what is wrong (names each of `words`)."""
    assert res.status_code == status, res.text
    assert res.headers["content-type"] == "application/json"
    body = res.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    error: dict[str, object] = body["error"]
    assert error["code"] == code
    for word in words:
        assert word in str(error["message"]), error["message"]
    assert "Traceback" not in res.text and 'File "' not in res.text
    return error


# ---------------------------------------------------------------- query strings (GET /api/v1/ask)

REFUSED_QUERIES = [
    # parameters that would mislead if ignored: each names the one it does not know and what is taken
    ("question=pasta", "unknown query parameter 'question'", "q"),
    ("query=pasta", "unknown query parameter 'query'", "q"),
    ("q=pasta&limit=3", "unknown query parameter 'limit'", "k"),
    ("q=pasta&top_k=3", "unknown query parameter 'top_k'", "k"),
    ("q=pasta&q=watering", "'q' is given more than once", ""),
    ("q=pasta&k=2&k=9", "'k' is given more than once", ""),
    # bytes that are not UTF-8: a lone byte, an encoded surrogate, an over-long form
    ("q=%FF", "not valid UTF-8", ""),
    ("q=pasta%FF%FE", "not valid UTF-8", ""),
    ("q=%ED%A0%80", "not valid UTF-8", ""),
    ("q=%C0%AF", "not valid UTF-8", ""),
    ("q=pasta&guide=%FF", "not valid UTF-8", ""),
    # NUL and control characters, invisible-only text, direction overrides
    ("q=%00", "control characters", ""),
    ("q=pasta%00", "control characters", ""),
    ("q=a%1B%5B31mb", "control characters", ""),
    ("q=pasta%7F", "control characters", ""),
    ("q=pasta%C2%85", "control characters", ""),
    ("q=%E2%80%8B%EF%BB%BF", "empty", ""),
    ("q=%20%09%0A", "empty", ""),
    ("q=%E2%80%AEatsap", "text-direction controls", ""),
    ("q=pasta%E2%81%A6x", "text-direction controls", ""),
    # wrong types and out-of-range values
    ("q=pasta&k=abc", "k:", ""),
    ("q=pasta&k=1.5", "k:", ""),
    ("q=pasta&k=0", "k:", ""),
    ("q=pasta&k=21", "k:", ""),
    ("q=pasta&k=99999999999999999999999", "k:", ""),
    ("q=pasta&mode=magic", "mode:", ""),
    ("q=" + "x" * 501, "at most 500 characters", ""),
    ("q=" + "x" * 20_000, "q:", ""),  # 20 KB: past the cheap length check, before any parsing
]


@pytest.mark.parametrize(("query", "says", "names"), REFUSED_QUERIES, ids=lambda v: str(v)[:40])
def test_a_misleading_or_malformed_query_is_refused(
    client: httpx.Client, query: str, says: str, names: str
) -> None:
    error = assert_refused(client.get("/api/v1/ask?" + query), 422, "invalid_request", says, names)
    if "unknown" in says:
        assert error["details"] == {
            "unknown": [query.split("&")[-1].split("=")[0]],
            "known": ["guide", "k", "mode", "q", "raw"],
        }


def test_a_wrong_method_names_every_method_the_path_takes(client: httpx.Client) -> None:
    res = client.delete("/api/v1/ask")
    assert_refused(res, 405, "method_not_allowed")
    assert res.headers["allow"] == "GET, POST"  # Starlette alone would name only the first route's GET


def test_other_api_routes_refuse_parameters_they_do_not_take(client: httpx.Client) -> None:
    assert_refused(
        client.get("/api/v1/guides?page=2"), 422, "invalid_request", "'page'", "no query parameters"
    )
    assert_refused(client.get("/api/v1/guides/cooking/sections?lang=fr"), 422, "invalid_request", "'lang'")
    assert (
        client.get("/healthz?probe=1").status_code == 200
    )  # not an API route: probes may add what they like


ANSWERED = [
    ("pasta%F0%9F%8D%9D", "pasta🍝"),  # emoji
    (
        "%F0%9F%91%A9%E2%80%8D%F0%9F%8D%B3%20pasta",
        "👩‍🍳 pasta",
    ),  # an emoji sequence keeps its zero-width joiner
    ("%D7%90%D7%99%D7%9A%20%D7%9C%D7%91%D7%A9%D7%9C%20pasta", "איך לבשל pasta"),  # right-to-left, Hebrew
    ("%D9%83%D9%8A%D9%81%20pasta%D8%9F", "كيف pasta؟"),  # right-to-left, Arabic
    ("%D1%80asta", "рasta"),  # a Cyrillic homoglyph: valid text, answered as typed
    ("%EF%BC%B0%EF%BD%81%EF%BD%93%EF%BD%94%EF%BD%81", "Pasta"),  # full-width letters read as ASCII
    ("%EF%BB%BFpas%C2%ADta", "pasta"),  # byte order mark and soft hyphen dropped
    ("%20%20pasta%0D%0A", "pasta"),
]


@pytest.mark.parametrize(("query", "question"), ANSWERED, ids=[q for _, q in ANSWERED])
def test_valid_text_in_any_script_gets_a_normal_answer(
    client: httpx.Client, query: str, question: str
) -> None:
    res = client.get("/api/v1/ask?q=" + query)
    assert res.status_code == 200, res.text
    assert res.json()["question"] == question


def test_compatibility_look_alikes_get_the_same_answer_as_plain_letters(client: httpx.Client) -> None:
    plain = client.get("/api/v1/ask", params={"q": "boiling pasta"}).json()
    wide = client.get("/api/v1/ask", params={"q": "ｂｏｉｌｉｎｇ ｐａｓｔａ"}).json()
    assert wide["results"] == plain["results"] and wide["question"] == "boiling pasta"


# ---------------------------------------------------------------- JSON bodies (POST /api/v1/ask)

REFUSED_BODIES = [
    (b'{"question": "pasta"', 422, "invalid_request", "not valid JSON"),
    (b"not json", 422, "invalid_request", "not valid JSON"),
    (b'{"question": "pasta",}', 422, "invalid_request", "not valid JSON"),
    (b"", 422, "invalid_request", "Field required"),
    (b"[]", 422, "invalid_request", "dictionary"),
    (b'"pasta"', 422, "invalid_request", "dictionary"),
    (b'{"question": 5}', 422, "invalid_request", "question:"),
    (b'{"question": null}', 422, "invalid_request", "question:"),
    (b'{"question": ["pasta"]}', 422, "invalid_request", "question:"),
    (b'{"question": "pasta", "k": "3"}', 422, "invalid_request", "k:"),
    (b'{"question": "pasta", "k": true}', 422, "invalid_request", "k:"),
    (b'{"question": "pasta", "k": 2.5}', 422, "invalid_request", "k:"),
    (b'{"question": "pasta", "k": NaN}', 422, "invalid_request", "k:"),
    (b'{"question": "pasta", "k": 1e400}', 422, "invalid_request", "k:"),
    (b'{"question": "pasta", "limit": 3}', 422, "invalid_request", "limit"),
    (b'{"q": "pasta"}', 422, "invalid_request", ""),
    (b'{"question": "a\\u0000b"}', 422, "invalid_request", "control characters"),
    (b'{"question": "\\ud800"}', 422, "invalid_request", "question:"),
    (b'{"\\udfff": 1, "question": "pasta"}', 422, "invalid_request", ""),
    (b'{"question": "pasta", "mode": "\\ud800"}', 422, "invalid_request", "mode:"),
    (b'{"question": "\xff\xfe pasta"}', 400, "bad_request", ""),  # not UTF-8
    (b"\xef\xbb\xbf\xff", 400, "bad_request", ""),
    (b"[" * 10_000, 400, "bad_request", ""),  # nested past the JSON parser's recursion limit
    (b'{"question": "' + b"x" * 17_000 + b'"}', 413, "too_large", "16384"),
]


@pytest.mark.parametrize(("body", "status", "code", "says"), REFUSED_BODIES, ids=lambda v: repr(v)[:40])
def test_a_malformed_body_is_refused(
    client: httpx.Client, body: bytes, status: int, code: str, says: str
) -> None:
    res = client.post("/api/v1/ask", content=body, headers={"content-type": "application/json"})
    assert_refused(res, status, code, says)


def test_a_json_body_in_any_script_is_answered(client: httpx.Client) -> None:
    for question in ("pasta 🍝", "איך לבשל pasta", "ｐａｓｔａ", "pasta\u200d"):
        res = client.post("/api/v1/ask", json={"question": question})
        assert res.status_code == 200, res.text


# ---------------------------------------------------------------- below the app: what uvicorn refuses


def raw_request(server: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no client library would) and read the whole response."""
    where = urlsplit(server)
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "target",
    [
        b"/api/v1/ask?q=" + b"a" * 100_000,  # a 100 KB query string
        b"/api/v1/ask?" + b"x=1&" * 25_000,
        b"/api/v1/ask?q=\xff\xfe",  # raw bytes HTTP does not allow in a request line
        b"/api/v1/ask?q=a\x00b",
        b"/guide/\xff",
    ],
    ids=["100KB-query", "25000-params", "raw-0xff", "raw-nul", "raw-0xff-path"],
)
def test_requests_uvicorn_cannot_parse_get_the_error_shape_too(server: str, target: bytes) -> None:
    status, headers, body = raw_request(
        server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status == 400 and headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"
    error = json.loads(body)["error"]
    assert set(error) == ERROR_KEYS and error["code"] == "bad_request" and "too long" in error["message"]


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/?q=%FF", 422, "not valid UTF-8"),
        ("/?q=%00", 422, "control characters"),
        ("/?q=%E2%80%AEatsap", 422, "text-direction controls"),
        ("/?q=" + "x" * 501, 422, "longer than 500"),
        ("/guide/%FF", 404, ""),
        ("/guide/%00", 404, ""),
    ],
)
def test_pages_refuse_the_same_input_with_a_page(
    client: httpx.Client, path: str, status: int, says: str
) -> None:
    res = client.get(path, headers={"accept": "text/html"})
    assert res.status_code == status
    assert res.headers["content-type"].startswith("text/html")
    assert says in res.text.replace("&#39;", "'") and "Traceback" not in res.text


def test_nothing_in_the_matrix_is_a_server_error(client: httpx.Client) -> None:
    """The whole matrix again, as pages and API, in one sweep: no 5xx anywhere."""
    for query, *_ in REFUSED_QUERIES + ANSWERED:
        for path in ("/api/v1/ask?", "/?"):
            assert client.get(path + query).status_code < 500, (path, query)
    for body, *_ in REFUSED_BODIES:
        assert client.post("/api/v1/ask", content=body).status_code < 500, body[:40]


# ---------------------------------------------------------------- the question rules, in the core


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("ｄａｔａ ｅｎｇｉｎｅｅｒ", "data engineer"),
        ("ﬁnance", "finance"),
        ("\ufeffSQL\u200b joins", "SQL joins"),
        ("re\u00adcruit\u00adment", "recruitment"),
        ("مهندس بيانات", "مهندس بيانات"),
        ("👩\u200d💻 career", "👩\u200d💻 career"),
        ("résumé", "résumé"),
    ],
)
def test_clean_question_reads_look_alikes_and_drops_invisible_characters(text: str, cleaned: str) -> None:
    assert clean_question(text, max_chars=500) == cleaned


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("\ud800 pasta", "not valid text"),  # a lone surrogate: undecodable bytes from argv or JSON
        ("pasta\x00", "control characters"),
        ("\u202eatsap", "text-direction controls"),
        ("\u2067pasta\u2069", "text-direction controls"),
        ("\u200b\u2060\ufeff", "empty"),
    ],
)
def test_clean_question_refuses_what_is_not_a_question(text: str, says: str) -> None:
    with pytest.raises(InvalidRequestError, match=says):
        clean_question(text, max_chars=500)


def test_the_schema_pattern_and_the_question_rules_agree() -> None:
    """The OpenAPI schema's pattern accepts exactly what clean_question accepts, character by character."""
    pattern = re.compile(QUESTION_PATTERN)
    planes = [*range(0xD800), *range(0xE000, 0x10000), *range(0x1F000, 0x1FB00), *range(0xE0000, 0xE0080)]
    for code in planes:  # the whole BMP less lone surrogates (not UTF-8), emoji, tag characters
        char = chr(code)
        for text in (char, "a" + char):
            try:
                clean_question(text, max_chars=500)
                accepted = True
            except InvalidRequestError:
                accepted = False
            assert bool(pattern.fullmatch(text)) == accepted, (hex(code), text)
