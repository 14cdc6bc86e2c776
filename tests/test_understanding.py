"""Typos, synonyms and the question → query step."""

from collections import Counter
from pathlib import Path

import pytest

from advisor.errors import CorpusError
from advisor.language.lexicon import english_words
from advisor.language.spelling import Speller
from advisor.language.synonyms import expand, load_synonyms
from advisor.understand.query import understand

GUIDE_WORDS = Counter({"kubernetes": 5, "salary": 9, "injection": 2, "sql": 4, "number": 7, "salami": 1})


@pytest.fixture
def speller() -> Speller:
    return Speller(GUIDE_WORDS, known_words={"bread", "nursing", "plumbing"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("kubernets", "kubernetes"),
        ("salery", "salary"),
        ("injecton", "injection"),
        ("Kubrenetes", "kubernetes"),
    ],
)
def test_misspellings_are_corrected_to_guide_words(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct_word(typed) == meant


@pytest.mark.parametrize("word", ["bread", "nursing", "salary", "sql", "plumber", "xyzzyqwerty", "umber"])
def test_real_words_and_far_off_words_are_left_alone(speller: Speller, word: str) -> None:
    assert speller.correct_word(word) is None


def test_a_known_word_with_an_s_is_left_alone_but_a_stop_word_with_one_is_not() -> None:
    speller = Speller(Counter({"does": 4, "shows": 3, "what": 2}), known_words={"doc", "slow", "what"})
    # one edit from "does" and "shows", but plurals of words the model knows
    assert speller.correct_word("docs") is None
    assert speller.correct_word("slows") is None
    assert speller.correct_word("whats") == "what"  # dropping the s drops a stop word: correct it
    assert speller.correct_word("shws") == "shows"  # not a known word's plural: a typo


def test_a_real_english_word_is_not_bent_into_a_guide_word_one_edit_away() -> None:
    guide = Counter({"logic": 3, "range": 2, "practice": 4, "gradually": 2, "what": 5})
    english = {"login", "rung", "practise", "grad", "whats"}
    speller = Speller(guide, english=english)
    assert speller.correct_word("login") is None  # not "logic"
    assert speller.correct_word("rung") is None  # not "range"
    assert speller.correct_word("grad") is None  # not "gradually": a real word is no clipping either
    assert speller.correct_word("practise") == "practice"  # another spelling: c, s or z traded
    assert speller.correct_word("whats") == "what"  # a stop word with an s is still a typo
    # without the word list, the same words are typos or clippings of the guide's words
    plain = Speller(guide)
    assert [plain.correct_word(w) for w in ("login", "rung", "grad")] == ["logic", "range", "gradually"]


def test_the_english_word_list_holds_common_words_not_common_typos() -> None:
    words = english_words()
    assert all(w in words for w in ("login", "rung", "bake", "practise", "career"))
    assert not any(w in words for w in ("kubernets", "salery", "recieve", "teh"))


def test_a_word_in_capitals_is_a_name_not_a_typo() -> None:
    """"CORS" is one edit from the stem of the guide's "courses", "MERN" from "mean": an acronym or a name
    is left as typed; the same letters in lower case are still corrected."""
    speller = Speller(Counter({"courses": 3, "mean": 2}))
    assert speller.correct("How to enable CORS?") == ("How to enable CORS?", ())
    assert speller.correct("MERN or Django")[1] == ()
    assert speller.correct("enable cors")[1] == (("cors", "courses"),)


def test_ties_go_to_the_more_frequent_guide_word() -> None:
    speller = Speller(Counter({"cart": 1, "card": 9}))
    assert speller.correct_word("carz") == "card"


def test_correct_reports_what_it_changed(speller: Speller) -> None:
    text, fixes = speller.correct("salery for kubernets devs")
    assert text == "salary for kubernetes devs"
    assert fixes == (("salery", "salary"), ("kubernets", "kubernetes"))


def test_expand_keeps_or_replaces_whole_words_longest_first() -> None:
    table = {"k8s": "kubernetes", "ci cd": "continuous integration", "ci": "code integrity"}
    assert expand("K8s and ci cd", table) == "K8s (kubernetes) and ci cd (continuous integration)"
    assert expand("k8s rocks", table, keep=False) == "kubernetes rocks"
    assert expand("k8sx cinema", table) == "k8sx cinema"


def test_synonyms_file_is_read_and_checked(tmp_path: Path) -> None:
    assert load_synonyms(tmp_path) == {}
    (tmp_path / "synonyms.toml").write_text('[terms]\nK8S = "kubernetes"\n')
    assert load_synonyms(tmp_path) == {"k8s": "kubernetes"}
    (tmp_path / "synonyms.toml").write_text("[terms\n")
    with pytest.raises(CorpusError, match=r"synonyms\.toml"):
        load_synonyms(tmp_path)
    (tmp_path / "synonyms.toml").write_text('[terms]\nx = ""\n')
    with pytest.raises(CorpusError, match="non-empty"):
        load_synonyms(tmp_path)


def test_the_shipped_synonyms_table_loads() -> None:
    table = load_synonyms(Path(__file__).resolve().parent.parent / "corpus")
    assert table["k8s"] == "kubernetes" and table["dbms"].startswith("database")


def test_understand_searches_the_topic_of_a_roadmap_question(speller: Speller) -> None:
    query = understand("what comes after kubernets?", speller=speller, synonyms={})
    assert query.roadmap_topic == "kubernets"
    assert query.text == "kubernetes"
    assert query.corrections == (("kubernets", "kubernetes"),)
    plain = understand("k8s salary", speller=speller, synonyms={"k8s": "kubernetes"})
    assert plain.roadmap_topic is None
    assert plain.text == "k8s (kubernetes) salary" and plain.plain == "kubernetes salary"


def test_a_clipped_word_becomes_the_guide_word_it_clips_when_that_is_one_word() -> None:
    speller = Speller(
        Counter({"algorithms": 3, "algorithmic": 1, "also": 9, "configuration": 1, "conferences": 2})
    )
    assert speller.correct_word("algo") == "algorithms"  # not "also", one edit away
    assert speller.correct_word("conf") is None  # configuration or conferences: too ambiguous


def test_run_together_guide_words_are_split() -> None:
    speller = Speller(Counter({"node": 3, "js": 2, "nod": 1, "ejs": 1}))
    assert speller.correct_word("nodejs") == "node js"  # the pair of more common words
    assert Speller(Counter({"node": 3})).correct_word("nodejs") is None


def test_the_synonym_tables_own_words_are_not_corrected(speller: Speller) -> None:
    assert speller.correct("kubernets kube", keep={"kube"}) == (
        "kubernetes kube",
        (("kubernets", "kubernetes"),),
    )
    query = understand(
        "salery for postgres",
        speller=Speller(Counter({"postgresql": 2, "salary": 3})),
        synonyms={"postgres": "postgresql"},
    )
    assert query.corrections == (("salery", "salary"),)
    assert query.text == "salary for postgres (postgresql)"


def test_one_word_synonyms_match_other_forms_of_the_word() -> None:
    table = {"pay": "salary", "cert": "certification", "ci cd": "continuous integration"}
    assert expand("highest paying job", table) == "highest paying (salary) job"
    assert expand("which certs", table, keep=False) == "which certification"
    assert expand("payload and ci cds", table) == "payload and ci cds"  # other words, and phrases, exactly


def test_a_misspelling_of_a_guide_words_stem_becomes_that_word() -> None:
    # the guide says only "frameworks": "framwork" is two edits from it but one from its stem
    speller = Speller(Counter({"frameworks": 3, "framed": 1}))
    assert speller.correct_word("framwork") == "frameworks"
    assert speller.correct_word("frameworks") is None
