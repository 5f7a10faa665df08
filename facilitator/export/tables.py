"""The derived tables every format writes: what people analyse, with names, not ids.

Each table has a stable column order. Tables that can be long (interactions,
memberships, ...) are SQL queries streamed from a cursor; the others are built
from the report's data (figures computed by facilitator.analysis). Values are raw
here: CSV neutralises text cells on the way out (models.cells), the machine formats
write them as they are. Every timestamp is ISO 8601 as stored (UTC)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from facilitator.export.csv_lines import format_row, line_sql, register_functions, risky_starts_sql
from facilitator.models.store import SessionStore

Row = Sequence[object]
CHUNK = 5000


@dataclass(frozen=True)
class Table:
    """One derived table: a SQL query (streamed) or rows built in Python."""

    name: str
    columns: tuple[str, ...]
    #: Columns holding text (a formula risk in CSV, written as strings in xlsx).
    texts: frozenset[str] = frozenset()
    #: Columns holding ISO 8601 timestamps (written as dates in xlsx).
    times: frozenset[str] = frozenset()
    sql: str | None = None
    rows: list[Row] = field(default_factory=list)
    description: str = ""
    #: For a long table: (an expression per column, the FROM part without ORDER BY,
    #: its integer key), so its CSV lines are built straight from the joined rows,
    #: a chunk of keys at a time.
    inline: tuple[tuple[str, ...], str, str] | None = None
    #: Inline expressions that come from a small table (expression -> table, column):
    #: when none of that table's values starts riskily, the million rows that
    #: repeat them need no test each (checked in the export's snapshot).
    joined_texts: tuple[tuple[str, str, str], ...] = ()

    def raw_chunks(self, store: SessionStore) -> Iterator[list[Row]]:
        """The rows as stored, a chunk at a time (never the whole table in memory)."""
        if self.sql is None:
            for start in range(0, len(self.rows), CHUNK):
                yield list(self.rows[start:start + CHUNK])
            return
        yield from _chunks(store, self.sql)

    def quoted(self) -> list[bool]:
        """Which columns are written quoted (text and timestamps)."""
        return [c in self.texts or c in self.times for c in self.columns]

    def csv_bytes(self, store: SessionStore) -> Iterator[tuple[bytes, int]]:
        """The rows as finished CSV in UTF-8 (lines joined by CRLF, no final one) and
        how many rows it holds, a chunk at a time, every cell neutralised.

        Streamed tables have SQLite build each line (export.csv_lines); rows built
        in Python are formatted the same way."""
        if self.sql is None:
            quoted = self.quoted()
            for chunk in self.raw_chunks(store):
                yield "\r\n".join(format_row(row, quoted) for row in chunk).encode(), len(chunk)
            return
        quoted = self.texts | self.times
        register_functions(store.conn)
        if self.inline is not None:
            expressions, source, key = self.inline
            clean = frozenset(e for e, table, column in self.joined_texts
                              if not store.scalar(risky_starts_sql(table, column)))
            line = line_sql(expressions, frozenset(e for c, e in zip(self.columns, expressions)
                                                   if c in quoted), raw=True, clean=clean)
            yield from _line_chunks(store, line, source, key)
            return
        sql = f"SELECT {line_sql(self.columns, quoted)} FROM ({self.sql})"
        for chunk in _chunks(store, sql):
            yield "\r\n".join([row[0] for row in chunk]).encode(), len(chunk)


#: Keys below every stored one (an INTEGER PRIMARY KEY is a signed 64-bit number).
_FIRST_KEY = -(2 ** 63)

#: Bytes that are never the text rule's business: printable ASCII, and the lead and
#: continuation bytes of UTF-8 (checked by decoding). What is left of a chunk once
#: they are deleted is its control bytes.
_NOT_CONTROL = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


def _as_the_file_rule_reads(chunk: bytes, rows: int) -> bool:
    """Whether a chunk read as bytes is already what the store's text rule
    (models.text.text_from_file) would give: valid UTF-8 and no control character
    but the CRLF between its lines and line breaks inside cells. Then it is written
    as it is; otherwise it is read again through the rule."""
    controls = chunk.translate(None, _NOT_CONTROL)
    if controls.replace(b"\n", b"") != b"\r" * (rows - 1):
        return False
    if not chunk.isascii():
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            return False
        if b"\xc2" in chunk and any("\x80" <= ch <= "\x9f" for ch in text):
            return False  # a C1 control character (U+0080 to U+009F)
    return True


def _line_chunks(store: SessionStore, line: str, source: str, key: str) -> Iterator[tuple[bytes, int]]:
    """CSV of CHUNK rows at a time, joined by SQLite itself and handed over as
    bytes: one object crosses into Python per chunk, not one tuple per row, and it
    goes to the file without decoding and encoding again. Each chunk seeks on the
    key (the whole export runs in one read transaction, so the chunks are one
    snapshot). group_concat keeps the subquery's order: SQLite cannot flatten an
    ordered, limited subquery into an aggregate, so it reads it in that order.

    The bytes bypass the store's text rule, so each chunk is checked against it
    (_as_the_file_rule_reads); one that fails (a raw control character or bytes
    that are not UTF-8, written into the file by another program) is read again
    line by line through the rule."""
    rows_sql = (f"SELECT {line} AS line, {key} AS key {source}"
                f" WHERE {key} >= ? ORDER BY {key} LIMIT {CHUNK}")
    sql = (f"SELECT CAST(group_concat(line, char(13, 10)) AS BLOB), count(*), max(key)"
           f" FROM ({rows_sql})")
    start = _FIRST_KEY
    while True:
        chunk, rows, last = store.conn.execute(sql, (start,)).fetchone()
        if not rows:
            return
        if _as_the_file_rule_reads(chunk, rows):
            yield chunk, rows
        else:
            text = "\r\n".join(r[0] for r in store.conn.execute(rows_sql, (start,)))
            yield text.encode(), rows
        if rows < CHUNK or last >= 2 ** 63 - 1:
            return
        start = last + 1


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _chunks(store: SessionStore, sql: str) -> Iterator[list[Row]]:
    # A cursor of its own, read to the end at once per chunk and not held across
    # anything but this export (a read-only connection: nobody waits on it).
    cursor = store.conn.execute(sql)
    try:
        while True:
            chunk = cursor.fetchmany(CHUNK)
            if not chunk:
                return
            yield chunk
    finally:
        cursor.close()


# ------------------------------------------------------------------ streamed ones
#: interactions.csv, column by column: the expressions are also what the CSV line
#: is built from directly (no subquery in between: SQLite then reads each row once).
INTERACTION_COLUMNS = (
    ("id", "i.id"), ("at", "i.at"), ("round", "r.name"), ("group", "g.name"),
    ("source", "s.name"), ("target", "t.name"), ("kind", "i.kind"), ("kind_label", "k.label"),
    ("note", "i.note"), ("logged_by", "i.logged_by"), ("voided_at", "i.voided_at"),
    ("voided_by", "i.voided_by"))
INTERACTIONS_FROM = """
FROM interactions i
LEFT JOIN participants s ON s.id = i.source_id
LEFT JOIN participants t ON t.id = i.target_id
LEFT JOIN kinds k ON k.name = i.kind
LEFT JOIN rounds r ON r.id = i.round_id
LEFT JOIN groups g ON g.id = i.group_id"""
INTERACTIONS_SQL = ("SELECT " + ", ".join(f'{e} AS "{c}"' for c, e in INTERACTION_COLUMNS)
                    + INTERACTIONS_FROM + " ORDER BY i.id")

INTERACTIONS = Table(
    "interactions",
    ("id", "at", "round", "group", "source", "target", "kind", "kind_label", "note",
     "logged_by", "voided_at", "voided_by"),
    texts=frozenset({"round", "group", "source", "target", "kind", "kind_label", "note",
                     "logged_by", "voided_by"}),
    times=frozenset({"at", "voided_at"}),
    sql=INTERACTIONS_SQL,
    inline=(tuple(e for _, e in INTERACTION_COLUMNS), INTERACTIONS_FROM, "i.id"),
    joined_texts=(("r.name", "rounds", "name"), ("g.name", "groups", "name"),
                  ("s.name", "participants", "name"), ("t.name", "participants", "name"),
                  ("k.label", "kinds", "label")),
    description="every entry of the log, undone ones included (voided_at set)")

#: One row per tie: directed kinds per direction, undirected kinds once per pair.
EDGE_SQL = """
SELECT a, b, directed, sum(n) AS weight, group_concat(kind || ':' || n, '; ') AS kinds,
       min(first) AS first_seen, max(last) AS last_seen
