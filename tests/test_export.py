"""`facilitator export` and `import`: derived files people can use, machine formats
that read back identically, cells that never run as formulas yet round-trip, and
files written whole or not at all."""

from __future__ import annotations

import csv
import errno
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.cli import cli
from facilitator.export.csv_lines import format_row, line_sql, register_functions
from facilitator.models.cells import needs_neutralising, neutralise, restore
from facilitator.models.interactions import void_interaction
from facilitator.models.store import SessionStore

ALL = "csv,gephi,graphml,json,xlsx,md,html"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no byte-order mark"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ------------------------------------------------------------------------- cells
TRICKY = ["=1+2", "@SUM(A1)", "+41 22 000", "-5 minutes late", "'=x", "''+1 2", "\tx", "+", "-",
          "-5", "+3.5", "'plain", "plain", "", "ZoË Müller", "=", "@"]


@pytest.mark.parametrize("value", TRICKY)
def test_a_neutralised_cell_never_runs_and_reads_back_exactly(value: str) -> None:
    cell = neutralise(value)
    assert restore(cell) == value  # type: ignore[arg-type]
    runs = cell[:1] in ("=", "@", "\t") or (  # type: ignore[index]
        cell[:1] in ("+", "-") and len(cell) > 1 and not re.fullmatch(r"[+-][0-9.]+", cell))  # type: ignore[arg-type]
    assert not runs, cell


def test_only_what_a_spreadsheet_would_run_is_prefixed() -> None:
    assert neutralise("+") == "+" and neutralise("-") == "-"  # the codebook's keys
    assert neutralise("-5") == "-5" and neutralise("+3.5") == "+3.5"
    assert neutralise("+41 22 000") == "'+41 22 000"
    assert neutralise("'hello") == "'hello"


# NUL ends a string in SQLite's printf; no front end stores one (models.text).
CELLS = st.text(alphabet=st.sampled_from("=+-@'\t\r\n\",.0123a b"), max_size=6) | \
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=4))
def test_streamed_lines_read_back_as_the_neutralised_cells(values: list[str]) -> None:
    """What SQLite builds (its cheap first-character test sending risky cells
    through the Python rule) parses, in Python's csv, to exactly neutralise() of
    each cell; restore() gives the value back."""
    for value in values:
        assert restore(neutralise(value)) == value  # type: ignore[arg-type]
        assert needs_neutralising(value) == (neutralise(value) != value)
    columns = [f"c{i}" for i in range(len(values))]
    conn = sqlite3.connect(":memory:")
    register_functions(conn)
    sql = f"WITH t({', '.join(columns)}) AS (SELECT {', '.join('?' * len(values))})" \
          f" SELECT {line_sql(columns, frozenset(columns))} FROM t"
    line = conn.execute(sql, values).fetchone()[0]
    fixed = line
    expected = [neutralise(v) for v in values]
    assert next(csv.reader([fixed + "\r\n"])) == expected
    # Rows built in Python come out the same, neutralised on the way.
    assert format_row(values, [True] * len(values)) == fixed


RAW_NOTES = [
    "plain", "¤ the sign chunks are joined with", "line one\nline two", "\x1b[31mred\x1b[0m",
    "a\rb", "next line\x85", "=1+2", "'=x", "+41 22 000", "-", "Zoë, \"quoted\"", None, ""]


