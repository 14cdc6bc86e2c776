import subprocess
import sys

from advisor.language.terms import matched_in, matched_words, terms


def test_matched_words_are_question_words_whose_stem_the_text_has() -> None:
    text = "Boil the pasta in salted water, stirring now and then."
    assert matched_words("how long do I boil pastas in water?", text) == ["boil", "pastas", "water"]
    assert matched_in("boiling water", frozenset(terms(text))) == ["boiling", "water"]


def test_bm25s_loads_without_numba_and_numba_still_loads_after() -> None:
    code = (
        "import sys, importlib.util\nfrom advisor.language.terms import bm25s\nb = bm25s()\n"
        "print(b.NUMBA_AVAILABLE, 'numba' in sys.modules)\n"
        "if importlib.util.find_spec('numba'):\n    import numba\n    print('numba ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = done.stdout.split("\n")
    assert lines[0] == "False False"
