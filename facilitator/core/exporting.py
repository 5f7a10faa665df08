"""Exporting a session: what `facilitator export`, `facilitator report --format` and
the app's export key all call. Reads the file (read-only), computes the report and
the per-round figures, and hands them to the writers in facilitator.export, which
write every file under a temporary name and rename them together at the end."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.analysis.tallies import equity_reading, gini
from facilitator.core.report import build_report
from facilitator.export.csv_export import GEPHI_NAMES, csv_names, write_gephi, write_tables
from facilitator.export.files import ExportFiles, plain_oserror
from facilitator.export.machine import GRAPHML_NAME, JSON_NAME, write_graphml, write_json
from facilitator.export.report_doc import ReportDoc, write_report
from facilitator.export.tables import Table, derived_tables
from facilitator.export.xlsx import XLSX_NAME, write_xlsx
from facilitator.models.store import DAMAGED_TEXT, SessionError, SessionStore, store_error

FORMATS = ("csv", "gephi", "graphml", "json", "xlsx", "md", "html")
DEFAULT_FORMATS = ("csv",)
#: What the app writes (everything but the JSON dump, which is for programs).
APP_FORMATS = ("csv", "gephi", "graphml", "xlsx", "md", "html")
REPORT_NAMES = {"md": "report.md", "html": "report.html"}

#: progress(fraction done 0..1, what is being written)
Progress = Callable[[float, str], None]


def parse_formats(text: str) -> tuple[str, ...]:
    """"csv,gephi" -> ("csv", "gephi"); an unknown name is one sentence."""
    chosen: list[str] = []
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise SessionError(f"{part.strip()!r} is not an export format; choose from"
                               f" {', '.join(FORMATS)}.")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise SessionError(f"Name at least one format: {', '.join(FORMATS)}.")
    return tuple(chosen)


@dataclass(frozen=True)
class Exported:
    out_dir: Path
    files: list[Path]

    def sentence(self) -> str:
        count = len(self.files)
        return f"Wrote {count} file{'' if count == 1 else 's'} to {self.out_dir}."


def round_figures(store: SessionStore) -> list[dict[str, Any]]:
    """Per round (entries typed between rounds last): timing, entries, groups, how
    many present people had a speaking turn, and the Gini of speaking turns over
    everyone present (zeros count)."""
    present = [r[0] for r in store.rows("SELECT id FROM participants WHERE present = 1")]
    turns: dict[int | None, dict[int, int]] = {}
    for round_id, person, count in store.rows(
            "SELECT round_id, person, count(*) FROM ("
            " SELECT i.round_id, i.source_id AS person FROM interactions i"
            "  JOIN kinds k ON k.name = i.kind WHERE k.is_turn = 1 AND i.voided_at IS NULL"
            "  AND i.source_id IS NOT NULL"
            " UNION ALL SELECT i.round_id, i.target_id FROM interactions i"
            "  JOIN kinds k ON k.name = i.kind WHERE k.is_turn = 1 AND k.directed = 0"
            "  AND i.voided_at IS NULL AND i.target_id IS NOT NULL)"
            " GROUP BY round_id, person"):
        turns.setdefault(round_id, {})[person] = count
    entries = {r[0]: r[1] for r in store.rows(
        "SELECT round_id, count(*) FROM interactions WHERE voided_at IS NULL GROUP BY round_id")}
    groups = {r[0]: r[1] for r in store.rows(
        "SELECT round_id, count(*) FROM groups WHERE voided_at IS NULL GROUP BY round_id")}

    def figures(round_id: int | None) -> dict[str, Any]:
        counts = turns.get(round_id, {})
        values = [counts.get(p, 0) for p in present]
        spoken = sum(1 for v in values if v)
        g = gini(values)
        return {"entries": entries.get(round_id, 0), "groups": groups.get(round_id, 0),
                "speakers": spoken, "gini": round(g, 3),
                "equity": equity_reading(g, len(present), spoken)}

    out = []
    for row in store.rows("SELECT * FROM rounds ORDER BY position"):
        keys = row.keys()
        out.append({"position": row["position"], "round": row["name"],
                    "planned_minutes": row["planned_minutes"], "started_at": row["started_at"],
                    "started_by": row["started_by"] if "started_by" in keys else None,
                    "ended_at": row["ended_at"],
                    "ended_by": row["ended_by"] if "ended_by" in keys else None,
                    **figures(row["id"])})
    if entries.get(None):
        out.append({"position": None, "round": "between rounds", "planned_minutes": None,
                    "started_at": None, "started_by": None, "ended_at": None, "ended_by": None,
                    **figures(None)})
    return out


def report_doc(store: SessionStore, report: dict[str, Any] | None = None) -> ReportDoc:
    """Everything the organisers' report draws: the report's data, the per-round
    figures, and the sociogram as the network screen draws it: the same people,
    ties, groups and stored layout (the picture every co-facilitator saw)."""
    from facilitator.analysis.network import DEFAULT_SEED, formal_grouping
    from facilitator.analysis.network_view import LayoutJob, sociogram_specs
    from facilitator.analysis.sociogram import render_sociogram
    from facilitator.core.layout import save_job
    from facilitator.core.report_network import counted_network
    from facilitator.models.layout import layout_seed, stored_layout

    report = report if report is not None else build_report(store)
    # The ties counted in SQL (the log is never loaded whole), and the layout stored
    # for them: as ensure_layout does for the network screen. Read-only: a stale
    # layout is brought up to date here, never stored.
    data, ties = counted_network(store)
    stored, signature = stored_layout(store)
    job = LayoutJob(ties.node_ids, frozenset(ties.pairs()), stored, signature,
                    layout_seed(store, DEFAULT_SEED))
    positions = job.stored if job.up_to_date else save_job(store, job, job.run())
    groups = formal_grouping(data)
    nodes, edges = sociogram_specs(data, ties, groups)
    name = data.name
    picture = {
        "nodes": [{"name": name(n.id), "label": n.label, "code": n.short,
                   "group": groups[n.group].name if n.group is not None else None,
                   "group_index": n.group, "isolate": n.isolate,
                   "x": positions.get(n.id, (0.5, 0.5))[0], "y": positions.get(n.id, (0.5, 0.5))[1]}
                  for n in sorted(nodes, key=lambda n: name(n.id).casefold())],
        "edges": [{"source": name(e.source), "target": name(e.target), "weight": e.weight,
                   "mutual": e.mutual, "directed": e.directed} for e in edges],
        "groups": [g.name for g in groups],
        # The terminal's own picture, for the Markdown report.
        "ascii": render_sociogram(nodes, edges, positions, 78, 22, group_marks=True).text(),
    }
    return ReportDoc(report=report, rounds=round_figures(store), sociogram=picture,
                     timeline=timeline(store))


def report_summary(store: SessionStore) -> str:
    """`facilitator report`: a screen or two in sentences (no picture)."""
    from facilitator.export.report_doc import render_summary

    return render_summary(ReportDoc(report=build_report(store), rounds=round_figures(store),
                                    timeline=timeline(store)))


def timeline(store: SessionStore) -> list[dict[str, Any]]:
    """Per round, what happened in it: groups formed, goals set, challenges raised."""
    out = []
    for row in store.rows("SELECT id, name, started_at, ended_at FROM rounds ORDER BY position"):
        rid = row["id"]
        out.append({
            "round": row["name"], "started_at": row["started_at"], "ended_at": row["ended_at"],
            "groups": [r[0] for r in store.rows(
                "SELECT name FROM groups WHERE round_id = ? AND voided_at IS NULL ORDER BY id",
                (rid,))],
            "goals": store.scalar("SELECT count(*) FROM goals WHERE round_id = ?", (rid,)),
            "challenges": store.scalar(
                "SELECT count(*) FROM challenges c JOIN groups g ON g.id = c.group_id"
                " WHERE g.round_id = ?", (rid,)),
            "busiest": [(r[0], r[1]) for r in store.rows(
                "SELECT k.label, count(*) FROM interactions i JOIN kinds k ON k.name = i.kind"
                " WHERE i.round_id = ? AND i.voided_at IS NULL GROUP BY i.kind"
                " ORDER BY count(*) DESC, k.position LIMIT 3", (rid,))],
        })
    return out


def planned_names(formats: tuple[str, ...], tables: list[Table]) -> list[str]:
    names: list[str] = []
    for fmt in formats:
        if fmt == "csv":
            names += csv_names(tables)
        elif fmt == "gephi":
            names += GEPHI_NAMES
        elif fmt == "graphml":
            names.append(GRAPHML_NAME)
        elif fmt == "json":
            names.append(JSON_NAME)
        elif fmt == "xlsx":
            names.append(XLSX_NAME)
        else:
            names.append(REPORT_NAMES[fmt])
    return names


def export_session(store: SessionStore, out_dir: str | Path,
                   formats: tuple[str, ...] = DEFAULT_FORMATS, *, force: bool = False,
                   bom: bool = True, progress: Progress | None = None) -> Exported:
    """Write the chosen formats into out_dir, all or nothing (see export.files).

    A damaged session file, a full disk or an unwritable folder is one sentence
    (SessionError); nothing partial or temporary is left behind."""
    out = Path(out_dir)
    opened: list[ExportFiles] = []
    with all_or_nothing(store, "nothing was exported", opened):
        try:
            written = _write_formats(store, out, formats, force, bom, progress, opened)
        finally:
            _end_snapshot(store)
    if progress is not None:
        progress(1.0, "done")
    return Exported(out, written)


def _write_formats(store: SessionStore, out: Path, formats: tuple[str, ...], force: bool,
                   bom: bool, progress: Progress | None, opened: list[ExportFiles]) -> list[Path]:
    # One read transaction: every file shows the same moment of the session,
    # even while co-facilitators keep logging (the tallies in participants.csv
    # are those of interactions.csv). Only this export's own connection holds it.
    store.conn.execute("BEGIN")
    report = build_report(store)
    rounds = round_figures(store)
    tables = derived_tables(store, report, rounds)
    participants = tables[1]
    files = ExportFiles(out, planned_names(formats, tables), force=force)
    opened.append(files)
    title = str(report.get("session", {}).get("title", ""))
    tick = _ticker(store, formats, tables, progress)
    doc: ReportDoc | None = None
    for fmt in formats:
        if fmt == "csv":
            write_tables(files, tables, store, bom, tick)
        elif fmt == "gephi":
            write_gephi(files, participants, store, bom, tick)
        elif fmt == "graphml":
            write_graphml(files, store, participants, title, tick)
        elif fmt == "json":
            write_json(files, store, report, tick)
        elif fmt == "xlsx":
            write_xlsx(files, tables, store, title, tick)
        else:
            doc = doc or report_doc(store, report)  # md and html draw the same one
            write_report(files, REPORT_NAMES[fmt], fmt, doc)
            tick(1)
    return files.commit()


@contextmanager
def all_or_nothing(store: SessionStore, outcome: str, opened: list[ExportFiles]) -> Iterator[None]:
    """Whatever fails while files are written: the temporary files go, and a damaged
    session file, a full disk or an unwritable folder is one sentence ending with
    `outcome`; anything else (Ctrl+C, a cancel) is raised as it is, files gone too."""
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as error:
        for files in opened:
            files.discard()
        sentence = store_error(store.path, error if isinstance(error, sqlite3.Error) else DAMAGED_TEXT)
        if sentence is None:
            raise
        raise SessionError(f"{str(sentence).rstrip('.')}; {outcome}.") from None
    except OSError as error:
        for files in opened:
            files.discard()
        raise plain_oserror(error) from None
    except BaseException:
        for files in opened:
            files.discard()
        raise


def _end_snapshot(store: SessionStore) -> None:
    """End the export's read transaction (a read: nothing to keep)."""
    try:
        if store.conn.in_transaction:
            store.conn.execute("COMMIT")
    except sqlite3.Error:
        pass  # the connection goes with the store; the sentence already said why