def test_interactions_stream_in_chunks_exactly_as_the_text_rule_reads_them(
        demo_session: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The interactions file is built a chunk at a time as bytes that bypass the
    store's text rule: whatever raw rows another program wrote (control characters,
    bytes that are not UTF-8, the joining sign), across chunk ends and id gaps, it
    holds exactly the lines the rule gives row by row, in id order."""
    from facilitator.export import tables

    conn = sqlite3.connect(demo_session)
    with conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM interactions ORDER BY id")]
        conn.execute("DELETE FROM interactions WHERE id IN (?, ?, ?)", (ids[3], ids[4], ids[20]))
        for number, note in enumerate(RAW_NOTES):
            conn.execute("UPDATE interactions SET note = ? WHERE id = ?", (note, ids[5 + 3 * number]))
        conn.execute("UPDATE interactions SET note = CAST(X'6e6f7420757466ff38' AS TEXT)"
                     " WHERE id = ?", (ids[50],))
        conn.execute("UPDATE interactions SET id = id + 100000 WHERE id = ?", (ids[-1],))
        # Names from the small tables: a risky one anywhere makes its column tested row by row.
        conn.execute("UPDATE rounds SET name = '=SUM(A1)' WHERE id = (SELECT MIN(id) FROM rounds)")
        conn.execute("UPDATE kinds SET label = '@label' WHERE name = 'ask'")
    conn.close()
    monkeypatch.setattr(tables, "CHUNK", 7)
    out = tmp_path / "out"
    assert run("export", str(demo_session), "--out", str(out)).exit_code == 0
    written = (out / "interactions.csv").read_bytes()

    exprs, source, key = tables.INTERACTIONS.inline  # type: ignore[misc]
    quoted = tables.INTERACTIONS.texts | tables.INTERACTIONS.times
    line = line_sql(exprs, frozenset(e for c, e in zip(tables.INTERACTIONS.columns, exprs)
                                     if c in quoted), raw=True)
    with SessionStore.open(demo_session, read_only=True) as store:
        register_functions(store.conn)
        lines = [r[0] for r in store.conn.execute(f"SELECT {line} {source} ORDER BY {key}")]
    assert len(lines) > 50
    header = written.split(b"\r\n", 1)[0]
    assert written == header + b"\r\n" + "\r\n".join(lines).encode() + b"\r\n"
    text = written.decode("utf-8-sig")
    assert "\x1b" not in text and "\r" not in text.replace("\r\n", "") and "\x85" not in text
    assert "␛[31mred" in text and "a␍b" in text and "not utf\ufffd8" in text
    assert "\"'=SUM(A1)\"" in text and "\"'@label\"" in text and ',"=' not in text
    notes = {r["note"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert {"plain", "¤ the sign chunks are joined with", "line one\nline two", "␛[31mred␛[0m",
            "'=1+2", "''=x", "'+41 22 000", "-", 'Zoë, "quoted"'} <= notes


# --------------------------------------------------------------- derived files
def test_csv_files_have_names_not_ids_and_stable_columns(demo_session: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("export", str(demo_session), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{n}.csv" for n in (
        "interactions", "participants", "roster", "edges", "groups", "memberships", "goals",
        "goal_history", "coverage", "challenges", "rounds", "kinds"))
    entries = read_csv(out / "interactions.csv")
    assert list(entries[0]) == ["id", "at", "round", "group", "source", "target", "kind",
                                "kind_label", "note", "logged_by", "voided_at", "voided_by"]
    first = entries[0]
    assert first["round"] == "Opening circle" and first["source"] and first["kind_label"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", first["at"])
    people = read_csv(out / "participants.csv")
    assert len(people) == 24
    amara = next(p for p in people if p["name"] == "Amara Okafor")
    assert amara["organisation"] == "Parks Agency" and amara["role"] == "manager"
    assert int(amara["kind:speak"]) == int(amara["turns"]) and float(amara["talk_share"]) > 0
    assert int(amara["degree"]) > 0 and amara["group"]
    edges = read_csv(out / "edges.csv")
    assert set(edges[0]) == {"source", "target", "type", "weight", "kinds", "first_seen", "last_seen"}
    with SessionStore.open(demo_session, read_only=True) as store:
        live_pairs = store.scalar(
            "SELECT count(*) FROM interactions i JOIN kinds k ON k.name = i.kind WHERE"
            " i.voided_at IS NULL AND i.target_id IS NOT NULL AND k.scope = 'pair'")
        goals = store.scalar("SELECT count(*) FROM goals")
    assert sum(int(e["weight"]) for e in edges) == live_pairs
    goal_rows = read_csv(out / "goals.csv")
    assert len(goal_rows) == goals and {"group", "group_round", "essentials", "status"} <= set(goal_rows[0])
    assert any(g["essentials"] == "Safety" for g in goal_rows)
    challenge = read_csv(out / "challenges.csv")[0]
    assert challenge["group"] == "Data sharing" and challenge["answer"].startswith("We will count")
    moves = read_csv(out / "memberships.csv")
    assert {"joined"} <= {m["action"] for m in moves} and moves[0]["group"] == "Opening circle"
    rounds = read_csv(out / "rounds.csv")
    assert [r["round"] for r in rounds] == ["Opening circle", "Open space", "Mixed groups"]
    assert all(0 <= float(r["gini"]) <= 1 for r in rounds)
    coverage = {c["essential"]: c for c in read_csv(out / "coverage.csv")}
    assert coverage["Evaluation"]["neglected"] == "yes" and coverage["Safety"]["neglected"] == "no"
    kinds = {k["name"]: k for k in read_csv(out / "kinds.csv")}
    assert kinds["energy-up"]["key"] == "+" and kinds["energy-down"]["key"] == "-"


def test_no_bom_leaves_the_mark_out(small_session: Path, tmp_path: Path) -> None:
    assert run("export", str(small_session), "--out", str(tmp_path / "o"), "--no-bom").exit_code == 0
    assert (tmp_path / "o" / "roster.csv").read_bytes().startswith(b'"name",')


def test_gephi_files_are_what_its_spreadsheet_import_expects(demo_session: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("export", str(demo_session), "--out", str(out), "--format", "gephi").exit_code == 0
    nodes = read_csv(out / "gephi" / "nodes.csv")
    edges = read_csv(out / "gephi" / "edges.csv")
    assert list(nodes[0])[:3] == ["Id", "Label", "present"] and "group" in nodes[0]
    assert list(edges[0])[:4] == ["Source", "Target", "Type", "Weight"]
    ids = {n["Id"] for n in nodes}
    assert len(ids) == 24 and all(e["Source"] in ids and e["Target"] in ids for e in edges)
    assert {e["Type"] for e in edges} <= {"Directed", "Undirected"}


def test_graphml_reads_back_in_networkx_identically(demo_session: Path, tmp_path: Path) -> None:
    import networkx as nx

    out = tmp_path / "out"
    assert run("export", str(demo_session), "--out", str(out), "--format", "csv,graphml").exit_code == 0
    graph = nx.read_graphml(out / "network.graphml")
    people = {p["code"]: p for p in read_csv(out / "participants.csv")}
    assert set(graph.nodes) == set(people)
    for code, person in people.items():
        attributes = graph.nodes[code]
        assert attributes["label"] == person["name"]
        assert attributes["organisation"] == person["organisation"]
        assert attributes["degree"] == int(person["degree"])
        assert attributes["betweenness"] == pytest.approx(float(person["betweenness"]))
    by_name = {p["name"]: code for code, p in people.items()}
    expected = {(by_name[e["source"]], by_name[e["target"]], e["type"]): e
                for e in read_csv(out / "edges.csv")}
    found = {(u, v, d["type"]): d for u, v, d in graph.edges(data=True)}
    assert set(found) == set(expected)
    for key, edge in expected.items():
        assert found[key]["weight"] == int(edge["weight"])
        assert found[key]["kinds"] == edge["kinds"]
        assert found[key]["first_seen"] == edge["first_seen"]


def test_json_holds_the_whole_session_and_the_report(demo_session: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("export", str(demo_session), "--out", str(out), "--format", "json").exit_code == 0
    data = json.loads((out / "session.json").read_text(encoding="utf-8"))
    with SessionStore.open(demo_session, read_only=True) as store:
        assert len(data["tables"]["interactions"]) == store.scalar("SELECT count(*) FROM interactions")
    assert data["tables"]["participants"][0]["tags"]["organisation"]
    assert data["report"] == json.loads(run("report", str(demo_session), "--json").output)


def sheet_xml(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        return {name: archive.read(f"xl/worksheets/sheet{i + 1}.xml").decode()
                for i, name in enumerate(names)}


def test_xlsx_has_typed_cells_and_never_a_formula(small_session: Path, tmp_path: Path) -> None:
    run("roster", str(small_session), "--add", '=HYPERLINK("http://x")')
    run("log", str(small_session), "al", "bs", "--note", "+41 22 000 called")
    out = tmp_path / "out"
    assert run("export", str(small_session), "--out", str(out), "--format", "xlsx").exit_code == 0
    sheets = sheet_xml(out / "session.xlsx")
    assert list(sheets)[:4] == ["interactions", "participants", "roster", "edges"]
    for name, xml in sheets.items():
        assert "<f>" not in xml, f"a formula in sheet {name}"
        assert '<pane ySplit="1"' in xml, f"header row of {name} not frozen"
    interactions = sheets["interactions"]
    assert "+41 22 000 called" in interactions  # raw, not neutralised
    assert '<c r="A2" s="0"><v>1</v>' in interactions or re.search(r'<c r="A2"[^>]*><v>1</v>', interactions)
    # The timestamp is a date (a number with a date format), not text.
    assert re.search(r'<c r="B2" s="\d+"><v>4\d{4}\.\d+</v>', interactions)
    # A string cell (inline text), never a formula.
    assert '<c r="A2" t="inlineStr"><is><t>=HYPERLINK("http://x")</t>' in sheets["participants"]


def test_long_tables_continue_on_a_second_sheet(small_session: Path, tmp_path: Path) -> None:
    from facilitator.export.files import ExportFiles
    from facilitator.export.tables import INTERACTIONS
    from facilitator.export.xlsx import write_xlsx

    for _ in range(5):
        run("log", str(small_session), "al", "bs")
    with SessionStore.open(small_session, read_only=True) as store:
        files = ExportFiles(tmp_path / "o", ["session.xlsx"])
        write_xlsx(files, [INTERACTIONS], store, "t", lambda n: None, rows_per_sheet=4)
        files.commit()
    sheets = sheet_xml(tmp_path / "o" / "session.xlsx")
    assert list(sheets) == ["interactions", "interactions (2)"]
    assert sheets["interactions (2)"].count("<row ") == 1 + 2  # header + the last 2 entries


# ------------------------------------------------------------------ round trip
def test_an_export_imports_into_a_new_session_as_the_same_entries(
        demo_session: Path, tmp_path: Path) -> None:
    with SessionStore.open(demo_session, identity="sam") as store:
        store.conn.execute("UPDATE participants SET name = '+41 22 000' WHERE code = 'ao'")
        store.conn.execute("UPDATE interactions SET note = '=1+2' WHERE id = 3")
        store.conn.execute("UPDATE interactions SET note = '''=x' WHERE id = 4")
        store.conn.execute("UPDATE interactions SET note = '-' WHERE id = 5")
        void_interaction(store, 6)
    out = tmp_path / "out"
    assert run("export", str(demo_session), "--out", str(out)).exit_code == 0
    raw = (out / "interactions.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2" in raw and "''=x" in raw and "'+41 22 000" in raw

    fresh = tmp_path / "fresh.db"
    result = run("new", str(fresh), "--roster", str(out / "roster.csv"))
    assert result.exit_code == 0, result.output
    result = run("import", str(fresh), str(out / "interactions.csv"))
    assert result.exit_code == 1
    assert "there is no round 'Opening circle'" in result.output and "--add-missing" in result.output
    result = run("import", str(fresh), str(out / "interactions.csv"), "--add-missing")
    assert result.exit_code == 0, result.output
    assert "1 of them undone" in result.output and "created 3 rounds" in result.output

    query = ("SELECT i.at, s.name, t.name, i.kind, i.note, i.logged_by, i.voided_at, i.voided_by,"
             " r.name, g.name FROM interactions i LEFT JOIN participants s ON s.id = i.source_id"
             " LEFT JOIN participants t ON t.id = i.target_id LEFT JOIN rounds r ON r.id = i.round_id"
             " LEFT JOIN groups g ON g.id = i.group_id ORDER BY i.id")
    with SessionStore.open(demo_session, read_only=True) as before, \
            SessionStore.open(fresh, read_only=True) as after:
        assert [tuple(r) for r in after.rows(query)] == [tuple(r) for r in before.rows(query)]
        assert after.scalar("SELECT note FROM interactions WHERE id = 4") == "'=x"
        tags = "SELECT name, tags FROM participants ORDER BY name"
        assert [tuple(r) for r in after.rows(tags)] == [tuple(r) for r in before.rows(tags)]


@pytest.mark.parametrize("header, column", [
    ("source,target,kind,timestmp", "timestmp"),
    ("source,target,Kind,colour", "colour"),
    ("source,target,at,,note", "(a column with no name)"),
])
def test_an_unknown_column_is_refused_naming_it(small_session: Path, tmp_path: Path,
                                                header: str, column: str) -> None:
    file = tmp_path / "obs.csv"
    file.write_text(header + "\nal,bs,ask,2026-11-28T10:00:00,x\n")
    result = run("import", str(small_session), str(file))
    assert result.exit_code == 1
    assert f"unknown column {column!r}" in result.output or f"unknown column '{column}'" in result.output
    assert len(result.output.strip().splitlines()) == 1
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM interactions") == 0


def test_the_exports_own_at_column_keeps_the_times(small_session: Path, tmp_path: Path) -> None:
    file = tmp_path / "obs.csv"
    file.write_text("source,target,kind,at\nal,bs,ask,2026-11-28T10:00:00+01:00\n")
    assert run("import", str(small_session), str(file)).exit_code == 0
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("SELECT at FROM interactions") == "2026-11-28T09:00:00.000+00:00"


# ------------------------------------------------------------------------ safety
def test_existing_files_need_force(small_session: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("export", str(small_session), "--out", str(out)).exit_code == 0
    (out / "roster.csv").write_text("mine")
    before = files_under(out)
    result = run("export", str(small_session), "--out", str(out), "--format", "csv,html")
    assert result.exit_code == 1
    assert "--force" in result.output and len(result.output.strip().splitlines()) == 1
    assert files_under(out) == before  # not even the new report.html
    assert run("export", str(small_session), "--out", str(out), "--force").exit_code == 0
    assert (out / "roster.csv").read_text(encoding="utf-8-sig").startswith('"name",')


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device", "session.xlsx"),
                                     KeyboardInterrupt()])
def test_a_failed_export_leaves_nothing_behind(small_session: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               failure: BaseException) -> None:
    import facilitator.core.exporting as exporting

    out = tmp_path / "out"
    assert run("export", str(small_session), "--out", str(out), "--format", "csv").exit_code == 0
    before = files_under(out)

    def broken(files, *args, **kwargs):  # type: ignore[no-untyped-def]
        with files.open_text("session.xlsx") as handle:
            handle.write("half a workbook")
        raise failure

    monkeypatch.setattr(exporting, "write_xlsx", broken)
    result = CliRunner().invoke(cli, ["export", str(small_session), "--out", str(out), "--force",
                                      "--format", "gephi,csv,xlsx"])
    if isinstance(failure, OSError):
        assert result.exit_code == 1
        assert result.output.strip() == ("facilitator: The disk is full while writing session.xlsx;"
                                         " nothing was exported.")
    else:
        assert result.exit_code != 0
    assert files_under(out) == before  # no gephi/, no temporary file, old files as they were
    fresh = tmp_path / "fresh"
    CliRunner().invoke(cli, ["export", str(small_session), "--out", str(fresh), "--format", "gephi,xlsx"])
    assert not fresh.exists()  # the folder it made is gone too


def test_an_unwritable_place_is_one_sentence(small_session: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("export", str(small_session), "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    result = run("export", str(small_session), "--out", str(blocker))
    assert result.exit_code == 2 and "is a file" in result.output  # click's usage sentence


def test_a_bad_format_is_one_sentence(small_session: Path, tmp_path: Path) -> None:
    result = run("export", str(small_session), "--format", "csv,pdf", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "'pdf' is not an export format" in result.output
    assert not (tmp_path / "o").exists()


def test_export_never_writes_the_session_file(demo_session: Path, tmp_path: Path) -> None:
    before = demo_session.read_bytes()
    assert run("export", str(demo_session), "--out", str(tmp_path / "o"), "--format", ALL).exit_code == 0
    assert demo_session.read_bytes() == before


def test_docs_describe_every_file_and_column(demo_session: Path, tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "export.md").read_text()
    out = tmp_path / "out"
    assert run("export", str(demo_session), "--out", str(out), "--format", ALL).exit_code == 0
    with SessionStore.open(demo_session, read_only=True) as store:
        tags = {t for (text,) in store.rows("SELECT tags FROM participants") for t in json.loads(text)}
    for path in sorted(out.rglob("*")):
        if path.is_dir():
            continue
        name = str(path.relative_to(out))
        assert f"`{name}`" in docs, f"docs/export.md does not describe {name}"
        if path.suffix == ".csv":
            header = next(csv.reader([path.read_text(encoding="utf-8-sig").splitlines()[0]]))
            for column in header:
                if column in tags or column.startswith("kind:"):
                    continue  # documented as "one column per tag" and "kind:<name>"
                assert f"`{column}`" in docs, f"docs/export.md does not describe {name}: {column}"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_damaged_file_is_one_sentence_whatever_the_format(demo_session: Path, tmp_path: Path,
                                                            seed: int) -> None:
    from tests.test_network_report_rounds import damage

    damage(demo_session, seed)
    out = tmp_path / "out"
    for args in (["export", str(demo_session), "--out", str(out), "--format", ALL],
                 ["report", str(demo_session), "--format", "html", "--out", str(out / "r.html")],
                 ["report", str(demo_session)]):
        result = CliRunner().invoke(cli, args)
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, sqlite3.Error), result.output
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("facilitator: "), result.output
        assert "damaged" in lines[0] or "corrupt" in lines[0], lines[0]
    assert not out.exists()  # nothing written, not even the folder


def test_every_file_shows_the_same_moment_while_others_log(small_session: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A co-facilitator logs while the export runs: the export shows the session as it
    was when it began, in every file (the tallies add up to the interactions file)."""
    import facilitator.core.exporting as exporting
    from facilitator.models.interactions import log_interaction
    from facilitator.models.roster import find_participant

    run("log", str(small_session), "al", "bs")
    original = exporting.write_tables

    def while_someone_logs(files, tables, store, bom, tick):  # type: ignore[no-untyped-def]
        with SessionStore.open(small_session, identity="cleo") as other:
            ana, bob = find_participant(other, "al"), find_participant(other, "bs")
            log_interaction(other, "speak", ana, bob)
        original(files, tables, store, bom, tick)

    monkeypatch.setattr(exporting, "write_tables", while_someone_logs)
    out = tmp_path / "out"
    assert run("export", str(small_session), "--out", str(out)).exit_code == 0
    entries = read_csv(out / "interactions.csv")
    people = read_csv(out / "participants.csv")
    assert len(entries) == 1
    assert sum(int(p["as_source"]) for p in people) == 1
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM interactions") == 2  # it was logged


