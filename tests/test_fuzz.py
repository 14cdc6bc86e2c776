"""Property tests: the parser and the question handling never fail with anything but our own errors."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.answer.advisor import Advisor
from advisor.errors import AdvisorError, CorpusError, InvalidRequestError
from advisor.guides.sections import parse_guide
from advisor.understand.query import clean_question

markdownish = st.text(
    alphabet=st.sampled_from(list("#*_`[]()<>!-+=|\\\n \t:.abcXYZ123éü😀\u202e\u0000")), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_parse_guide_gives_sections_or_a_corpus_error(source: str) -> None:
    try:
        guide = parse_guide(source, "g")
    except CorpusError:
        return
    anchors = [s.anchor for s in guide.sections]
    assert len(anchors) == len(set(anchors))
    assert all(p.text for p in guide.passages)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=700))
def test_clean_question_accepts_or_refuses_clearly(text: str) -> None:
    try:
        cleaned = clean_question(text, max_chars=500)
    except InvalidRequestError as exc:
        assert exc.message
        return
    assert cleaned == cleaned.strip() and 0 < len(cleaned) <= 500


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_ask_never_raises_anything_but_our_errors(tiny_advisor: Advisor, text: str) -> None:
    try:
        answer = tiny_advisor.ask(text)
    except AdvisorError:
        return
    assert all(h.section.text[h.window[0] : h.window[1]] for h in answer.results)
