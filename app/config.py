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


class LogFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXAMGRADER_", extra="forbid", frozen=True)

    data_dir: Path = Field(default=Path("data"), description="Where anything stored on disk lives.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL, e.g. postgresql://user@host/db; default: SQLite in data_dir.",
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    max_batch_body_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="POST /v1/grade/batch's limit."
    )
    log_level: LogLevel = LogLevel.INFO
    log_format: LogFormat = Field(default=LogFormat.JSON, description="json (a line an object) or text.")
    rate_limit_per_minute: int = Field(
        default=300,
        ge=0,
        le=1_000_000,
        description="Requests a minute per address without a key; 0: no limit.",
    )
    rate_limit_burst: int = Field(default=60, ge=1, le=1_000_000, description="Requests at once per address.")
    trust_proxy: bool = Field(
        default=False,
        description="Take the client address from X-Forwarded-For (only behind your own proxy).",
    )
    answer_cache_size: int = Field(default=1024, ge=0, le=1_000_000)
    grader_backend: Backend | None = Field(
        default=None,
        description="Free-text grading: lexical or hybrid (sentence embeddings); default: measured best.",
    )

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("use a postgresql:// or sqlite:/// URL")
        return value

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