FROM (SELECT CASE WHEN k.directed THEN i.source_id ELSE min(i.source_id, i.target_id) END AS a,
             CASE WHEN k.directed THEN i.target_id ELSE max(i.source_id, i.target_id) END AS b,
             k.directed AS directed, i.kind AS kind, count(*) AS n, min(i.at) AS first,
             max(i.at) AS last, min(k.position) AS position
      FROM interactions i JOIN kinds k ON k.name = i.kind
      WHERE i.voided_at IS NULL AND i.source_id IS NOT NULL AND i.target_id IS NOT NULL
        AND k.scope = 'pair'
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, position, kind)
GROUP BY a, b, directed"""


def edges_sql(label: str) -> str:
    """The ties with each end named by participants.<label> (name or code)."""
    return (f"SELECT s.{label} AS source, t.{label} AS target,"
            " CASE e.directed WHEN 1 THEN 'directed' ELSE 'undirected' END AS type,"
            " e.weight AS weight, e.kinds AS kinds, e.first_seen AS first_seen,"
            " e.last_seen AS last_seen"
            f" FROM ({EDGE_SQL}) e JOIN participants s ON s.id = e.a"
            " JOIN participants t ON t.id = e.b"
            " ORDER BY s.name COLLATE NOCASE, t.name COLLATE NOCASE, e.directed DESC")


EDGES = Table(
    "edges", ("source", "target", "type", "weight", "kinds", "first_seen", "last_seen"),
    texts=frozenset({"source", "target", "type", "kinds"}),
    times=frozenset({"first_seen", "last_seen"}), sql=edges_sql("name"),
    description="weighted ties between people")

MEMBERSHIPS = Table(
    "memberships",
    ("at", "participant", "action", "group", "round", "logged_by", "voided_at", "voided_by"),
    texts=frozenset({"participant", "action", "group", "round", "logged_by", "voided_by"}),
    times=frozenset({"at", "voided_at"}),
    sql="""
