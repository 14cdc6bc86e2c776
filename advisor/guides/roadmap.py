"""Roadmap: the order a guide gives its sections (see understand/roadmap.py for the questions).

A group of sibling sections is ordered when its headings are numbered ("Step 3: ...", "2. ...") or
its parent heading names a sequence ("Steps to ...", "Career Path Progression", "Roadmap", "Levels").
That comes from the guide's own structure, so any guide written as a numbered path works.

A group can mirror an ordered one: the salary levels "Entry-Level, Mid-Level, Senior, Lead, Principal"
walk the career path "Junior, Backend Engineer, Senior, Lead, Director" in step. A visitor who names a
level by the mirror's heading ("I'm mid-level, what next") has reached the ordered section in the same
place, and its next step is the ordered one's.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from advisor.guides.sections import Guide, Section
from advisor.language.lexicon import (
    NUMBER_WORDS,
    NUMBERED,
    SEQUENCE_WORDS,
    UNIT_PREFIX,
)
from advisor.language.terms import content_terms


@dataclass(frozen=True)
class NextStep:
    section: Section
    reason: str


@dataclass(frozen=True)
class Group:
    """Sibling sections in reading order, and the words that name one of them ("step", "level")."""

    parent: str  # the parent heading ("" at the top of a guide)
    sections: tuple[Section, ...]  # the passages of the group, first to last
    numbered: bool  # every heading carries its number ("Step 3: ...", "3. ...")
    units: frozenset[str]  # singular: "step" from "Step 3: ..." or "Steps to ...", "level" from "Levels"


def section_number(heading: str) -> int | None:
    """The place a heading carries ("Step 3: ..." -> 3, "Phase two: ..." -> 2, "4. ..." -> 4), else None."""
    match = NUMBERED.match(heading)
    if not match:
        return None
    number = (match.group(1) or match.group(2)).lower()
    return int(number) if number.isdigit() else NUMBER_WORDS.index(number) + 1


class Roadmap:
    """For each section in an ordered group, the section that follows it."""

    def __init__(self, guides: Iterable[Guide]) -> None:
        self._next: dict[str, NextStep] = {}
        self._ordered: set[str] = set()
        self._mirrored: dict[str, Section] = {}  # section key -> the ordered section in its place
        self._mirrors: list[Section] = []  # the sections of groups that mirror an ordered one
        self._ladder: set[str] = set()  # keys of the sections of ordered groups whose headings name roles
        self.groups: dict[str, list[Group]] = {}  # guide id -> its ordered groups in reading order
        self.titles: dict[str, str] = {}
        # guide id -> the stemmed words of what it is about: its title's and those of its ladder's rungs
        # ("backend", "engineer", "senior", "lead"), which a question may name without asking about
        # anything else
        self.subjects: dict[str, frozenset[str]] = {}
        self._sections: dict[str, Section] = {}
        for guide in guides:
            self._sections.update((s.key, s) for s in guide.sections)
            self.titles[guide.id] = guide.title
            self.groups[guide.id] = []
            self._add_guide(guide)
            rungs = [s for s in guide.sections if (self.in_order(s) or s).key in self._ladder]
            self.subjects[guide.id] = frozenset(content_terms(guide.title)).union(
                *(content_terms(_named(s.heading)) for s in rungs)
            )

    def _add_guide(self, guide: Guide) -> None:
        children: dict[str | None, list[Section]] = defaultdict(list)
        for section in guide.sections:
            children[section.parent].append(section)
        by_anchor = {s.anchor: s for s in guide.sections}
        declared = {heading.casefold() for heading in guide.order}  # the guide's own word, if it gives one
        unordered = []
        for parent, group in children.items():
            parent_heading = by_anchor[parent].heading if parent else ""
            if declared:
                chosen = parent_heading.casefold() in declared
                ordered = _in_order(group, parent_heading, declared=True) if chosen else []
            else:
                ordered = _in_order(group, parent_heading)
            passages = [s for s in ordered if s.text]
            if len(passages) >= 2:
                self.groups[guide.id].append(_group(parent_heading, passages))
            elif not ordered:
                unordered.append([s for s in group if s.text])
            for before, after in itertools.pairwise(passages):
                self._next[before.key] = NextStep(after, _reason(before, after, parent_heading))
            self._ordered.update(s.key for s in passages)
        for group in unordered:
            for ordered_group in self.groups[guide.id]:
                if _mirrors(group, list(ordered_group.sections)):
                    self._mirrored.update(zip([s.key for s in group], ordered_group.sections, strict=True))
                    self._mirrors.extend(group)
                    break
        for ordered_group in self.groups[guide.id]:
            if _ladder(ordered_group.sections, guide.title):
                self._ladder.update(s.key for s in ordered_group.sections)

    def mirrors(self, guide_id: str) -> list[tuple[str, int, str]]:
        """(parent heading, sections, the ordered group's parent) of each group that mirrors one."""
        found: dict[str, tuple[int, str]] = {}
        for section in self._mirrors:
            if section.guide == guide_id:
                parent = section.breadcrumb[-2] if len(section.breadcrumb) > 1 else ""
                ordered = self._mirrored[section.key].breadcrumb
                count, _ = found.get(parent, (0, ""))
                found[parent] = (count + 1, ordered[-2] if len(ordered) > 1 else "")
        return [(parent, count, ordered) for parent, (count, ordered) in found.items()]

    def is_ordered(self, section: Section) -> bool:
        return section.key in self._ordered

    def in_order(self, section: Section) -> Section | None:
        """The section itself if it is ordered, the ordered section it mirrors, else None."""
        return section if section.key in self._ordered else self._mirrored.get(section.key)

    def next_step(self, section: Section) -> NextStep | None:
        return self._next.get(section.key)

    def reached(self, topic: str, ranked: list[Section], *, rungs: bool = False) -> Section | None:
        """The ordered section a visitor has reached.

        Beyond the guide's own subject, the topic's words are looked for in the ordered headings: a
        heading naming all of them wins wherever it ranks ("junior engineer" -> "The Foundation: Junior
        Backend Engineer"); else, among the top three ranked, the ordered one whose heading names the
        most of them ("currently a junior dev, what title next"), else the first ordered one. A heading
        naming only some of the words is not taken from further down: one shared verb ("I understand
        XSS now" and "Step 4: Understand Servers") is no evidence. A mirrored section stands for the
        ordered one in its place. With `rungs`, the visitor asks for the next role ("what title should I
        aim for next", `asks_for_role`) and is on a ladder: only sections of groups whose headings name
        roles count ("Step 14: Apply for Entry-Level Positions" is no rung), the one naming most of the
        words wherever it ranks (a rung's heading is its level: "mid level" names "Mid-Level"), else
        the first three ranked."""
        guides = {s.guide for s in ranked[:1]} or set(self.groups)
        place = {s.key: i for i, s in enumerate(ranked)}
        full: list[tuple[int, Section]] = []
        named: dict[str, int] = {}  # section key -> topic words its heading names
        for guide in guides:
            wanted = set(content_terms(topic)) - set(content_terms(self.titles.get(guide, "")))
            for section in self._placed(guide):
                if rungs and (self.in_order(section) or section).key not in self._ladder:
                    continue
                heading = set(content_terms(section.heading))
                named[section.key] = len(wanted & heading)
                if wanted and wanted <= heading:
                    full.append((place.get(section.key, len(ranked)), section))
        if full:
            return self.in_order(min(full, key=lambda p: p[0])[1])
        if rungs and any(named.values()):  # "mid level dev, how do I move up": the rung named most
            by_rank = sorted(named, key=lambda key: place.get(key, len(ranked)))
            return self.in_order(self._sections[max(by_rank, key=lambda key: named[key])])
        top = [s for s in (ranked if rungs else ranked[:3]) if s.key in named and self.in_order(s)]
        best = max(top[:3], key=lambda s: named.get(s.key, 0), default=None)
        return self.in_order(best) if best else None

    def _placed(self, guide: str) -> list[Section]:
        """A guide's ordered sections and the sections that mirror them."""
        ordered = [s for group in self.groups.get(guide, []) for s in group.sections]
        return ordered + [s for s in self._mirrors if s.guide == guide]


def _mirrors(group: list[Section], ordered: list[Section]) -> bool:
    """Whether a group walks an ordered one in step: as many sections, and the words their headings
    share (beyond those every heading of both has) shared only at the same place, at half the places
    or more."""
    if len(group) != len(ordered) or len(group) < 3:
        return False
    words = [set(content_terms(s.heading)) for s in group + ordered]
    common = set.intersection(*words)
    mine, theirs = [w - common for w in words[: len(group)]], [w - common for w in words[len(group) :]]
    same = sum(bool(a & b) for a, b in zip(mine, theirs, strict=True))
    crossed = any(mine[i] & theirs[j] for i in range(len(mine)) for j in range(len(theirs)) if i != j)
    return not crossed and 2 * same >= len(group)


def _named(heading: str) -> str:
    """What a heading names, less its number and any lead-in ("Step 3: Learn SQL" -> "Learn SQL",
    "The Foundation: Junior Backend Engineer" -> "Junior Backend Engineer")."""
    return NUMBERED.sub("", heading, count=1).rsplit(":", 1)[-1]


def _ladder(sections: Iterable[Section], title: str) -> bool:
    """Whether a group is a career ladder: most of its headings name what the guide's title names
    ("Senior UX Designer" in the "UX Designer Career Guide"), where steps name what to do."""
    about = set(content_terms(title))
    naming = [bool(about & set(content_terms(_named(s.heading)))) for s in sections]
    return 2 * sum(naming) > len(naming)


def _in_order(group: list[Section], parent_heading: str, *, declared: bool = False) -> list[Section]:
    """The ordered part of a group of siblings, first to last, else [].

    The siblings whose headings carry their number ("Step 3: ...", "2. ...", "Phase one: ..."), when
    two or more do, in number order: a guide's steps beside its introduction, "What next?" or FAQs.
    Else the whole group in reading order, when its parent heading names a sequence ("Steps to ...",
    "Career Path Progression", "Levels") and is not itself a numbered item (the sub-sections of
    "Step 3: Master the tools" are not steps), or when the guide declares the parent as ordered."""
    if len(group) < 2:
        return []
    numbered = [(n, s) for s in group if (n := section_number(s.heading)) is not None]
    if len(numbered) >= 2:
        return [s for _, s in sorted(numbered, key=lambda p: (p[0], p[1].position))]
    if declared:
        return list(group)
    sequence = SEQUENCE_WORDS.search(parent_heading) and section_number(parent_heading) is None
    return list(group) if sequence else []


def _group(parent_heading: str, passages: list[Section]) -> Group:
    numbered = all(section_number(s.heading) is not None for s in passages)  # in number order
    units = {m.group(1) for s in passages if (m := UNIT_PREFIX.match(s.heading))}
    units |= set(SEQUENCE_WORDS.findall(parent_heading))
    return Group(parent_heading, tuple(passages), numbered, frozenset(singular(u) for u in units))


def singular(word: str) -> str:
    """A unit's name lower-cased and singular: "Steps" -> "step"."""
    word = word.lower()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def short_heading(heading: str) -> str:
    """'Step 4' from 'Step 4: Understand ...', else the whole heading."""
    match = re.match(r"^\s*(\w+\s+\d+)\s*[:.]", heading)
    return match.group(1) if match else f"“{heading}”"


def _reason(before: Section, after: Section, parent_heading: str) -> str:
    where = (
        f" in “{parent_heading}”"
        if parent_heading and not section_number(before.heading)
        else " in the guide"
    )
    return f"{short_heading(after.heading)} follows {short_heading(before.heading)}{where}"


def describe(roadmap: Roadmap, guide_id: str) -> list[str]:
    """What the roadmap found in one guide, a line each, for its owner to check (`advisor build`)."""
    groups = roadmap.groups.get(guide_id, [])
    lines = [f"{guide_id}: {len(groups)} ordered group{'s' * (len(groups) != 1)}"]
    for group in groups:
        how = "numbered" if group.numbered else "in reading order"
        units = f", called {', '.join(sorted(group.units))}" if group.units else ""
        ends = f"{short_heading(group.sections[0].heading)} … {short_heading(group.sections[-1].heading)}"
        where = group.parent or "(top level)"
        lines.append(f"  “{where}”: {len(group.sections)} sections {how}{units}, {ends}")
    for parent, count, ordered in roadmap.mirrors(guide_id):
        lines.append(f"  “{parent}”: {count} sections in step with “{ordered}”")
    return lines
