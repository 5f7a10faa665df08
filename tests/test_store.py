"""The session file: creation, refusal of bad files, migrations and concurrency."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from facilitator.models.interactions import log_interaction
from facilitator.models.roster import add_participant, participants
from facilitator.models.schema import APPLICATION_ID, SCHEMA_VERSION
from facilitator.models.session import create_session, session_info
from facilitator.models.store import SessionError, SessionStore


def test_create_then_reopen_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with create_session(path, "Reopen me") as store:
        ana = add_participant(store, "Ana Lopez")
        bob = add_participant(store, "Bob Smith")
        log_interaction(store, "ask", ana, bob, note="why?")
    with SessionStore.open(path) as store:
        assert session_info(store).title == "Reopen me"
        assert [p.name for p in participants(store)] == ["Ana Lopez", "Bob Smith"]
        assert store.scalar("SELECT note FROM interactions") == "why?"
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.schema_version == SCHEMA_VERSION


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"precious")
    with pytest.raises(SessionError, match="already exists"):
        SessionStore.create(path)
    assert path.read_bytes() == b"precious"


def test_missing_file_is_not_created_by_open(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="facilitator new"):
        SessionStore.open(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()


def test_non_sqlite_file_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("name,age\nAna,3\n")
    before = path.read_bytes()
    with pytest.raises(SessionError, match="not a facilitator session"):
        SessionStore.open(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


def test_corrupt_file_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = path.read_bytes()
    with pytest.raises(SessionError, match="corrupt|not a facilitator"):
        SessionStore.open(path)
    assert path.read_bytes() == before


def test_other_sqlite_database_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SessionError, match="not a facilitator session"):
        SessionStore.open(path)
    assert path.read_bytes() == before


def test_newer_schema_refused_byte_for_byte_untouched(empty_session: Path) -> None:
    with SessionStore.open(empty_session) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA journal_mode = DELETE")
        store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = empty_session.read_bytes()
    with pytest.raises(SessionError, match="newer facilitator"):
        SessionStore.open(empty_session)
    assert empty_session.read_bytes() == before
    assert not Path(str(empty_session) + "-wal").exists()


def test_read_only_store_refuses_writes(small_session: Path) -> None:
    with SessionStore.open(small_session, read_only=True) as store:
        with pytest.raises(SessionError, match="read-only"):
            add_participant(store, "Eve")
    with SessionStore.open(small_session) as store:
        assert len(participants(store)) == 4


def test_failed_transaction_writes_nothing(small_session: Path) -> None:
    from facilitator.models.roster import add_participants

    with SessionStore.open(small_session) as store:
        with pytest.raises(SessionError, match="already on the roster"):
            add_participants(store, [("Zed", {}), ("Ana Lopez", {})])
        assert "Zed" not in [p.name for p in participants(store)]


def _run_processes(script: str, count: int, *args: str) -> list[subprocess.CompletedProcess[str]]:
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), str(i), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(count)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def test_three_processes_migrate_a_new_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    script = """
        import sys, time
        from facilitator.models.store import SessionStore
        start = float(sys.argv[3])
        while time.time() < start:
            pass
        store = SessionStore.open(sys.argv[2], create=True)
        print(store.schema_version)
    """
    import time

    results = _run_processes(script, 3, str(path), str(time.time() + 1.0))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'interactions'").fetchone()[0] == 1
    conn.close()


def test_three_processes_log_a_thousand_each_without_loss(small_session: Path) -> None:
    script = """
        import sys
        from facilitator.models.store import SessionStore
        from facilitator.models.roster import participants
        from facilitator.models.interactions import log_interaction
        store = SessionStore.open(sys.argv[2], identity=f"writer{sys.argv[1]}")
        people = participants(store)
        errors = 0
        for n in range(1000):
            a, b = people[n % 4], people[(n + 1) % 4]
            try:
                log_interaction(store, "speak", a, b, note=str(n))
            except Exception as error:
                errors += 1
        print(errors)
    """
    results = _run_processes(script, 3, str(small_session))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "0"
    with SessionStore.open(small_session) as store:
        for writer in range(3):
            notes = {r[0] for r in store.rows(
                "SELECT note FROM interactions WHERE logged_by = ?", (f"writer{writer}",))}
            assert notes == {str(n) for n in range(1000)}


def test_data_version_sees_other_connections_commits(small_session: Path) -> None:
    with SessionStore.open(small_session) as watcher, SessionStore.open(small_session) as writer:
        before = watcher.data_version()
        add_participant(writer, "Eve Adams")
        assert watcher.data_version() != before
        mine = watcher.data_version()
        add_participant(watcher, "Finn Olsen")
        assert watcher.data_version() == mine  # own commits do not count


def test_acknowledged_entry_survives_a_kill(small_session: Path) -> None:
    """A process prints its acknowledgement, then is killed at once: the entry is there."""
    script = """
        import os, signal, sys
        from facilitator.models.store import SessionStore
        from facilitator.models.roster import participants
        from facilitator.models.interactions import log_interaction
        store = SessionStore.open(sys.argv[2])
        a, b = participants(store)[:2]
        entry = log_interaction(store, "ask", a, b, note="last words")
        print(entry.id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
    result = _run_processes(script, 1, str(small_session))[0]
    assert result.returncode == -9
    acknowledged = int(result.stdout.strip())
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT note FROM interactions WHERE id = ?", (acknowledged,)) == "last words"


def test_no_read_transaction_is_left_open(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        store.one("SELECT * FROM participants")
        store.scalar("SELECT COUNT(*) FROM participants")
        store.rows("SELECT * FROM participants")
        assert not store.conn.in_transaction


@pytest.mark.parametrize("action", ["note", "goal", "name", "group", "tag"])
def test_escape_sequences_are_kept_visible_and_harmless(small_session: Path, action: str) -> None:
    from facilitator.models.goals import add_goal, goals
    from facilitator.models.groups import create_group, get_group
    from facilitator.models.roster import edit_participant, get_participant

    typed = "hi\x1b[2J\x1b]0;pwned\x07"
    shown = "hi\u241b[2J\u241b]0;pwned\u2407"
    with SessionStore.open(small_session) as store:
        ana, bob = participants(store)[:2]
        group = create_group(store, "Soil", None, [ana.id])
        if action == "note":
            stored = log_interaction(store, "ask", ana, bob, note=typed).note
        elif action == "goal":
            add_goal(store, group.id, typed)
            stored = goals(store)[0].text
        elif action == "name":
            stored = add_participant(store, typed).name
        elif action == "group":
            stored = get_group(store, create_group(store, typed, None).id).name
        else:
            edit_participant(store, ana.id, tags={"role": typed})
            stored = get_participant(store, ana.id).tags["role"]
        assert stored == shown
        assert "\x1b" not in str(store.rows("SELECT * FROM live_interactions"))


def test_multiline_text_becomes_one_line(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        ana, bob = participants(store)[:2]
        entry = log_interaction(store, "ask", ana, bob, note="two\nlines\tand tab")
        assert entry.note == "two lines and tab"


def version_2_file(path: Path) -> None:
    """A session file as facilitator wrote it at schema version 2: the scripts of
    versions 1 and 2 run through plain sqlite3, with some rows of each kind."""
    from facilitator.models.schema import SCHEMA_V1, SCHEMA_V2

    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1 + SCHEMA_V2)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.executescript("""
        INSERT INTO session (id, title, created_at) VALUES (1, 'Old', '2026-11-01T09:00:00.000+00:00');
        INSERT INTO kinds (name, key, label) VALUES ('speak', 's', 'spoke to');
        INSERT INTO participants (name, code, added_at) VALUES
            ('Ana Lopez', 'al', '2026-11-01T09:00:00.000+00:00'),
            ('Bob Smith', 'bs', '2026-11-01T09:00:00.000+00:00');
        INSERT INTO groups (name, created_at, closed_at) VALUES
            ('Maps', '2026-11-01T09:00:00.000+00:00', '2026-11-01T09:30:00.000+00:00');
        INSERT INTO interactions (at, source_id, target_id, kind, logged_by) VALUES
            ('2026-11-01T09:05:00.000+00:00', 1, 2, 'speak', 'sam');
    """)
    conn.commit()
    conn.close()


def test_a_version_2_file_opens_and_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    version_2_file(path)
    with pytest.raises(SessionError, match="needs upgrading"):
        SessionStore.open(path, read_only=True)
    with SessionStore.open(path, identity="sam") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [p.name for p in participants(store)] == ["Ana Lopez", "Bob Smith"]
        assert tuple(store.one("SELECT name, closed_at, closed_by, renamed_by, reopened_by"
                               " FROM groups")) == ("Maps", "2026-11-01T09:30:00.000+00:00",
                                                    None, None, None)
        assert tuple(store.one("SELECT changed_at, changed_by FROM participants")) == (None, None)
        assert tuple(store.one("SELECT logged_by, restored_at, restored_by FROM interactions")) == (
            "sam", None, None)
        # A column that names nobody (a row from before version 3, or a write from
        # another front end) makes the sentence say "Someone".
        from facilitator.models.groups import undo_batch
        store.transact(lambda c: c.execute("UPDATE groups SET closed_at = NULL"))
        with pytest.raises(SessionError, match="^Someone reopened Maps since; nothing was undone"):
            undo_batch(store, "", reopen=((1, "2026-11-01T09:30:00.000+00:00"),))
    with SessionStore.open(path) as again:  # opening an upgraded file changes nothing
        assert again.schema_version == SCHEMA_VERSION


def test_two_processes_upgrade_a_version_2_file_at_once(tmp_path: Path) -> None:
    import time

    path = tmp_path / "v2race.db"
    version_2_file(path)
    script = """
        import sys, time
        from facilitator.models.store import SessionStore
        start = float(sys.argv[3])
        while time.time() < start:
            pass
        with SessionStore.open(sys.argv[2]) as store:
            print(store.schema_version, store.scalar("SELECT COUNT(*) FROM participants"))
    """
    for result in _run_processes(script, 3, str(path), str(time.time() + 1.0)):
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [str(SCHEMA_VERSION), "2"]
