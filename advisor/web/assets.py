"""Web: where the pages' templates and static files live (the top-level `web/` folder)."""

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
