"""What a hit looks like on the ask page: escaped, marked, and linked to its exact sentence."""

from urllib.parse import unquote

from advisor.answer.advisor import Advisor
from advisor.guides.sections import parse_guide
from advisor.web.excerpts import MAX_EXCERPT, excerpt, highlight, text_fragment


def test_highlight_escapes_first_then_marks_words_sharing_a_stem() -> None:
    marked = highlight('<b>SQL</b> & "learning" sql, the learner', ["sql", "learn"])
    assert str(marked) == (
        "&lt;b&gt;<mark>SQL</mark>&lt;/b&gt; &amp; "
        "&#34;<mark>learning</mark>&#34; <mark>sql</mark>, the learner"
    )


def test_highlight_never_marks_stop_words_or_nothing() -> None:
    assert str(highlight("the and of", ["the"])) == "the and of"
    assert str(highlight("a <i>", [])) == "a &lt;i&gt;"


GUIDE = parse_guide(
    "# T\n\n## A\n\nLearn SQL well. Then learn Python-style scripting, with care & patience.\n\n"
    "- Repeated line here.\n\n## B\n\nRepeated line here.\n\n"
    "| col | col |\n|---|---|\n| x y z w | p q r s |\n",
    "t",
)


def test_text_fragment_is_percent_encoded_including_its_syntax_characters() -> None:
    fragment = text_fragment("Then learn Python-style scripting, with care & patience.", GUIDE)
    assert fragment == (
        ":~:text=Then%20learn%20Python%2Dstyle%20scripting%2C%20with%20care%20%26%20patience."
    )
    assert (
        unquote(fragment.removeprefix(":~:text="))
        == "Then learn Python-style scripting, with care & patience."
    )


def test_no_text_fragment_where_the_browser_could_land_elsewhere() -> None:
    assert text_fragment("- Repeated line here.", GUIDE) == ""  # twice in the guide: could land in A
    assert text_fragment("x y z w | p q r s", GUIDE) == ""  # spans table cells
    assert text_fragment("Learn SQL.", GUIDE) == ""  # too short to be worth it


def test_excerpt_of_a_real_hit_links_to_its_section(tiny_advisor: Advisor) -> None:
    hit = tiny_advisor.ask("knead the dough", k=1, mode="bm25").results[0]  # the fake model collides words
    shown = excerpt(hit, tiny_advisor.guide("cooking"))
    assert shown.section.anchor == "step-3-baking-bread"
    assert shown.href.startswith("/guide/cooking#step-3-baking-bread:~:text=")
    assert "<mark>Knead</mark>" in "".join(shown.paragraphs) and "<mark>dough</mark>" in "".join(
        shown.paragraphs
    )
    assert not shown.cut_before and not shown.cut_after


def test_a_long_section_is_cut_around_its_best_sentence(tiny_advisor: Advisor) -> None:
    hit = tiny_advisor.ask("knead the dough", k=1, mode="bm25").results[0]  # the fake model collides words
    long_text = (
        "Filler sentence about nothing much at all. " * 40 + "Knead the dough well." + " More filler." * 80
    )
    passage = type(hit.section)(**{**hit.section.__dict__, "text": long_text})
    shown = excerpt(type(hit)(**{**hit.__dict__, "section": passage, "window": (0, len(long_text))}), GUIDE)
    text = "".join(shown.paragraphs)
    assert "<mark>Knead</mark>" in text and len(text) <= MAX_EXCERPT + 100
    assert shown.cut_before and shown.cut_after