SELECT m.at AS at, p.name AS participant, m.action AS action, g.name AS "group",
       r.name AS round, m.logged_by AS logged_by, m.voided_at AS voided_at,
       m.voided_by AS voided_by
FROM memberships m JOIN participants p ON p.id = m.participant_id
JOIN groups g ON g.id = m.group_id LEFT JOIN rounds r ON r.id = g.round_id
ORDER BY m.id""",
    description="who joined and left which group, when")

GROUPS = Table(
    "groups",
    ("group", "round", "formed_by", "convener", "created_at", "created_by", "closed_at",
     "members_now", "members_ever", "voided_at", "voided_by"),
    texts=frozenset({"group", "round", "formed_by", "convener", "created_by", "members_now",
                     "members_ever", "voided_by"}),
    times=frozenset({"created_at", "closed_at", "voided_at"}),
    sql="""
SELECT g.name AS "group", r.name AS round, g.formed_by AS formed_by, c.name AS convener,
       g.created_at AS created_at, g.created_by AS created_by, g.closed_at AS closed_at,
       (SELECT group_concat(name, '; ') FROM (SELECT cm.name FROM current_members cm
         WHERE cm.group_id = g.id ORDER BY cm.name COLLATE NOCASE)) AS members_now,
       (SELECT group_concat(name, '; ') FROM (SELECT DISTINCT p.name FROM memberships m
         JOIN participants p ON p.id = m.participant_id
         WHERE m.group_id = g.id AND m.voided_at IS NULL AND m.action = 'joined'
         ORDER BY p.name COLLATE NOCASE)) AS members_ever,
       g.voided_at AS voided_at, g.voided_by AS voided_by
