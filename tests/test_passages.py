from pathlib import Path

import pytest

from advisor.errors import CorpusError
from advisor.guides.sections import corpus_hash, load_corpus, parse_guide, read_guide, slugify, unique_slugs

ROOT = Path(__file__).resolve().parent.parent


def test_sections_carry_guide_heading_breadcrumb_and_position(tiny_corpus: Path) -> None:
    cooking = read_guide(tiny_corpus / "cooking.md")
    assert cooking.id == "cooking"
    assert cooking.title == "Cooking Basics"
    step2 = next(s for s in cooking.sections if s.heading == "Step 2: Boiling Pasta")
    assert step2.guide == "cooking"
    assert step2.level == 3
    assert step2.anchor == "step-2-boiling-pasta"
    assert step2.breadcrumb == ("Cooking Basics", "Steps to Learn Cooking", "Step 2: Boiling Pasta")
    assert step2.parent == "steps-to-learn-cooking"
    assert step2.url == "/guide/cooking#step-2-boiling-pasta"
    assert [s.position for s in cooking.sections] == list(range(len(cooking.sections)))


def test_heading_without_body_is_no_passage_but_stays_in_breadcrumbs(tiny_corpus: Path) -> None:
    cooking = read_guide(tiny_corpus / "cooking.md")
    headings = [s.heading for s in cooking.passages]
    assert "Steps to Learn Cooking" not in headings
    assert "Steps to Learn Cooking" in [s.heading for s in cooking.sections]
    assert all(p.text for p in cooking.passages)


def test_duplicate_headings_get_github_suffixes(tiny_corpus: Path) -> None:
    cooking = read_guide(tiny_corpus / "cooking.md")
    assert [s.anchor for s in cooking.sections if s.heading == "FAQ"] == ["faq", "faq-1"]
    assert unique_slugs(["A", "A", "A", "A-1"]) == ["a", "a-1", "a-2", "a-1-1"]


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Step 3: Master Database Management Systems", "step-3-master-database-management-systems"),
        ("What’s the career progression?", "whats-the-career-progression"),
        (
            "Lead Backend Engineer / Backend Development Manager",
            "lead-backend-engineer--backend-development-manager",
        ),
        ("Step 20: Aim for Certifications (Optional)", "step-20-aim-for-certifications-optional"),
        ("Café Crème: Ünïcode Heading", "café-crème-ünïcode-heading"),
        ("snake_case and-dash", "snake_case-and-dash"),
        ("???", "section"),
    ],
)
def test_slugify_matches_github(heading: str, slug: str) -> None:
    assert slugify(heading) == slug


def test_plain_text_strips_markdown_and_keeps_list_items_and_code_as_lines(tiny_corpus: Path) -> None:
    cooking = read_guide(tiny_corpus / "cooking.md")
    safety = next(s for s in cooking.passages if s.heading == "Kitchen Safety")
    assert safety.text.splitlines() == [
        "- Keep knives sharp.",
        "- Wipe spills at once.",
        "- Never leave oil heating alone.",
    ]
    faq = next(s for s in cooking.passages if s.anchor == "is-cooking-expensive")
    assert "*" not in faq.text and "healthy." in faq.text
    assert faq.text.splitlines()[-2:] == ["water: 2 cups", "rice: 1 cup"]


def test_ordered_lists_links_and_emphasis() -> None:
    guide = parse_guide("# T\n\n3. **first** [link](http://x)\n4. `code` second\n", "t")
    assert guide.passages[0].text.splitlines() == ["3. first link", "4. code second"]


def test_raw_html_is_kept_as_inert_text() -> None:
    guide = parse_guide("# T\n\n<script>alert(1)</script> hi\n", "t")
    assert "<script>alert(1)</script>" in guide.passages[0].text


def test_text_before_first_heading_joins_the_first_section() -> None:
    guide = parse_guide("Intro line.\n\n# Title\n\nBody.\n", "t")
    assert guide.passages[0].text == "Intro line.\nBody."


def test_guide_title_falls_back_to_first_heading() -> None:
    guide = parse_guide("## Only H2\n\ntext\n", "t")
    assert guide.title == "Only H2"


def test_readme_is_not_a_guide(tiny_corpus: Path) -> None:
    assert [g.id for g in load_corpus(tiny_corpus)] == ["cooking", "gardening"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"just text\n", "no heading"),
        (b"# T\n\xff\xfe bad", "not UTF-8"),
    ],
)
def test_bad_guides_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as err:
        read_guide(path)
    assert "bad.md" in str(err.value)


def test_empty_corpus_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no guides"):
        load_corpus(tmp_path)


def test_corpus_hash_changes_with_any_guide(tiny_corpus: Path) -> None:
    before = corpus_hash(tiny_corpus)
    (tiny_corpus / "gardening.md").write_text("# Gardening\n\nchanged\n")
    assert corpus_hash(tiny_corpus) != before


def test_real_guide_anchors_are_unique_and_steps_are_in_order() -> None:
    guide = read_guide(ROOT / "corpus" / "backend-engineer.md")
    anchors = [s.anchor for s in guide.sections]
    assert len(anchors) == len(set(anchors)) == 55
    steps = [s.heading for s in guide.passages if s.heading.startswith("Step ")]
    assert [int(h.split()[1].rstrip(":")) for h in steps] == list(range(1, 21))
    assert guide.title == "How to Become a Backend Engineer (Code Your Future Success)"
