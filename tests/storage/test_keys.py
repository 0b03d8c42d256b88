"""API keys in the database: created once, stored as a digest, listed without the key, revoked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth_errors import InvalidKeyRequest, UnknownKey
from app.storage.db import Database
from app.storage.keys import KeyStore
from app.storage.tables import ApiKey


def test_a_new_key_is_shown_once_and_stored_as_its_digest(database: Database) -> None:
    record, key = KeyStore(database).create("moodle-prod", frozenset({"grade", "read"}))
    assert key.startswith("eg_") and len(key) == 3 + 43
    assert record.name == "moodle-prod" and record.scopes == {"grade", "read"}
    assert record.prefix == key[:11] and record.active and record.created_at.tzinfo is not None
    with database.session() as session:
        row = session.scalars(select(ApiKey)).one()
        stored = [str(getattr(row, column.name)) for column in ApiKey.__table__.columns]
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in value for value in stored)


def test_the_key_is_nowhere_in_the_sqlite_files(tmp_path: Path) -> None:
    database = Database(f"sqlite+pysqlite:///{tmp_path / 'keys.sqlite3'}")
    database.migrate()
    _, key = KeyStore(database).create("lms")
    database.dispose()
    files = list(tmp_path.glob("keys.sqlite3*"))
    assert files
    secret = key.removeprefix("eg_").encode()
    assert all(secret not in path.read_bytes() for path in files)


def test_find_takes_the_presented_key(database: Database) -> None:
    store = KeyStore(database)
    record, key = store.create("lms")
    assert store.find(key) == record
    assert store.find(key + "x") is None
    assert store.find("not-a-key") is None
    assert store.find("") is None


def test_listing_never_holds_the_key(database: Database) -> None:
    store = KeyStore(database)
    first, first_key = store.create("first")
    second, _ = store.create("second", frozenset({"admin"}))
    listed = store.list()
    assert listed == [first, second]
    assert first_key not in repr(listed)


@pytest.mark.parametrize("by", ["id", "prefix"])
def test_revoke_by_id_or_prefix(database: Database, by: str) -> None:
    store = KeyStore(database)
    record, key = store.create("lms")
    revoked = store.revoke(str(record.id) if by == "id" else record.prefix)
    assert revoked.id == record.id and not revoked.active
    found = store.find(key)
    assert found is not None and found.revoked_at == revoked.revoked_at
    assert store.revoke(record.prefix).revoked_at == revoked.revoked_at  # a second revoke changes nothing


def test_revoking_an_unknown_key_names_it(database: Database) -> None:
    store = KeyStore(database)
    store.create("lms")
    with pytest.raises(UnknownKey) as refused:
        store.revoke("eg_nothing")
    assert refused.value.message == "no key has the id or prefix 'eg_nothing'"
    for missing in ("999", "9" * 30):
        with pytest.raises(UnknownKey):
            store.revoke(missing)


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("  ", frozenset({"grade"}), "a key's name must be 1 to 100 characters"),
        ("x" * 101, frozenset({"grade"}), "a key's name must be 1 to 100 characters"),
        ("lms", frozenset({"write"}), "scopes must be among grade, read, admin; got write"),
        ("lms", frozenset(), "scopes must be among grade, read, admin; got none"),
    ],
)
def test_bad_names_and_scopes_are_refused(
    database: Database, name: str, scopes: frozenset[str], message: str
) -> None:
    with pytest.raises(InvalidKeyRequest) as refused:
        KeyStore(database).create(name, scopes)
    assert refused.value.message == message
    assert KeyStore(database).list() == []


def test_any_keys_sees_a_key_created_elsewhere(database: Database) -> None:
    server_side = KeyStore(database)
    assert not server_side.any_keys()
    assert not server_side.any_keys()
    other = KeyStore(Database(database.url))  # as the CLI would, in another process
    _, _ = other.create("lms")
    other.db.dispose()
    assert server_side.any_keys()


def test_revoking_every_key_keeps_the_api_closed(database: Database) -> None:
    store = KeyStore(database)
    record, _ = store.create("lms")
    store.revoke(str(record.id))
    assert KeyStore(database).any_keys()
