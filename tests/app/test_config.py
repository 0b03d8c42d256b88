import pytest

from app.config import SettingsError, load_settings


def test_bad_values_fail_fast_naming_the_variable(monkeypatch):
    monkeypatch.setenv("EXAMGRADER_MAX_BODY_BYTES", "lots")
    with pytest.raises(SettingsError, match="EXAMGRADER_MAX_BODY_BYTES: Input should be a valid integer"):
        load_settings()


def test_unknown_log_level(monkeypatch):
    monkeypatch.setenv("EXAMGRADER_LOG_LEVEL", "loud")
    with pytest.raises(SettingsError, match="EXAMGRADER_LOG_LEVEL"):
        load_settings()


def test_data_dir_must_not_be_a_file(monkeypatch, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    monkeypatch.setenv("EXAMGRADER_DATA_DIR", str(target))
    with pytest.raises(SettingsError, match="exists and is not a directory"):
        load_settings()


def test_defaults(monkeypatch):
    for name in ("EXAMGRADER_DATA_DIR", "EXAMGRADER_MAX_BODY_BYTES", "EXAMGRADER_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.max_body_bytes == 64 * 1024