def _ticker(store: SessionStore, formats: tuple[str, ...], tables: list[Table],
            progress: Progress | None) -> Callable[[int], None]:
    """A tick(rows) that reports the fraction done; the log dominates, so the work
    is counted in entries (each streamed file counts the log once)."""
    if progress is None:
        return lambda n: None
    entries = int(store.scalar("SELECT count(*) FROM interactions") or 0)  # what interactions.csv holds
    small = sum(len(t.rows) for t in tables) + 1
    per_format = {"csv": entries + small, "xlsx": entries + small, "json": entries + small,
                  "gephi": small, "graphml": small, "md": 1, "html": 1}
    total = max(1, sum(per_format[f] for f in formats))
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        progress(min(done / total, 0.99), "")

    return tick


def report_text(store: SessionStore, fmt: str) -> str:
    """`facilitator report --format md|html --out -`: the report itself, for a pipe."""
    from facilitator.export.report_doc import render_report

    with all_or_nothing(store, "no report was written", []):
        return render_report(fmt, report_doc(store))
    raise AssertionError("unreachable")  # all_or_nothing re-raises every failure


def write_report_file(store: SessionStore, fmt: str, target: Path, force: bool = False) -> Path:
    """`facilitator report --format md|html --out FILE`: one file, written safely."""
    opened: list[ExportFiles] = []
    with all_or_nothing(store, "no report was written", opened):
        doc = report_doc(store)
        files = ExportFiles(target.parent, [target.name], force=force)
        opened.append(files)
        write_report(files, target.name, fmt, doc)
        return files.commit()[0]
    raise AssertionError("unreachable")  # all_or_nothing re-raises every failure
