"""Passages: markdown guides split into cited sections, one per heading."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from advisor.errors import CorpusError
from advisor.guides.confirmed import CONFIRMED_FILE
from advisor.language.synonyms import SYNONYMS_FILE

GUIDE_GLOB = "*.md"
NOT_GUIDES = {"readme.md"}  # documentation kept beside the guides
FRONT_MATTER = {"order"}  # what a guide's front matter may say
CORPUS_DATA = (SYNONYMS_FILE, CONFIRMED_FILE)  # data kept beside the guides that a build takes in too


@dataclass(frozen=True)
class Section:
    """One heading of a guide and the plain text of its body (up to the next heading)."""

    guide: str
    anchor: str
    heading: str
    level: int
    breadcrumb: tuple[str, ...]
    position: int
    parent: str | None
    text: str
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.guide}/{self.anchor}"

    @property
    def url(self) -> str:
        return f"/guide/{self.guide}#{self.anchor}"


@dataclass(frozen=True)
class Guide:
    """A parsed guide: its title, its markdown source and every heading as a section."""

    id: str
    title: str
    source: str
    sections: tuple[Section, ...]
    # headings whose sub-sections the guide's owner declares to be in order (front matter `order:`);
    # when given, they replace the order found from the headings (advisor/guides/roadmap.py)
    order: tuple[str, ...] = ()
    passages: tuple[Section, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "passages", tuple(s for s in self.sections if s.text))


def slugify(text: str) -> str:
    """GitHub-style anchor: lower case, punctuation dropped, spaces to hyphens."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    return slug or "section"


def unique_slugs(headings: Iterable[str]) -> list[str]:
    """Slugs for headings in order, later duplicates suffixed -1, -2 ... as GitHub does."""
    seen: set[str] = set()
    slugs = []
    for heading in headings:
        base = slug = slugify(heading)
        n = 0
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        slugs.append(slug)
    return slugs


def markdown_parser() -> MarkdownIt:
    """The one markdown dialect of guides: CommonMark plus tables and YAML front matter, raw HTML off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(front_matter_plugin)


def inline_text(token: Token) -> str:
    """Plain text of an inline token: markup dropped, link and image text kept."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(inline_text(child))
    return "".join(parts).strip()


@dataclass
class _Block:
    """A heading or a line of body text, in document order."""

    text: str
    level: int = 0  # heading level, 0 for body text
    line: int = 0


def _blocks(tokens: Sequence[Token]) -> Iterator[_Block]:
    lists: list[list[int]] = []  # one [ordered, counter] per open list
    cells: list[str] | None = None
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append([tok.type == "ordered_list_open", int(tok.attrGet("start") or 1) - 1])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "list_item_open":
            lists[-1][1] += 1
        elif tok.type == "tr_open":
            cells = []
        elif tok.type == "tr_close" and cells is not None:
            yield _Block(" | ".join(cells))
            cells = None
        elif tok.type in ("fence", "code_block"):
            yield from (_Block(line) for line in tok.content.splitlines() if line.strip())
        elif tok.type == "inline":
            yield from _inline_block(tok, lists, cells)


def _inline_block(tok: Token, lists: list[list[int]], cells: list[str] | None) -> Iterator[_Block]:
    text = inline_text(tok)
    if cells is not None:
        cells.append(text)
    elif tok.meta.get("heading_level"):
        yield _Block(text, level=tok.meta["heading_level"], line=(tok.map or [0])[0] + 1)
    elif text:
        if lists:
            ordered, counter = lists[-1]
            text = f"{counter}. {text}" if ordered else f"- {text}"
        yield _Block(text)


