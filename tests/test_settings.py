from pathlib import Path

from advisor.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_has_a_default_and_a_description() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        assert not field.is_required(), f"setting {name} has no default"


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [n for n in Settings.model_fields if f"ADVISOR_{n.upper()}" not in readme]
    assert not missing, f"README.md does not document: {missing}"


def test_settings_read_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ADVISOR_PORT", "9001")
    monkeypatch.setenv("ADVISOR_MODEL", "/models/other")
    settings = Settings()
    assert settings.port == 9001 and settings.model == "/models/other"
