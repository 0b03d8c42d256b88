"""Settings from `EXAMGRADER_*` environment variables, validated once; bad values stop start-up."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from question_bank.grade_result import Backend


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXAMGRADER_", extra="forbid", frozen=True)

    data_dir: Path = Field(default=Path("data"), description="Where anything stored on disk lives.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL, e.g. postgresql://user@host/db; default: SQLite in data_dir.",
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    log_level: LogLevel = LogLevel.INFO
    answer_cache_size: int = Field(default=1024, ge=0, le=1_000_000)
    grader_backend: Backend | None = Field(
        default=None,
        description="Free-text grading: lexical or hybrid (sentence embeddings); default: measured best.",
    )

    @field_validator("data_dir")
    @classmethod
    def _usable_directory(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} exists and is not a directory")
        return value


class SettingsError(Exception):
    """The environment holds a bad setting; the message names the variable."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"EXAMGRADER_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
