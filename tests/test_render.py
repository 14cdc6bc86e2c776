"""Guide pages: markdown rendered safely, headings carrying the anchors the API cites."""

import re

import pytest

from advisor.errors import CorpusError
from advisor.guides.sections import Guide, parse_guide
from advisor.web.render import guide_html, render_guide, table_of_contents

SOURCE = """Intro before any heading.

# Title

Some *text* and `code`.

## Setup

<script>alert(1)</script> and <b>bold?</b>

[bad link](javascript:alert(1)) [good link](https://example.org/)

### Setup

| a | b |
|---|---|
| 1 | 2 |

> ## Quoted heading
> inside a quote

## Setup
"""


def test_headings_carry_the_anchors_of_the_parsed_sections() -> None:
    guide = parse_guide(SOURCE, "demo")
    html = guide_html(guide)
    ids = re.findall(r'<h([1-6]) id="([^"]+)"', html)
    assert ids == [(str(s.level), s.anchor) for s in guide.sections]
    assert [s.anchor for s in guide.sections] == ["title", "setup", "setup-1", "quoted-heading", "setup-2"]


def test_raw_html_and_script_links_stay_text() -> None:
    html = guide_html(parse_guide(SOURCE, "demo"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert 'href="javascript:' not in html and 'href="https://example.org/"' in html
    assert "<table>" in html and "<em>text</em>" in html and "<code>code</code>" in html


def test_each_top_level_section_is_wrapped_once() -> None:
    html = guide_html(parse_guide(SOURCE, "demo"))
    chunks = html.split('<div class="section">')[1:]
    assert len(chunks) == 4  # the quoted heading stays inside its section's blockquote
    assert "Intro before any heading." in chunks[0] and 'id="title"' in chunks[0]  # as the API has it
    assert 'id="quoted-heading"' in chunks[2] and "<blockquote>" in chunks[2]


def test_a_guide_whose_sections_do_not_match_its_source_is_refused() -> None:
    guide = parse_guide(SOURCE, "demo")
    broken = Guide(guide.id, guide.title, guide.source + "\n## One more\n", guide.sections)
    with pytest.raises(CorpusError, match="headings but"):
        guide_html(broken)


def test_table_of_contents_nests_by_level_below_the_title() -> None:
    guide = parse_guide(SOURCE, "demo")
    toc = table_of_contents(guide.sections)
    assert [e.section.anchor for e in toc] == ["setup", "quoted-heading", "setup-2"]
    assert [c.section.anchor for c in toc[0].children] == ["setup-1"]
    assert toc[1].children == [] and toc[2].children == []
    assert render_guide(guide).toc == toc
