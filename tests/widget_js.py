"""What the widget script declares, read from its source: the tests hold docs and pages to it."""

from __future__ import annotations

import json
import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "web" / "static" / "advisor-widget.js"


def source() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def strings() -> dict[str, str]:
    """The default text of every replaceable string, as the STRINGS object holds it."""
    block = re.search(r"const STRINGS = \{(.*?)\n  \};", source(), re.S)
    assert block, "STRINGS object not found in the widget script"
    pairs = re.findall(r'^\s*(\w+): ("(?:[^"\\]|\\.)*"),$', block.group(1), re.M)
    return {key: json.loads(value) for key, value in pairs}


def parts() -> set[str]:
    return set(re.findall(r'part: "([\w-]+)"', source()))


def custom_properties() -> set[str]:
    text = source()
    return {f"--ca-{name}" for name in re.findall(r'v\("([\w-]+)"\)', text)} | set(
        re.findall(r"--ca-[\w-]+", text)
    )


def attributes() -> set[str]:
    """Attributes the element reads: in its code, in observedAttributes and in its :host([...]) styles."""
    text = source()
    observed = re.search(r"observedAttributes\(\) \{\s*return \[([^\]]*)\]", text)
    assert observed, "observedAttributes not found in the widget script"
    return (
        set(re.findall(r'this\.getAttribute\("([\w-]+)"\)', text))
        | set(re.findall(r'intAttr\(this, "([\w-]+)"', text))
        | set(re.findall(r'"([\w-]+)"', observed.group(1)))
        | set(re.findall(r":host\(\[([\w-]+)=", text))
    )