def test_an_export_killed_midway_leaves_nothing_after_the_next_one(small_session: Path,
                                                                  tmp_path: Path) -> None:
    """A SIGKILL cannot clean up; the next export into the folder removes what the
    killed one left (its process is gone), and nothing of a running export or of
    anyone else's."""
    import os
    import subprocess
    import sys

    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed = out / f".interactions.csv.part-{dead}-k1ll3d"
    running = out / f".interactions.csv.part-{os.getpid()}-running"
    old_style = out / ".roster.csv.part-x7y8z9"
    fresh_old_style = out / ".kinds.csv.part-a1b2c3"
    theirs = out / ".notes.txt.part-1-theirs"
    for path in (killed, running, old_style, fresh_old_style, theirs):
        path.write_text("half a file")
    os.utime(old_style, (1, 1))
    assert run("export", str(small_session), "--out", str(out)).exit_code == 0
    left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert left == sorted(p.name for p in (running, fresh_old_style, theirs))
    assert (out / "interactions.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_report_goes_to_standard_output_with_out_dash(demo_session: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    markdown = run("report", str(demo_session), "--format", "md", "--out", "-")
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output.startswith("# ") and "Wrote the report" not in markdown.output
    page = run("report", str(demo_session), "--format", "html", "--out", "-")
    assert page.exit_code == 0 and page.output.lstrip().lower().startswith("<!doctype html>")
    assert not (tmp_path / "export").exists() and not list(tmp_path.glob("*.md"))  # no file
