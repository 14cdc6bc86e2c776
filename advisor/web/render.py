"""Guide pages: a guide's markdown as HTML, every heading carrying the anchor its section is cited by."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it.token import Token
from markupsafe import Markup

from advisor.errors import CorpusError
from advisor.guides.sections import Guide, Section, markdown_parser


@dataclass
class TocEntry:
    """A heading in the table of contents, with the headings under it."""

    section: Section
    children: list[TocEntry] = field(default_factory=list)


@dataclass(frozen=True)
class GuidePage:
    guide: Guide
    body: Markup  # the guide as HTML: one <div class="section"> per top-level heading
    toc: tuple[TocEntry, ...]


@lru_cache(maxsize=16)
def render_guide(guide: Guide) -> GuidePage:
    """The guide's page, rendered once per guide (raw HTML in the markdown stays text)."""
    return GuidePage(guide, guide_html(guide), table_of_contents(guide.sections))


def guide_html(guide: Guide) -> Markup:
    """The guide's markdown as HTML. Headings take their ids from the parsed sections, in order: the
    parser is the one that made the sections, so heading n is section n and every citation lands."""
    md = markdown_parser()
    tokens = md.parse(guide.source)
    headings = [t for t in tokens if t.type == "heading_open"]
    if len(headings) != len(guide.sections):
        raise CorpusError(f"guide {guide.id!r}: {len(headings)} headings but {len(guide.sections)} sections")
    for token, section in zip(headings, guide.sections, strict=True):
        token.attrSet("id", section.anchor)
    parts = [md.renderer.render(chunk, md.options, {}) for chunk in _chunks(tokens)]
    return Markup("".join(f'<div class="section">\n{part}</div>\n' for part in parts))


def _chunks(tokens: list[Token]) -> list[list[Token]]:
    """Tokens cut before each heading at the top level (the first chunk keeps any text before it),
    so each section's heading and body can be wrapped and marked together when it is the target."""
    chunks: list[list[Token]] = [[]]
    for token in tokens:
        starts_section = token.type == "heading_open" and token.level == 0
        if starts_section and any(t.type == "heading_open" for t in chunks[-1]):
            chunks.append([])
        chunks[-1].append(token)
    return [c for c in chunks if c]


def table_of_contents(sections: tuple[Section, ...]) -> tuple[TocEntry, ...]:
    """Headings below the title, nested by level."""
    top: list[TocEntry] = []
    open_entries: list[TocEntry] = []  # the current entry at each depth
    for section in sections:
        if section.level == 1:
            continue
        while open_entries and open_entries[-1].section.level >= section.level:
            open_entries.pop()
        entry = TocEntry(section)
        (open_entries[-1].children if open_entries else top).append(entry)
        open_entries.append(entry)
    return tuple(top)
