import itertools

from advisor.guides.windows import sentence_spans, window_spans


def count(text: str) -> int:
    return len(text.split())


def test_sentences_and_list_lines() -> None:
    text = 'One two. "Three?" Four!\n- item one\n- item two'
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "One two.",
        '"Three?"',
        "Four!",
        "- item one",
        "- item two",
    ]


def test_short_text_is_one_window() -> None:
    assert window_spans("A short text.", count, budget=10, overlap=3) == [(0, 13)]


def test_long_text_windows_cover_every_sentence_within_budget_and_overlap() -> None:
    sentences = [f"Sentence number {i} has five words." for i in range(30)]
    text = " ".join(sentences)
    spans = window_spans(text, count, budget=20, overlap=7)
    assert len(spans) > 1
    assert all(count(text[s:e]) <= 20 for s, e in spans)
    for sentence in sentences:  # nothing invisible
        assert any(sentence in text[s:e] for s, e in spans)
    for (s1, e1), (s2, _) in itertools.pairwise(spans):
        assert s2 < e1, "consecutive windows share a sentence"
        assert s2 > s1, "windows advance"


def test_a_sentence_longer_than_the_budget_is_cut_at_words() -> None:
    text = " ".join(f"w{i}" for i in range(50)) + "."
    spans = window_spans(text, count, budget=10, overlap=2)
    assert all(count(text[s:e]) <= 10 for s, e in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