def _mark_headings(tokens: list[Token]) -> list[Token]:
    """Tag each heading's inline token with its level so blocks can be read in one pass."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            tokens[i + 1].meta["heading_level"] = int(tok.tag[1])
    return tokens


def parse_guide(source: str, guide_id: str, *, name: str = "") -> Guide:
    """Split one guide's markdown into sections, one per heading of any level."""
    name = name or guide_id
    tokens = markdown_parser().parse(source)
    order = _declared_order(tokens, name)
    tokens = _mark_headings(tokens)
    blocks = list(_blocks(tokens))
    headings = [b for b in blocks if b.level]
    if not headings:
        raise CorpusError(f"{name}: no heading found; a guide starts with a '# Title' heading")
    title = next((h.text for h in headings if h.level == 1), headings[0].text)
    anchors = iter(unique_slugs(h.text for h in headings))
    bodies: list[list[str]] = []
    for block in blocks:
        if block.level or not bodies:
            bodies.append([])  # text before the first heading joins the title's section
        if not block.level:
            bodies[-1].append(block.text)
    sections = _sections(guide_id, headings, anchors, bodies)
    known = {s.heading.casefold() for s in sections}
    if missing := [h for h in order if h.casefold() not in known]:
        raise CorpusError(f"{name}: front matter 'order' names {missing[0]!r}, not a heading of the guide")
    return Guide(guide_id, title, source, sections, order)


def _declared_order(tokens: Sequence[Token], name: str) -> tuple[str, ...]:
    """The headings a guide's front matter declares ordered: `order: Heading` or a list of them."""
    found = next((t for t in tokens if t.type == "front_matter"), None)
    if found is None:
        return ()
    try:
        meta = yaml.safe_load(found.content) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{name}: the front matter is not YAML ({exc})") from None
    if not isinstance(meta, dict) or set(meta) - FRONT_MATTER:
        known = ", ".join(sorted(FRONT_MATTER))
        raise CorpusError(f"{name}: the front matter holds {known} only, as `key: value` lines")
    order = meta.get("order", [])
    order = [order] if isinstance(order, str) else order
    if not isinstance(order, list) or not all(isinstance(h, str) and h.strip() for h in order):
        raise CorpusError(f"{name}: front matter 'order' is a heading, or a list of headings")
    return tuple(h.strip() for h in order)


def _sections(
    guide_id: str, headings: list[_Block], anchors: Iterator[str], bodies: list[list[str]]
) -> tuple[Section, ...]:
    if len(bodies) > len(headings):  # preamble before the first heading
        bodies = [bodies[0] + bodies[1], *bodies[2:]]
    stack: list[tuple[int, str, str]] = []  # (level, heading, anchor) of open ancestors
    sections = []
    for position, (heading, body) in enumerate(zip(headings, bodies, strict=True)):
        anchor = next(anchors)
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        parent = stack[-1][2] if stack else None
        stack.append((heading.level, heading.text, anchor))
        sections.append(
            Section(
                guide=guide_id,
                anchor=anchor,
                heading=heading.text,
                level=heading.level,
                breadcrumb=tuple(h for _, h, _ in stack),
                position=position,
                parent=parent,
                text="\n".join(body),
                line=heading.line,
            )
        )
    return tuple(sections)


def guide_files(corpus_dir: Path) -> list[Path]:
    """The guide files of a corpus folder, in a stable order."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus folder not found")
    files = sorted(p for p in corpus_dir.glob(GUIDE_GLOB) if p.name.lower() not in NOT_GUIDES)
    if not files:
        raise CorpusError(f"{corpus_dir}: no guides (*.md) found")
    return files


def read_guide(path: Path) -> Guide:
    """Read and parse one guide file, naming the file in any error."""
    try:
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not source.strip():
        raise CorpusError(f"{path}: the guide is empty")
    return parse_guide(source, slugify(path.stem), name=str(path))


def load_corpus(corpus_dir: Path) -> tuple[Guide, ...]:
    """Every guide of a corpus folder, parsed."""
    guides = tuple(read_guide(p) for p in guide_files(corpus_dir))
    ids = [g.id for g in guides]
    if len(set(ids)) != len(ids):
        raise CorpusError(f"{corpus_dir}: two guide files give the same guide id: {ids}")
    return guides


def corpus_hash(corpus_dir: Path) -> str:
    """Content hash of the guide and data files (names and bytes): changes whenever one does."""
    digest = hashlib.sha256()
    data = [corpus_dir / name for name in CORPUS_DATA if (corpus_dir / name).is_file()]
    for path in [*guide_files(corpus_dir), *data]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
