"""Faults as sentences (issue 13): damaged and foreign files, a FIFO or device as the
session path, a full disk, unbounded files, a lock held beyond the busy timeout, and
SIGKILL while logging. Each: one sentence (exit 1 in the CLI), no traceback, no hang,
nothing half-written (no 0-byte .db, no -wal/-shm beside a refused file)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models.store import SessionStore
from tests.conftest import facilitator_command
from tests.test_hostile import raw_controls, sha

EXE = facilitator_command()[0]


def run(*args: str, limit: int | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed command in a real process; `limit`: a file-size limit in bytes
    (RLIMIT_FSIZE, SIGXFSZ ignored), so writes fail as on a full disk."""
    def limited() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limited, errors="surrogateescape")


def one_sentence(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    said = result.stdout + result.stderr
    assert result.returncode == code, said
    assert "Traceback" not in said and not raw_controls(said), said
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("facilitator: "), said
    return lines[0]


def companions(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-")}


# ---------------------------------------------------------------------- files that are not sessions
def _fault_files(folder: Path, session: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    files["truncated to 4 KB"] = folder / "truncated.db"
    shutil.copy(session, files["truncated to 4 KB"])
    with open(files["truncated to 4 KB"], "r+b") as handle:
        handle.truncate(4096)
    files["one page overwritten"] = folder / "page.db"
    shutil.copy(session, files["one page overwritten"])
    with open(files["one page overwritten"], "r+b") as handle:
        handle.seek(8192)
        handle.write(bytes(range(256)) * 16)
    for name, wal in (("plain SQLite", False), ("plain SQLite in WAL mode", True)):
        files[name] = folder / f"{'wal' if wal else 'plain'}.db"
        conn = sqlite3.connect(files[name])
        if wal:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE notes (text)")
        conn.commit()
        conn.close()
    files["user_version 999"] = folder / "v999.db"
    shutil.copy(session, files["user_version 999"])
    conn = sqlite3.connect(files["user_version 999"])
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    files["0-byte file"] = folder / "zero.db"
    files["0-byte file"].write_bytes(b"")
    files["text file"] = folder / "notes.db"
    files["text file"].write_text("hello\n")
    files["FIFO"] = folder / "fifo.db"
    os.mkfifo(files["FIFO"])
    files["/dev/null"] = Path("/dev/null")
    return files


COMMANDS = {
    "roster": lambda p: ["roster", str(p)],
    "roster --add": lambda p: ["roster", str(p), "--add", "Zed Zee"],
    "log": lambda p: ["log", str(p), "--kind", "silence"],
    "report": lambda p: ["report", str(p)],
}
#: Commands that read the whole file: run on the damaged one only (the audit saw them
#: crash there), to keep the test short.
WHOLE_FILE = {
    "network": lambda p: ["network", str(p)],
    "export": lambda p: ["export", str(p), "--out", str(p.parent / "out")],
    "goals --list": lambda p: ["goals", str(p), "--list"],
}
WRITES = {"roster --add", "log"}


def test_every_command_refuses_a_bad_file_in_one_sentence_and_leaves_it_as_it_was(
        small_session: Path, tmp_path: Path) -> None:
    files = _fault_files(tmp_path, small_session)
    problems = []
    for label, path in files.items():
        commands = {**COMMANDS, **(WHOLE_FILE if label == "one page overwritten" else {})}
        for command, make in commands.items():
            before = sha(path) if path.is_file() else None
            around = companions(path) if path.parent == tmp_path else set()
            try:
                result = run(*make(path), timeout=30)
            except subprocess.TimeoutExpired:
                problems.append(f"{label} / {command}: hung")
                continue
            said = result.stdout + result.stderr
            if "Traceback" in said or raw_controls(said):
                problems.append(f"{label} / {command}: {said[-300:]}")
            elif label == "one page overwritten" and command not in WRITES and result.returncode == 0:
                pass  # what remains can be read; a write is refused below
            elif result.returncode != 1 or len(result.stderr.strip().splitlines()) != 1:
                problems.append(f"{label} / {command}: exit {result.returncode}: {said[-300:]}")
            if before is not None and sha(path) != before:
                problems.append(f"{label} / {command}: the file changed")
            if path.parent == tmp_path and label != "one page overwritten" and companions(path) != around:
                problems.append(f"{label} / {command}: left {companions(path) - around}")
    assert not problems, "\n".join(problems)
    # ls of the folder holding all of them: one line each, no hang.
    result = run("ls", str(tmp_path), timeout=30)
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert "fifo.db  (not readable:" in result.stdout


def test_a_damaged_page_is_found_before_anything_is_written(small_session: Path, tmp_path: Path) -> None:
    page = _fault_files(tmp_path, small_session)["one page overwritten"]
    before = sha(page)
    said = one_sentence(run("log", str(page), "al", "bs"))
    assert "damaged" in said and "quick_check" in said
    assert sha(page) == before


def test_new_refuses_special_paths_without_leaving_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null"), tmp_path / "missing" / "s.db"):
        one_sentence(run("new", str(path), "--title", "X"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.db"]


# ---------------------------------------------------------------------- a full disk
@pytest.mark.parametrize("limit", [0, 20_000])
def test_new_on_a_full_disk_is_one_sentence_and_leaves_no_file(tmp_path: Path, limit: int) -> None:
    target = tmp_path / "new.db"
    said = one_sentence(run("new", str(target), "--title", "Full", limit=limit))
    assert "full" in said or "I/O" in said
    assert list(tmp_path.iterdir()) == []  # no 0-byte .db, no -wal, no -shm


@pytest.mark.parametrize("args", [["log", "{s}", "al", "bs", "--note", "x" * 1500],
                                  ["roster", "{s}", "--add", "Zoe Full"],
                                  ["roster", "{s}", "--import", "{csv}"]])
def test_a_write_on_a_full_disk_is_one_sentence_and_loses_nothing(small_session: Path, tmp_path: Path,
                                                                   args: list[str]) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name\n" + "".join(f"Person {i}\n" for i in range(400)))
    from facilitator.models.interactions import log_interaction
    from facilitator.models.roster import participants

    # Some entries in the -wal, and a reader holding its snapshot, so the command's
    # write must go after them: past the file-size limit, as on a full disk.
    pinned = SessionStore.open(small_session)
    a, b = participants(pinned)[:2]
    for _ in range(20):
        log_interaction(pinned, "speak", a, b)
    counts = (pinned.scalar("SELECT COUNT(*) FROM interactions"),
              pinned.scalar("SELECT COUNT(*) FROM participants"))
    wal = Path(str(small_session) + "-wal")
    pinned.conn.execute("BEGIN")
    pinned.conn.execute("SELECT COUNT(*) FROM interactions").fetchall()
    try:
        limit = max(wal.stat().st_size, 32768) + 512
        filled = [a.format(s=small_session, csv=people) for a in args]
        said = one_sentence(run(*filled, limit=limit))
        assert "full" in said or "I/O" in said, said
    finally:
        pinned.conn.execute("COMMIT")
        pinned.close()
    with SessionStore.open(small_session) as store:
        assert (store.scalar("SELECT COUNT(*) FROM interactions"),
                store.scalar("SELECT COUNT(*) FROM participants")) == counts
        assert store.scalar("PRAGMA integrity_check") == "ok"


# ---------------------------------------------------------------------- unbounded input
def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "title: bomb\n" + "\n".join(lines) + "\n"


YAML_FILES = {
    "alias bomb": (_alias_bomb(), "line 2: YAML anchors"),
    "nested 1,000 deep": ("title: x\nrounds: " + "[" * 1000 + "]" * 1000 + "\n", "levels deep"),
    "nested 100,000 deep": ("title: x\nrounds: " + "[" * 100_000 + "]" * 100_000 + "\n", "levels deep"),
    "python/object/apply": ('title: !!python/object/apply:os.system ["echo hi"]\n', "line 1"),
    "python/name": ("title: !!python/name:os.system\n", "line 1"),
    "group size 10^20": ("title: x\ngroup_size: {min: 1, max: 99999999999999999999}\n", "line 2"),
    "minutes NaN, inf, negative": ("title: x\nrounds:\n - {name: a, minutes: .nan}\n"
                                   " - {name: b, minutes: .inf}\n - {name: c, minutes: -5}\n", "line 3"),
    "a 5,000-digit number": ("title: x\nrounds:\n - {name: a, minutes: " + "9" * 5000 + "}\n", "line 3"),
    "a raw ESC": ("title: x\x1b]0;pwned\x07\n", "line 1: the control character U+001B"),
    "a round name over its limit": ("title: x\nrounds:\n - " + "r" * 121 + "\n", "limit is 120"),
}


@pytest.mark.parametrize("content, said", [pytest.param(c, s, id=k) for k, (c, s) in YAML_FILES.items()])
def test_a_hostile_template_is_refused_with_file_line_and_limit(tmp_path: Path, content: str,
                                                               said: str) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "s.db"), "--template", str(template)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.startswith("facilitator: t.yaml") and said in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and not raw_controls(result.stderr)
    assert not (tmp_path / "s.db").exists()


@pytest.mark.parametrize("name", ["people.csv", "people.yaml", "t.yaml"])
def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path, small_session: Path, name: str) -> None:
    big = tmp_path / name
    with open(big, "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.write(b"name\n" if name.endswith(".csv") else b"title: x\n")
        handle.truncate(50_000_000)
    args = (["new", str(tmp_path / "s.db"), "--template", str(big)] if name == "t.yaml"
            else ["roster", str(small_session), "--import", str(big)])
    before = sha(small_session)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "50,000,000 bytes; the limit is 2,000,000" in result.stderr
    assert sha(small_session) == before


CSV_FILES = {
    "Latin-1": ("name,org\nJos\xe9,x\n".encode("latin-1"), "line 2 is not UTF-8"),
    "UTF-16": ("name\nAda\n".encode("utf-16"), "line 1 is not UTF-8"),
    "invalid UTF-8": (b"name\nA\xff\xfeB\n", "line 2 is not UTF-8"),
    "too many cells": (b"name,org\nA,b,c\n", "line 2: 3 cells but 2 columns"),
    "an unterminated quote": (b'name,org\n"A,b\nC,d\n', "unexpected end of data"),
    "nobody in it": (b"name\n", "has nobody in it"),
}


@pytest.mark.parametrize("content, said", [pytest.param(c, s, id=k) for k, (c, s) in CSV_FILES.items()])
def test_a_bad_roster_csv_is_refused_with_its_line(small_session: Path, tmp_path: Path,
                                                   content: bytes, said: str) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes(content)
    before = sha(small_session)
    result = CliRunner().invoke(cli, ["roster", str(small_session), "--import", str(people)])
    assert result.exit_code == 1 and said in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert sha(small_session) == before


def test_import_timestamps_out_of_range_are_sentences(small_session: Path, tmp_path: Path) -> None:
    rows = tmp_path / "i.csv"
    rows.write_text("source,target,kind,at\nal,bs,speak,0001-01-01T00:00:00+14:00\n"
                    "al,bs,speak,3000-01-01T00:00:00\nal,bs,speak,garbage\n")
    before = sha(small_session)
    result = CliRunner().invoke(cli, ["import", str(small_session), str(rows)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "line 2" in result.stderr and "line 3" in result.stderr and "line 4" in result.stderr
    assert sha(small_session) == before


def test_numbers_beyond_64_bits_are_sentences(small_session: Path) -> None:
    before = sha(small_session)
    result = CliRunner().invoke(cli, ["groups", str(small_session), "--form", "random", "--size", "2",
                                      "--seed", "9" * 30, "--apply"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    if result.exit_code:
        assert sha(small_session) == before


# ---------------------------------------------------------------------- a lock held too long
def test_the_cli_says_it_is_waiting_for_a_lock_and_writes_once_it_is_free(small_session: Path) -> None:
    holder = sqlite3.connect(small_session, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    process = subprocess.Popen([EXE, "log", str(small_session), "al", "bs"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        waiting = process.stderr.readline()  # said while the lock is still held
        assert "is locked by another process; waiting" in waiting
        holder.execute("COMMIT")
        out, err = process.communicate(timeout=60)
    finally:
        holder.close()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0 and out.startswith("Logged #1"), out + err
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM interactions") == 1


async def test_the_app_keeps_an_entry_pending_until_the_lock_is_free(small_session: Path) -> None:
    from facilitator.app import make_app

    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        holder = sqlite3.connect(small_session, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("a", "l", "b", "s")
            await pilot.pause()
            screen = app.screen
            assert len(screen.pending) >= 1
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "locked by another process" in shown and "pending" in shown
            with SessionStore.open(small_session, read_only=True) as store:
                assert store.scalar("SELECT COUNT(*) FROM interactions") == 0
        finally:
            holder.execute("COMMIT")
            holder.close()
        for _ in range(100):  # the retry runs every half second
            if not screen.pending:
                break
            await pilot.pause(0.1)
        assert screen.pending == []
    with SessionStore.open(small_session) as store:
        rows = store.rows("SELECT s.code, t.code FROM interactions i JOIN participants s ON"
                          " s.id = i.source_id LEFT JOIN participants t ON t.id = i.target_id ORDER BY i.id")
    assert [tuple(r) for r in rows] == [("al", None), ("bs", "al")]


# ---------------------------------------------------------------------- SIGKILL while logging
KILLER = textwrap.dedent("""
    import json, os, random, signal, sys, time
    from facilitator.models.interactions import log_interaction
    from facilitator.models.roster import participants
    from facilitator.models.store import SessionStore

    path, kills = sys.argv[1], int(sys.argv[2])
    rng = random.Random(13)
    acknowledged = []
    for _ in range(kills):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # the logger: logs until killed, acknowledging each entry
            os.close(read)
            store = SessionStore.open(path, identity="killed")
            a, b = participants(store)[:2]
            while True:
                entry = log_interaction(store, "speak", a, b)
                os.write(write, b"%d\\n" % entry.id)
        os.close(write)
        want, got, buffer = rng.randint(1, 25), [], b""
        while len(got) < want:
            buffer += os.read(read, 4096)
            *lines, buffer = buffer.split(b"\\n")
            got += [int(x) for x in lines]
        os.kill(child, signal.SIGKILL)  # mid-write, most likely
        os.waitpid(child, 0)
        buffer += os.read(read, 1 << 20)
        got += [int(x) for x in buffer.split(b"\\n") if x]
        os.close(read)
        acknowledged += got
    print(json.dumps(acknowledged))
""")


def test_a_hundred_sigkills_while_logging_lose_no_acknowledged_entry(small_session: Path) -> None:
    result = subprocess.run([sys.executable, "-c", KILLER, str(small_session), "100"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    acknowledged = json.loads(result.stdout)
    assert len(acknowledged) >= 100
    with SessionStore.open(small_session) as store:
        kept = {r[0] for r in store.rows("SELECT id FROM interactions")}
        assert store.scalar("PRAGMA integrity_check") == "ok"
    assert set(acknowledged) <= kept
