"""API keys: created with a name and scopes, shown once, stored as a SHA-256 digest, revoked.

A key is `eg_` followed by 43 URL-safe characters (32 random bytes). Only its digest and its
first characters (the prefix, to tell keys apart in listings) are stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import exists, or_, select

from app.auth_errors import InvalidKeyRequest, UnknownKey
from app.storage.db import Database
from app.storage.tables import ApiKey

SCOPES = ("grade", "read", "admin")
KEY_MARK = "eg_"
PREFIX_LENGTH = 11  # "eg_" and 8 random characters
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class KeyRecord:
    """A key as listed: everything but the key itself."""

    id: int
    name: str
    prefix: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every moment stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _record(row: ApiKey) -> KeyRecord:
    return KeyRecord(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=frozenset(row.scopes.split()),
        created_at=_utc(row.created_at),
        revoked_at=_utc(row.revoked_at) if row.revoked_at else None,
    )


def _check(name: str, scopes: frozenset[str]) -> None:
    if not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise InvalidKeyRequest(f"a key's name must be 1 to {MAX_NAME_LENGTH} characters")
    unknown = sorted(scopes - set(SCOPES))
    if unknown or not scopes:
        raise InvalidKeyRequest(
            f"scopes must be among {', '.join(SCOPES)}; got {', '.join(unknown) or 'none'}"
        )


class KeyStore:
    """The keys of one database. Once a key has existed, the API stays closed (revoking every key
    does not reopen it), so `any_keys` stops asking the database after its first yes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._seen_a_key = False

    def create(self, name: str, scopes: frozenset[str] = frozenset({"grade"})) -> tuple[KeyRecord, str]:
        """A new key: its record and the key itself, which is never stored nor shown again."""
        _check(name, scopes)
        key = KEY_MARK + secrets.token_urlsafe(32)
        row = ApiKey(
            name=name.strip(),
            prefix=key[:PREFIX_LENGTH],
            digest=digest_of(key),
            scopes=" ".join(scope for scope in SCOPES if scope in scopes),
            created_at=datetime.now(UTC),
        )
        with self.db.session() as session:
            session.add(row)
            session.flush()
            record = _record(row)
        self._seen_a_key = True
        return record, key

    def list(self) -> list[KeyRecord]:
        with self.db.session() as session:
            return [_record(row) for row in session.scalars(select(ApiKey).order_by(ApiKey.id))]

    def revoke(self, id_or_prefix: str) -> KeyRecord:
        """Revoke the key with this id or prefix (already revoked: unchanged)."""
        wanted = id_or_prefix.strip()
        match = ApiKey.prefix == wanted
        if wanted.isdigit() and len(wanted) <= 9:  # an id fits a 32-bit integer column
            match = or_(match, ApiKey.id == int(wanted))
        with self.db.session() as session:
            rows = list(session.scalars(select(ApiKey).where(match)))
            if len(rows) != 1:
                problem = "no key has" if not rows else f"{len(rows)} keys have"
                raise UnknownKey(f"{problem} the id or prefix {wanted!r}")
            row = rows[0]
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
            return _record(row)

    def find(self, key: str) -> KeyRecord | None:
        """The record of a presented key (revoked ones included), or None when unknown."""
        if not key.startswith(KEY_MARK):
            return None
        with self.db.session() as session:
            row = session.scalars(select(ApiKey).where(ApiKey.digest == digest_of(key))).first()
            return None if row is None else _record(row)

    def any_keys(self) -> bool:
        """Whether a key was ever created (the CLI may create one while the server runs)."""
        if not self._seen_a_key:
            with self.db.session() as session:
                self._seen_a_key = bool(session.scalar(select(exists().select_from(ApiKey))))
        return self._seen_a_key
