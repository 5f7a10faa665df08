"""`facilitator import` of whole sessions' worth of rows: what a facilitator gets
from a large file (every entry, in the file's order, the file still a sound session
that other tools and the report read fast) and from a bad one (one sentence naming
the line, the session file untouched). The round trip with export and the smaller
refusals are in test_export.py, test_cli.py and test_qa_live.py."""

from __future__ import annotations

import csv
import gc
import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import heavy_modules_after
from facilitator.cli import cli
from facilitator.models import interactions_write
from facilitator.models.session import create_session
from facilitator.models.store import SessionStore

HEADER = ["source", "target", "kind", "at", "note"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def many_rows(count: int) -> list[list[str]]:
    """Rows as export writes them: names, kinds, times in the stored form."""
    people = ["Ana Lopez", "Bob Smith", "Cleo Diaz", "Dev Patel"]
    kinds = ["speak", "ask", "answer", "speak"]
    return [[people[n % 4], people[(n + 1 + n // 4 % 3) % 4] if n % 5 else "", kinds[n % 4],
             f"2025-05-01T{8 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.{n % 1000:03d}+00:00",
             "note %d" % n if n % 7 == 0 else ""] for n in range(count)]


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        raw.close()


@pytest.mark.parametrize("existing", [0, 3], ids=["empty log", "a log already there"])
def test_a_large_file_comes_in_whole_in_its_order_and_the_file_stays_a_sound_session(
        small_session: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int) -> None:
    # A small threshold so that a test-sized file takes the large-file way (its
    # indexes rebuilt in the transaction) when the log is no larger than the file.
    monkeypatch.setattr(interactions_write, "REBUILD_INDEXES_FROM", 50)
    if existing:
        assert run("import", str(small_session), str(write_csv(tmp_path / "first.csv",
                                                               many_rows(existing)))).exit_code == 0
    before = schema_of(small_session)
    rows = many_rows(1200)
    result = run("import", str(small_session), str(write_csv(tmp_path / "log.csv", rows)))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Imported 1200 interactions from log.csv."
    assert gc.isenabled()  # paused while the rows were made, running again
    assert schema_of(small_session) == before  # every index back, as the schema makes it
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        got = [tuple(r) for r in store.rows(
            "SELECT s.name, coalesce(t.name, ''), i.kind, i.at, coalesce(i.note, '')"
            " FROM interactions i JOIN participants s ON s.id = i.source_id"
            " LEFT JOIN participants t ON t.id = i.target_id ORDER BY i.id")]
        assert got[existing:] == [tuple(r) for r in rows]
        # The report's count of the log goes through its index, as before the import.
        plan = " ".join(str(tuple(r)) for r in store.rows(
            "EXPLAIN QUERY PLAN SELECT source_id, target_id, kind, round_id, COUNT(*)"
            " FROM interactions INDEXED BY interactions_counts WHERE voided_at IS NULL"
            " GROUP BY source_id, target_id, kind, round_id"))
        assert "interactions_counts" in plan
    assert run("report", str(small_session)).exit_code == 0


def test_one_bad_row_deep_in_a_large_file_names_its_line_and_leaves_the_file_untouched(
        small_session: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interactions_write, "REBUILD_INDEXES_FROM", 50)
    rows = many_rows(3000)
    rows[2500][1] = "Nobody Here"
    rows[2700][3] = "2025-02-30T10:00:00.000+00:00"  # the stored form, but no such day
    before = sha(small_session)
    result = CliRunner().invoke(cli, ["import", str(small_session),
                                      str(write_csv(tmp_path / "log.csv", rows))])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "log.csv line 2502: No participant is called or coded 'Nobody Here'" in lines[0]
    assert "log.csv line 2702: '2025-02-30T10:00:00.000+00:00' is not a timestamp" in lines[0]
    assert lines[0].endswith("nothing was imported.")
    assert sha(small_session) == before


#: An import in its own process that kills itself (SIGKILL: no cleanup, no rollback)
#: when its connection starts the statement beginning with argv[3]: its indexes
#: dropped and its rows in (CREATE INDEX), or all done but the commit (COMMIT). A
#: small page cache, so uncommitted pages have already gone out to the WAL file.
KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
from facilitator.models import interactions_import as imp, interactions_write as write
from facilitator.models.store import SessionStore
write.REBUILD_INDEXES_FROM = 50
write.IMPORT_CACHE_KIB = -64
table = imp.read_interactions_csv(Path(sys.argv[2]))
store = SessionStore.open(sys.argv[1])
store.conn.set_trace_callback(
    lambda sql: os.kill(os.getpid(), signal.SIGKILL) if sql.lstrip().startswith(sys.argv[3]) else None)
imp.import_interactions(store, table, "log.csv")
print("not killed")
"""


@pytest.mark.parametrize("when", ["CREATE INDEX", "COMMIT"])
def test_an_import_killed_half_way_leaves_the_session_as_it_was(
        small_session: Path, tmp_path: Path, when: str) -> None:
    """The power goes, or someone kills the import, while the log's indexes are being
    made again: the session opens as it was, every index there, no entry of the file."""
    import subprocess
    import sys

    assert run("import", str(small_session), str(write_csv(tmp_path / "first.csv",
                                                           many_rows(3)))).exit_code == 0
    before = schema_of(small_session)
    file = write_csv(tmp_path / "log.csv", many_rows(3000))
    done = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(small_session), str(file), when],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stdout + done.stderr
    assert schema_of(small_session) == before
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.scalar("SELECT count(*) FROM interactions") == 3
    result = run("import", str(small_session), str(file))  # and the same file goes in after
    assert result.exit_code == 0, result.output
    assert schema_of(small_session) == before


def test_a_co_facilitator_reading_during_a_large_import_sees_before_then_after(
        small_session: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process's connection (a co-facilitator's app, polling) keeps its snapshot
    while the import drops and makes the log's indexes again, and afterwards its
    statements, prepared before the import, run on the new schema and count it all."""
    monkeypatch.setattr(interactions_write, "REBUILD_INDEXES_FROM", 50)
    assert run("import", str(small_session), str(write_csv(tmp_path / "first.csv",
                                                           many_rows(8)))).exit_code == 0
    count = "SELECT count(*) FROM interactions WHERE source_id = ? AND voided_at IS NULL"
    with SessionStore.open(small_session) as other:
        ana = other.scalar("SELECT id FROM participants WHERE name = 'Ana Lopez'")
        assert other.scalar(count, (ana,)) == 2
        version = other.data_version()
        other.conn.execute("BEGIN")  # a read in progress when the import commits
        assert other.conn.execute(count, (ana,)).fetchone()[0] == 2
        result = run("import", str(small_session), str(write_csv(tmp_path / "log.csv", many_rows(1200))))
        assert result.exit_code == 0, result.output
        assert other.conn.execute(count, (ana,)).fetchone()[0] == 2
        other.conn.execute("COMMIT")
        assert other.data_version() != version
        assert other.scalar(count, (ana,)) == 2 + 300
        plan = " ".join(str(tuple(r)) for r in other.rows("EXPLAIN QUERY PLAN " + count, (ana,)))
        assert "USING" in plan and "INDEX interactions_" in plan


def test_someone_removed_while_the_file_is_read_is_named_and_nothing_is_imported(
        small_session: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A co-facilitator takes a mistyped person off the roster between the moment the
    import has checked the file and the moment it writes: one sentence, nothing written."""
    from facilitator.models import interactions_import

    write = interactions_import.write_entries

    def removed_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        other = sqlite3.connect(small_session)
        other.execute("DELETE FROM participants WHERE name = 'Dev Patel'")
        other.commit()
        other.close()
        return write(*args, **kwargs)

    monkeypatch.setattr(interactions_import, "write_entries", removed_meanwhile)
    rows = many_rows(40) + [["Ana Lopez", "Dev Patel", "ask", "", ""]]
    result = run("import", str(small_session), str(write_csv(tmp_path / "log.csv", rows)))
    assert result.exit_code == 1
    assert result.stderr.strip() == ("facilitator: A participant the file names was removed from the session"
                                     " while it was being imported; nothing was imported; import it again.")
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM interactions") == 0


def test_names_and_kinds_are_found_as_log_finds_them(small_session: Path, tmp_path: Path) -> None:
    """Codes, any case, the start of a name: each distinct cell is looked up once, by
    the same rules as `facilitator log`, and a name that fits two people is asked about."""
    with SessionStore.open(small_session) as store:
        from facilitator.models.roster import add_participant

        add_participant(store, "Ana Lima")
    rows = [["AL", "bob", "ASK", "", ""], ["cleo", "Dev Patel", "", "", ""], ["  bs ", "dp", "a", "", ""]]
    result = run("import", str(small_session), str(write_csv(tmp_path / "obs.csv", rows)))
    assert result.exit_code == 0, result.output
    with SessionStore.open(small_session, read_only=True) as store:
        got = [tuple(r) for r in store.rows(
            "SELECT s.name, t.name, i.kind FROM interactions i JOIN participants s ON s.id = i.source_id"
            " JOIN participants t ON t.id = i.target_id ORDER BY i.id")]
    assert got[0] == ("Ana Lopez", "Bob Smith", "ask")
    assert got[1] == ("Cleo Diaz", "Dev Patel", "speak")
    assert got[2][:2] == ("Bob Smith", "Dev Patel")
    before = sha(small_session)
    result = CliRunner().invoke(cli, ["import", str(small_session), str(write_csv(
        tmp_path / "two.csv", [["ana", "bs", "", "", ""], ["ana", "bs", "", "", ""]]))])
    assert result.exit_code == 1
    assert result.stderr.count("'ana' could be") == 2 and "line 2" in result.stderr and "line 3" in result.stderr
    assert sha(small_session) == before


@pytest.mark.parametrize("who", ["O'Brien", "x'); DROP TABLE interactions; --", "a\x1b[31mred"])
def test_who_logged_is_stored_as_given_whether_from_as_or_from_the_file(
        small_session: Path, tmp_path: Path, who: str) -> None:
    """Every row logged by the same person: the importer writes that name once, in
    the statement; a quote or an escape sequence in it is stored as the text rule
    keeps any name (control codes as their pictures), never as SQL."""
    shown = who.replace("\x1b", "\u241b")
    file = write_csv(tmp_path / "obs.csv", [["al", "bs", "ask", "", "it's"], ["bs", "al", "", "", "it's"]])
    assert run("import", str(small_session), str(file), "--as", who).exit_code == 0
    by_file = write_csv(tmp_path / "by.csv", [["al", "bs", "ask", who, "x"], ["bs", "al", "", who, "x"]],
                        header=["source", "target", "kind", "logged_by", "note"])
    assert run("import", str(small_session), str(by_file)).exit_code == 0
    with SessionStore.open(small_session, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM interactions") == 4
        assert [tuple(r) for r in store.rows("SELECT logged_by, note FROM interactions ORDER BY id")] == [
            (shown, "it's"), (shown, "it's"), (shown, "x"), (shown, "x")]


def test_undone_entries_arrive_undone_and_new_rounds_are_counted_as_written(
        small_session: Path, tmp_path: Path) -> None:
    """A live screen learns of new rounds and groups from the `changes` counts (kept by
    the triggers) and of new entries by their ids: an entry undone in the file is
    written undone, so no screen ever counts it."""
    rows = [["al", "bs", "ask", "2025-05-01T10:00:00", "", "Opening", "Table A", "2025-05-01T10:01:00", "sam"],
            ["bs", "al", "answer", "2025-05-01T10:02:00", "", "Opening", "Table A", "", "sam"],
            ["cd", "", "speak", "2025-05-01T11:00:00+02:00", "", "", "", "", ""]]
    header = HEADER + ["round", "group", "voided_at", "voided_by"]
    with SessionStore.open(small_session, read_only=True) as store:
        counts = store.change_counts()
    result = run("import", str(small_session), str(write_csv(tmp_path / "obs.csv", rows, header)),
                 "--add-missing")
    assert result.exit_code == 0, result.output
    assert "(1 of them undone, as in the file)" in result.output
    assert "created 1 rounds (Opening) and 1 groups (Table A)" in result.output
    with SessionStore.open(small_session, read_only=True) as store:
        after = store.change_counts()
        assert after["rounds"] > counts["rounds"] and after["groups"] > counts["groups"]
        got = [tuple(r) for r in store.rows(
            "SELECT i.at, i.voided_at, i.voided_by, r.name, g.name FROM interactions i"
            " LEFT JOIN rounds r ON r.id = i.round_id LEFT JOIN groups g ON g.id = i.group_id ORDER BY i.id")]
    assert got == [
        ("2025-05-01T10:00:00.000+00:00", "2025-05-01T10:01:00.000+00:00", "sam", "Opening", "Table A"),
        ("2025-05-01T10:02:00.000+00:00", None, None, "Opening", "Table A"),
        ("2025-05-01T09:00:00.000+00:00", None, None, None, None)]


def test_a_note_is_held_to_logs_limit_and_one_too_long_is_refused_with_its_line(
        small_session: Path, tmp_path: Path) -> None:
    from facilitator.models.interactions import MAX_NOTE_LENGTH

    before = sha(small_session)
    longest = "x" * MAX_NOTE_LENGTH
    rows = [["al", "bs", "ask", "", longest], ["bs", "al", "", "", longest + "y"]]
    result = CliRunner().invoke(cli, ["import", str(small_session), str(write_csv(tmp_path / "n.csv", rows))])
    assert result.exit_code == 1
    assert (f"n.csv line 3: The note is {MAX_NOTE_LENGTH + 1} characters long; the limit is"
            f" {MAX_NOTE_LENGTH}") in result.stderr
    assert sha(small_session) == before
    assert run("import", str(small_session), str(write_csv(tmp_path / "ok.csv", rows[:1]))).exit_code == 0


def test_times_in_the_stored_form_are_checked_like_any_other(small_session: Path, tmp_path: Path) -> None:
    before = sha(small_session)
    rows = [["al", "bs", "", "2999-01-01T00:00:00.000+00:00", ""],
            ["al", "bs", "", "2025-13-01T00:00:00.000+00:00", ""],
            ["al", "bs", "", "2025-05-01T08:00:00.000+00:00", ""]]
    result = CliRunner().invoke(cli, ["import", str(small_session), str(write_csv(tmp_path / "t.csv", rows))])
    assert result.exit_code == 1
    assert "t.csv line 2: '2999-01-01T00:00:00.000+00:00' is in the future" in result.stderr
    assert "t.csv line 3: '2025-13-01T00:00:00.000+00:00' is not a timestamp" in result.stderr
    assert "line 4" not in result.stderr
    assert sha(small_session) == before


def test_blank_lines_are_skipped_however_many_commas_they_have(small_session: Path, tmp_path: Path) -> None:
    file = tmp_path / "e.csv"
    file.write_text("source,target,kind\n\n , ,\n,,,,,,\nal,bs\n\n", encoding="utf-8")
    result = run("import", str(small_session), str(file))
    assert result.exit_code == 0, result.output
    assert "Imported 1 interactions" in result.output
    result = run("import", str(small_session), str(write_csv(tmp_path / "b.csv", [["", "", "", "", ""]])))
    assert result.exit_code == 0, result.output
    assert "Imported 0 interactions" in result.output


@pytest.mark.parametrize(("before", "note"), [
    ("al,bs,ask,,fine\n", "fine"),                       # rows of one line each
    ("al,bs,ask,,fine\n\n , , , ,\n", "fine"),           # and blank ones
    ("al,bs,ask,,\"two\nlines\"\n", "two lines"),       # a note with a line break in it
    ("al,bs\n", None),                                   # a short row
], ids=["plain", "blank lines", "a note over two lines", "a short row"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_bad_row_is_named_by_its_line_in_the_file_whatever_comes_before_it(
        small_session: Path, tmp_path: Path, before: str, note: str | None, newline: str) -> None:
    """The line a text editor shows: blank lines and a cell's own line breaks count."""
    text = "source,target,kind,at,note\n" + before + "al,Nobody Here,,,\nbs,al,,,\n"
    file = tmp_path / "obs.csv"
    file.write_bytes(text.replace("\n", newline).encode())
    result = CliRunner().invoke(cli, ["import", str(small_session), str(file)])
    assert result.exit_code == 1
    line = text.count("\n") - 1
    assert f"obs.csv line {line}: No participant is called or coded 'Nobody Here'" in result.stderr
    file.write_bytes(text.replace("Nobody Here", "cd").replace("\n", newline).encode())
    result = run("import", str(small_session), str(file))
    assert result.exit_code == 0, result.output
    with SessionStore.open(small_session, read_only=True) as store:
        got = [tuple(r) for r in store.rows(
            "SELECT s.code, t.code, i.note FROM interactions i JOIN participants s ON s.id = i.source_id"
            " JOIN participants t ON t.id = i.target_id ORDER BY i.id")]
    assert got == [("al", "bs", note), ("al", "cd", None), ("bs", "al", None)]


def test_a_fresh_session_takes_an_import_into_its_current_round(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with create_session(path, "Rounds") as store:
        from facilitator.models.roster import add_participant
        from facilitator.models.rounds import add_round, start_round

        add_participant(store, "Ana Lopez")
        add_participant(store, "Bob Smith")
        start_round(store, add_round(store, "Morning", 30).id)
    assert run("import", str(path), str(write_csv(tmp_path / "o.csv", [["al", "bs", "", "", ""]]))).exit_code == 0
    with SessionStore.open(path, read_only=True) as store:
        assert store.scalar("SELECT r.name FROM interactions i JOIN rounds r ON r.id = i.round_id") == "Morning"


def test_importing_loads_neither_the_app_nor_the_export_and_report_code(small_session: Path,
                                                                         tmp_path: Path) -> None:
    import subprocess
    import sys

    file = write_csv(tmp_path / "o.csv", [["al", "bs", "", "", ""]])
    result, loaded = heavy_modules_after(
        ["import", str(small_session), str(file)],
        ("textual", "rich", "networkx", "numpy", "yaml", "sqlite_utils", "json",
         "facilitator.core", "facilitator.export", "facilitator.analysis"))
    assert result.returncode == 0, result.stderr
    assert "Imported 1 interactions" in result.stdout
    assert loaded == ""