FROM groups g LEFT JOIN rounds r ON r.id = g.round_id
LEFT JOIN participants c ON c.id = g.convener_id
ORDER BY coalesce(r.position, 1e9), g.id""",
    description="every group of every round")

GOALS = Table(
    "goals",
    ("id", "group", "group_round", "text", "status", "progress", "set_by", "round",
     "essentials", "created_at", "logged_by", "updated_at", "status_history"),
    texts=frozenset({"group", "group_round", "text", "status", "progress", "set_by", "round",
                     "essentials", "logged_by", "status_history"}),
    times=frozenset({"created_at", "updated_at"}),
    sql="""
SELECT go.id AS id, g.name AS "group", gr.name AS group_round, go.text AS text,
       go.status AS status, go.progress AS progress, go.set_by AS set_by, r.name AS round,
       (SELECT group_concat(name, '; ') FROM (SELECT e.name FROM goal_essentials ge
         JOIN essentials e ON e.id = ge.essential_id WHERE ge.goal_id = go.id
         ORDER BY e.name)) AS essentials,
       go.created_at AS created_at, go.logged_by AS logged_by, go.updated_at AS updated_at,
       (SELECT group_concat(step, '; ') FROM (SELECT h.at || ' ' || coalesce(h.old_value, '')
         || ' -> ' || coalesce(h.new_value, '') AS step FROM goal_history h
         WHERE h.goal_id = go.id AND h.field = 'status' ORDER BY h.at, h.id)) AS status_history
FROM goals go JOIN groups g ON g.id = go.group_id
LEFT JOIN rounds gr ON gr.id = g.round_id LEFT JOIN rounds r ON r.id = go.round_id
ORDER BY go.id""",
    description="each group's own goals")

GOAL_HISTORY = Table(
    "goal_history",
    ("goal_id", "group", "goal", "at", "by", "round", "field", "old_value", "new_value"),
    texts=frozenset({"group", "goal", "by", "round", "field", "old_value", "new_value"}),
    times=frozenset({"at"}),
    sql="""
SELECT h.goal_id AS goal_id, g.name AS "group", go.text AS goal, h.at AS at, h.by AS by,
       r.name AS round, h.field AS field, h.old_value AS old_value, h.new_value AS new_value
FROM goal_history h JOIN goals go ON go.id = h.goal_id JOIN groups g ON g.id = go.group_id
LEFT JOIN rounds r ON r.id = h.round_id ORDER BY h.at, h.id""",
    description="every change to a goal")

KINDS = Table(
    "kinds", ("name", "key", "label", "directed", "scope", "is_turn", "position"),
    texts=frozenset({"name", "key", "label", "scope"}),
    sql="SELECT name, key, label, directed, scope, is_turn, position FROM kinds"
        " ORDER BY position, name",
    description="the codebook")


# ------------------------------------------------------------- from the report
def tag_columns(people: list[dict[str, Any]], taken: Sequence[str]) -> list[tuple[str, str]]:
    """(tag, column name) for every tag anyone has, in order of first appearance; a
    tag named like a fixed column gets a "tag:" prefix."""
    seen: list[str] = []
    for person in people:
        for tag in person.get("tags", {}):
            if tag not in seen:
                seen.append(tag)
    lowered = {c.lower() for c in taken}
    return [(t, f"tag:{t}" if t.lower() in lowered else t) for t in seen]


FIGURES = ("as_source", "as_target", "turns", "talk_share", "degree", "in_degree",
           "out_degree", "strength", "together", "betweenness")


def participants_table(store: SessionStore, report: dict[str, Any]) -> Table:
    people = report.get("participants", [])
    groups = current_groups(store)
    kinds = [r[0] for r in store.rows("SELECT name FROM kinds WHERE scope = 'pair'"
                                       " ORDER BY position, name")]
    fixed = ["name", "code", "present", "group"]
    tags = tag_columns(people, fixed + list(FIGURES))
    kind_columns = [f"kind:{k}" for k in kinds]
    total_turns = sum(p.get("turns", 0) for p in people) or 0
    rows: list[Row] = []
    for person in people:
        name = person["name"]
        share = round(person.get("turns", 0) / total_turns, 4) if total_turns else 0.0
        figures = {**person, "talk_share": share}
        rows.append([name, person.get("code"),
                     "yes" if person.get("present", True) else "no", groups.get(name),
                     *[person.get("tags", {}).get(t) for t, _ in tags],
                     *[figures.get(f, 0) for f in FIGURES],
                     *[person.get("by_kind", {}).get(k, 0) for k in kinds]])
    columns = (*fixed, *[c for _, c in tags], *FIGURES, *kind_columns)
    return Table("participants", columns,
                 texts=frozenset({"name", "code", "present", "group", *[c for _, c in tags]}),
                 rows=rows, description="each person: tags, tallies, network figures")


def roster_table(report: dict[str, Any]) -> Table:
    """Name and one column per tag: what `facilitator new --roster` reads back."""
    people = report.get("participants", [])
    tags = tag_columns(people, ["name"])
    rows: list[Row] = [[p["name"], *[p.get("tags", {}).get(t) for t, _ in tags]] for p in people]
    return Table("roster", ("name", *[c for _, c in tags]),
                 texts=frozenset({"name", *[c for _, c in tags]}), rows=rows,
                 description="the roster, importable as a roster")


def current_groups(store: SessionStore) -> dict[str, str]:
    """Each person's group now: their open group of the latest round they are in."""
    found: dict[str, str] = {}
    for row in store.rows(
            "SELECT cm.name, cm.\"group\" FROM current_members cm JOIN groups g ON g.id = cm.group_id"
            " LEFT JOIN rounds r ON r.id = g.round_id WHERE g.closed_at IS NULL"
            " ORDER BY coalesce(r.position, -1), cm.group_id"):
        found[row[0]] = row[1]
    return found


