"""/admin/insights: absent without a token, locked without the right one, readable with it."""

import base64
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web import admin
from advisor.web.app import create_app
from advisor.web.charts import Series, bar_chart

TOKEN = "t0ken-for-the-site-owner-only"


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture
def client(tiny_advisor: Advisor) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(admin_token=TOKEN), advisor=tiny_advisor)) as c:
        yield c


@pytest.mark.parametrize("token", [None, "", "   "])
def test_without_a_token_setting_the_page_does_not_exist(tiny_advisor: Advisor, token: str | None) -> None:
    with TestClient(create_app(Settings(admin_token=token), advisor=tiny_advisor)) as c:
        for path in ("/admin/insights", "/admin/insights.json", "/admin/insights.css"):
            res = c.get(path, headers={"Authorization": f"Bearer {token}"})
            assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Token {TOKEN}"},
        basic("owner", "wrong"),
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "Basic " + base64.b64encode(TOKEN.encode()).decode()},  # no user:password colon
    ],
)
def test_without_the_right_token_it_is_401_in_the_error_shape(
    client: TestClient, headers: dict[str, str]
) -> None:
    for path in ("/admin/insights", "/admin/insights.json"):
        res = client.get(path, headers=headers)
        assert res.status_code == 401
        assert res.json()["error"]["code"] == "unauthorized"
        assert res.headers["www-authenticate"].startswith("Basic ")  # so a browser asks for the token
        assert TOKEN not in res.text


@pytest.mark.parametrize(
    "headers", [{"Authorization": f"Bearer {TOKEN}"}, basic("owner", TOKEN), basic("", TOKEN)]
)
def test_the_right_token_opens_the_page(client: TestClient, headers: dict[str, str]) -> None:
    res = client.get("/admin/insights", headers=headers)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].startswith("text/html")
    assert "<h1>Insights</h1>" in res.text and "No questions recorded" in res.text
    assert "<script" not in res.text.lower()
    assert "default-src 'none'" in res.headers["content-security-policy"]
    assert res.headers["cache-control"] == "no-store"
    assert client.get("/admin/insights.json", headers=headers).json()["totals"]["asks"] == 0


def test_the_token_is_compared_in_constant_time(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = admin.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(admin.hmac, "compare_digest", spy)
    assert client.get("/admin/insights.json", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert compared == [(b"nope", TOKEN.encode())]


def test_the_stylesheet_is_served_and_the_days_are_validated(client: TestClient) -> None:
    css = client.get("/admin/insights.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"] and ".chart" in css.text
    res = client.get("/admin/insights?days=0", headers={"Authorization": f"Bearer {TOKEN}"})
    assert res.status_code == 422 and res.json()["error"]["code"] == "invalid_request"


def test_the_admin_page_is_not_in_the_public_api_schema(client: TestClient) -> None:
    assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/admin")]


def test_charts_draw_stacked_bars_to_scale_and_escape_labels() -> None:
    svg = str(
        bar_chart(
            ["<b>", "day 2"],
            [Series("answered", [3, 1], "bar-answered"), Series("not", [1, 0], "bar-unanswered")],
            title="Questions per day",
            description="d",
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title id=" in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"><title>', svg)]  # bars, not the legend
    plot = heights[0] + heights[1]  # the first day's two bars fill the whole plot: it is the tallest
    assert heights[0] == pytest.approx(3 * heights[2]) and plot == pytest.approx(4 * heights[2])
