"""Machine formats: GraphML (networkx, Gephi, yEd) and JSON of the whole session.

They carry raw values: no cell is neutralised (nothing runs a formula here)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from facilitator.export.files import ExportFiles
from facilitator.export.tables import Table, edges_sql
from facilitator.models.store import SessionStore

Tick = Callable[[int], None]
GRAPHML_NAME = "network.graphml"
JSON_NAME = "session.json"
#: Tables that describe who is online now, not the session.
#: Tables that say nothing about the session: who has it open now, and the live
#: screens' bookkeeping (write counts, the feed of changed entries; schema 7).
NOT_SESSION_DATA = {"presence", "changes", "interaction_changes"}


def network_graph(store: SessionStore, participants: Table, title: str) -> Any:
    """The network as networkx builds it: nodes by code with the participants'
    columns as attributes, one edge per tie with weight, type, kinds, first and
    last seen. A DiGraph (undirected ties go from the first-named person), or a
    MultiDiGraph when a pair has both a directed and an undirected tie."""
    import networkx as nx

    ties = store.rows(edges_sql("code"))
    seen: set[tuple[str, str]] = set()
    multi = False
    for tie in ties:
        key = (tie["source"], tie["target"])
        multi = multi or key in seen
        seen.add(key)
    graph = nx.MultiDiGraph(title=title) if multi else nx.DiGraph(title=title)
    columns = list(participants.columns)
    for row in participants.rows:
        values = dict(zip(columns, row))
        code = values.pop("code")
        values["label"] = values.pop("name")
        graph.add_node(code, **{k: v for k, v in values.items() if v is not None})
    for tie in ties:
        attributes = {k: tie[k] for k in ("type", "weight", "kinds", "first_seen", "last_seen")
                      if tie[k] is not None}
        graph.add_edge(tie["source"], tie["target"], **attributes)
    return graph


def write_graphml(files: ExportFiles, store: SessionStore, participants: Table, title: str,
                  tick: Tick) -> None:
    import networkx as nx

    graph = network_graph(store, participants, title)
    temp = files.temp_path(GRAPHML_NAME)
    nx.write_graphml(graph, temp, encoding="utf-8", prettyprint=True)
    tick(graph.number_of_nodes() + graph.number_of_edges())


def session_tables(store: SessionStore) -> list[str]:
    return [r[0] for r in store.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY rowid") if r[0] not in NOT_SESSION_DATA]


def write_json(files: ExportFiles, store: SessionStore, report: dict[str, Any],
               tick: Tick) -> None:
    """{"format", "report", "tables": {table: [row, ...]}}: every row of every table
    as stored (tags as objects), streamed a row at a time, then the report."""
    with files.open_text(JSON_NAME, bom=False) as out:
        out.write('{\n  "format": "facilitator session export",\n  "tables": {')
        for number, name in enumerate(session_tables(store)):
            out.write(("," if number else "") + f"\n    {json.dumps(name)}: [")
            cursor = store.conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            columns = [d[0] for d in cursor.description]
            first = True
            while chunk := cursor.fetchmany(5000):
                for row in chunk:
                    record = dict(zip(columns, row))
                    if name == "participants" and isinstance(record.get("tags"), str):
                        record["tags"] = json.loads(record["tags"])
                    out.write(("" if first else ",") + "\n      "
                              + json.dumps(record, ensure_ascii=False))
                    first = False
                tick(len(chunk))
            out.write("\n    ]" if not first else "]")
        out.write("\n  },\n  \"report\": ")
        out.write(json.dumps(report, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        out.write("\n}\n")
