"""The whole HTTP API fuzzed from its own OpenAPI schema (schemathesis): no 5xx, no response the schema
does not describe."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.load import load_index
from advisor.settings import Settings
from advisor.web.app import create_app
from tests.conftest import FAKE_PARAMS, FIXTURES, FakeEmbedder


def app_with_tiny_index(folder: Path):  # type: ignore[no-untyped-def]
    """The app over the tiny guides and the hostile one, fake model (conftest lifts the rate limit)."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    for name in ("cooking.md", "gardening.md", "hostile.md"):
        (corpus / name).write_text((FIXTURES / name).read_text())
    build_index(corpus, folder / "index", FakeEmbedder(), params=FAKE_PARAMS)
    return create_app(Settings(), advisor=Advisor(load_index(folder / "index"), FakeEmbedder()))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return app_with_tiny_index(tmp_path_factory.mktemp("schema-fuzz"))


# The schema as the app publishes it at /openapi.json (it does not depend on the index).
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


# An event names a section of the loaded index, which no static schema can list: a well-formed but
# unknown section is refused with a 422 (tests/test_events_api.py), so "schema-valid data is accepted"
# is not checked for events; every other check is.
EXCLUDED = {("POST", "/api/v1/events"): [positive_data_acceptance]}


def call_and_validate(app, case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(app=app, excluded_checks=EXCLUDED.get((case.method.upper(), case.path), []))


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(app, case) -> None:  # type: ignore[no-untyped-def]
    call_and_validate(app, case)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema_at_length(app, case) -> None:  # type: ignore[no-untyped-def]
    call_and_validate(app, case)
