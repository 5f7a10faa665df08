"""CSV files for people and for Gephi, streamed from the session file.

UTF-8 with a byte-order mark by default (Excel needs it to read accents right;
LibreOffice reads it too), comma-separated, CRLF line ends, text cells quoted and
numbers not (export.csv_lines), every cell a spreadsheet would run as a formula
neutralised (models.cells; `facilitator import` reverses exactly that)."""

from __future__ import annotations

from collections.abc import Callable

from facilitator.export.csv_lines import format_row
from facilitator.export.files import ExportFiles
from facilitator.export.tables import EDGE_SQL, Table, edges_sql
from facilitator.models.store import SessionStore

Tick = Callable[[int], None]


def write_csv(files: ExportFiles, name: str, table: Table, store: SessionStore,
              header: tuple[str, ...] | None = None, bom: bool = True,
              tick: Tick = lambda n: None) -> None:
    """Stream one table into `name` (a chunk of rows at a time)."""
    with files.open_binary(name) as handle:
        columns = header or table.columns  # tag names are typed text too
        handle.write(("\ufeff" if bom else "").encode())
        handle.write(format_row(columns, [True] * len(columns)).encode())
        handle.write(b"\r\n")
        for data, rows in table.csv_bytes(store):
            if rows:
                handle.write(data)
                handle.write(b"\r\n")
            tick(rows)


def csv_names(tables: list[Table]) -> list[str]:
    return [f"{t.name}.csv" for t in tables]


def write_tables(files: ExportFiles, tables: list[Table], store: SessionStore, bom: bool,
                 tick: Tick) -> None:
    for table in tables:
        write_csv(files, f"{table.name}.csv", table, store, bom=bom, tick=tick)


# ------------------------------------------------------------------------ Gephi
GEPHI_NAMES = ["gephi/nodes.csv", "gephi/edges.csv"]


def gephi_tables(participants: Table) -> tuple[Table, Table]:
    """Gephi's spreadsheet import: nodes with Id and Label, edges with Source,
    Target, Type (Directed/Undirected) and Weight; the rest are attributes."""
    columns = list(participants.columns)
    name_at, code_at = columns.index("name"), columns.index("code")
    rest = [i for i, c in enumerate(columns) if c not in ("name", "code")]
    rows = [[row[code_at], row[name_at], *[row[i] for i in rest]] for row in participants.rows]
    nodes = Table("nodes", ("Id", "Label", *[columns[i] for i in rest]),
                  texts=frozenset({"Id", "Label", *(participants.texts - {"name", "code"})}),
                  rows=rows)
    edges = Table("edges", ("Source", "Target", "Type", "Weight", "kinds", "first_seen",
                            "last_seen"),
                  texts=frozenset({"Source", "Target", "Type", "kinds"}),
                  times=frozenset({"first_seen", "last_seen"}),
                  sql=gephi_edges_sql())
    return nodes, edges


def gephi_edges_sql() -> str:
    return (f"SELECT s.code AS \"Source\", t.code AS \"Target\","
            " CASE e.directed WHEN 1 THEN 'Directed' ELSE 'Undirected' END AS \"Type\","
            " e.weight AS \"Weight\", e.kinds AS kinds, e.first_seen AS first_seen,"
            " e.last_seen AS last_seen"
            f" FROM ({EDGE_SQL}) e JOIN participants s ON s.id = e.a"
            " JOIN participants t ON t.id = e.b ORDER BY s.code, t.code, e.directed DESC")


def write_gephi(files: ExportFiles, participants: Table, store: SessionStore, bom: bool,
                tick: Tick) -> None:
    nodes, edges = gephi_tables(participants)
    write_csv(files, GEPHI_NAMES[0], nodes, store, bom=bom, tick=tick)
    write_csv(files, GEPHI_NAMES[1], edges, store, bom=bom, tick=tick)


__all__ = ["GEPHI_NAMES", "csv_names", "edges_sql", "gephi_tables", "write_csv", "write_gephi",
           "write_tables"]
