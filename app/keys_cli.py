"""`examgrader keys create|list|revoke` and `examgrader db upgrade`, on the configured database."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.config import load_settings
from app.storage.db import Database, database_url
from app.storage.keys import SCOPES, KeyRecord, KeyStore


def add_commands(sub: Any) -> None:
    """Add the `keys` and `db` commands to the `examgrader` parser's subparsers."""
    keys = sub.add_parser("keys", help="API keys: create, list, revoke")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key (printed once, never again)")
    create.add_argument("--name", required=True, help="who the key is for, e.g. moodle-prod")
    create.add_argument(
        "--scope", action="append", choices=SCOPES, dest="scopes", help="repeatable; default: grade"
    )
    listing = keys_sub.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    revoke = keys_sub.add_parser("revoke", help="revoke a key by its id or prefix")
    revoke.add_argument("key", metavar="ID|PREFIX")
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="migrate the database to the latest schema (before starting workers)")


@contextmanager
def _database() -> Iterator[Database]:
    settings = load_settings()
    db = Database(database_url(settings.data_dir, settings.database_url))
    try:
        db.migrate()
        yield db
    finally:
        db.dispose()


def _as_json(record: KeyRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "name": record.name,
        "prefix": record.prefix,
        "scopes": sorted(record.scopes),
        "created_at": record.created_at.isoformat(),
        "revoked_at": record.revoked_at.isoformat() if record.revoked_at else None,
    }


def _table(records: list[KeyRecord]) -> str:
    rows = [("ID", "PREFIX", "NAME", "SCOPES", "CREATED", "REVOKED")]
    for r in records:
        revoked = r.revoked_at.strftime("%Y-%m-%d %H:%M") if r.revoked_at else "-"
        scopes = ",".join(s for s in SCOPES if s in r.scopes)
        rows.append((str(r.id), r.prefix, r.name, scopes, r.created_at.strftime("%Y-%m-%d %H:%M"), revoked))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def run(args: argparse.Namespace) -> int:
    with _database() as db:
        if args.command == "db":
            print("the database schema is up to date")
            return 0
        store = KeyStore(db)
        if args.keys_command == "create":
            record, key = store.create(args.name, frozenset(args.scopes or ["grade"]))
            print(key)
            scopes = ", ".join(s for s in SCOPES if s in record.scopes)
            print(f"created key {record.id} ({record.name!r}, scopes: {scopes})", file=sys.stderr)
            print("store this key now: it will not be shown again", file=sys.stderr)
        elif args.keys_command == "list":
            records = store.list()
            print(json.dumps([_as_json(r) for r in records], indent=2) if args.json else _table(records))
        else:
            record = store.revoke(args.key)
            print(f"revoked key {record.id} ({record.prefix}, {record.name!r})")
    return 0
