"""`facilitator report`: what the session holds so far, as one dict.

Each feature adds a section: a function (store, report) that adds its keys to
the report (and may add fields to earlier sections' entries, e.g. to each
participant), listed in SECTIONS. Keys, once published, stay stable."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from facilitator.models.schema import SCHEMA_VERSION
from facilitator.models.session import session_info
from facilitator.models.store import SessionStore


Report = dict[str, Any]


def session_section(store: SessionStore, report: Report) -> None:
    info = session_info(store)
    current = store.one("SELECT name FROM rounds WHERE id = ?", (info.current_round_id,))
    report["session"] = {
        "title": info.title,
        "path": str(store.path),
        "schema_version": SCHEMA_VERSION,
        "created_at": info.created_at,
        "template": info.template,
        "current_round": current["name"] if current else None,
    }


def participants_section(store: SessionStore, report: Report) -> None:
    rows = store.rows(
        "SELECT p.name, p.code, p.tags, p.present, t.as_source, t.as_target"
        " FROM participants p JOIN tallies t ON t.participant_id = p.id"
        " ORDER BY p.name COLLATE NOCASE")
    report["participants"] = [
        {"name": r["name"], "code": r["code"], "tags": json.loads(r["tags"]),
         "present": bool(r["present"]), "as_source": r["as_source"], "as_target": r["as_target"]}
        for r in rows]


def interactions_section(store: SessionStore, report: Report) -> None:
    total = store.scalar("SELECT COUNT(*) FROM interactions WHERE voided_at IS NULL")
    voided = store.scalar("SELECT COUNT(*) FROM interactions WHERE voided_at IS NOT NULL")
    by_kind = {r[0]: r[1] for r in store.rows(
        "SELECT kind, COUNT(*) FROM interactions WHERE voided_at IS NULL GROUP BY kind ORDER BY kind")}
    report["interactions"] = {"total": total, "voided": voided, "by_kind": by_kind}


#: Sections in the order they appear. Features append theirs here.
SECTIONS: list[Callable[[SessionStore, Report], None]] = [
    session_section,
    participants_section,
    interactions_section,
]


def build_report(store: SessionStore) -> Report:
    """The whole report, section by section (later sections may extend earlier ones)."""
    report: Report = {}
    for section in SECTIONS:
        section(store, report)
    return report