def coverage_table(store: SessionStore, report: dict[str, Any]) -> Table:
    descriptions = {r[0]: r[1] for r in store.rows(
        "SELECT name, description FROM essentials ORDER BY id")}
    challenged: dict[str, int] = {}
    for item in report.get("challenges", []):
        if item.get("topic"):
            challenged[item["topic"]] = challenged.get(item["topic"], 0) + 1
    rows: list[Row] = []
    for topic, groups in report.get("coverage", {}).items():
        named = "; ".join(f"{g['group']} ({g['round']})" if g.get("round") else g["group"]
                          for g in groups)
        rows.append([topic, descriptions.get(topic), len(groups), named,
                     "yes" if topic in report.get("neglected", []) else "no",
                     challenged.get(topic, 0)])
    return Table("coverage", ("essential", "description", "groups_covering", "covered_by",
                              "neglected", "challenges"),
                 texts=frozenset({"essential", "description", "covered_by", "neglected"}),
                 rows=rows, description="each essential topic and the groups whose goals cover it")


def challenges_table(report: dict[str, Any]) -> Table:
    columns = ("id", "group", "round", "topic", "text", "raised_at", "raised_by", "status",
               "answer", "answered_at", "noted_by")
    rows: list[Row] = [[c.get(k) for k in columns] for c in report.get("challenges", [])]
    return Table("challenges", columns,
                 texts=frozenset({"group", "round", "topic", "text", "raised_by", "status",
                                  "answer", "noted_by"}),
                 times=frozenset({"raised_at", "answered_at"}), rows=rows,
                 description="challenges raised with groups, and the groups' answers")


def rounds_table(rounds: list[dict[str, Any]]) -> Table:
    columns = ("position", "round", "planned_minutes", "started_at", "started_by", "ended_at",
               "ended_by", "entries", "groups", "speakers", "gini", "equity")
    rows: list[Row] = [[r.get(k) for k in columns] for r in rounds]
    return Table("rounds", columns,
                 texts=frozenset({"round", "started_by", "ended_by", "equity"}),
                 times=frozenset({"started_at", "ended_at"}), rows=rows,
                 description="each round: timing, entries, equity of speaking turns")


def derived_tables(store: SessionStore, report: dict[str, Any],
                   rounds: list[dict[str, Any]]) -> list[Table]:
    """Every derived table, in the order the files are listed in docs/export.md."""
    return [INTERACTIONS, participants_table(store, report), roster_table(report), EDGES,
            GROUPS, MEMBERSHIPS, GOALS, GOAL_HISTORY, coverage_table(store, report),
            challenges_table(report), rounds_table(rounds), KINDS]
