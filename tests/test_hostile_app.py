"""The hostile corpus in the app, in tmux (issue 13): drawn by a second app (the one an
attacker aims at), and pasted into every screen's fields.

Every byte the app writes to its terminal is recorded (`script`, inside the tmux
window), so the test sees what a terminal would interpret, not only what tmux shows;
and the pane title (OSC 0/2 would change it) is checked too."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import facilitator_command
from tests.test_hostile import TEXTS, as_typed, raw_controls
from tests.tmux import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("script") is None,
                                reason="needs tmux and script")

#: Sequences a hostile text holds; none may reach a terminal.
PAYLOADS = [b"\x1b]0;pwned", b"\x1b]2;pwned2", b"\x1b]52;", b"\x1b]8;;http://evil", b"\x1bP+q",
            b"\x1b[5A\x1b[10C", b"\x1b[2J\x1b[HCLR", b"\x1b[8mhidden", b"\x07", b"pwned\x07"]
HOSTILE = TEXTS["osc0_title_bel"] + TEXTS["osc2_title_st"] + TEXTS["esc_clear"]


def terminal_bytes(record: Path) -> bytes:
    """What the app wrote, less Textual's own pointer-shape requests (OSC 22), the one
    operating system command it sends itself."""
    return re.sub(rb"\x1b\]22;[a-z-]*\x07", b"", record.read_bytes())


def c1_bytes(data: bytes) -> list[bytes]:
    """C1 control characters as UTF-8 (0x9B is CSI to some terminals)."""
    return [data[i:i + 2] for i in range(len(data) - 1)
            if data[i] == 0xC2 and 0x80 <= data[i + 1] <= 0x9F]


@pytest.fixture
def tmux() -> Tmux:
    terminal = Tmux(100, 30)
    yield terminal
    terminal.close()


def poison(path: Path) -> None:
    """Rows as an older version, or a raw sqlite3 shell, could have written them: raw
    control characters in every text the screens draw."""
    t = TEXTS
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE session SET title = ?", ("Demo " + t["osc0_title_bel"],))
        ids = [r[0] for r in conn.execute("SELECT id FROM participants ORDER BY id LIMIT 6")]
        for pid, key in zip(ids, ("osc0_title_bel", "esc_clear", "c1_csi", "osc2_title_st",
                                  "csi_cursor", "osc52_clip")):
            conn.execute("UPDATE participants SET name = name || ? WHERE id = ?", (t[key], pid))
        conn.execute("UPDATE participants SET tags = ? WHERE id = ?",
                     (json.dumps({"org": t["osc8_link"]}, ensure_ascii=False), ids[0]))
        conn.execute("UPDATE rounds SET name = name || ?", (t["osc0_title_bel"],))
        conn.execute("UPDATE kinds SET label = label || ?", (t["c1_osc"],))
        conn.execute("UPDATE groups SET name = name || ?", (t["hidden_sgr"],))
        conn.execute("UPDATE goals SET text = text || ?, progress = ?", (t["dcs_query"], t["esc_clear"]))
        conn.execute("UPDATE essentials SET name = name || ?, description = ?",
                     (t["osc2_title_st"], t["osc52_clip"]))
        conn.execute("UPDATE interactions SET logged_by = ?, note = ?", (HOSTILE, t["csi_cursor"]))
        conn.execute("INSERT INTO presence (host, pid, who, screen, started_at, last_seen)"
                     " VALUES ('elsewhere', 1, ?, 'tally', ?, ?)", (HOSTILE, now, now))


def start_recorded(tmux: Tmux, command: str, record: Path) -> str:
    # script passes the app's output through and keeps every byte of it in `record`.
    return tmux.start(f"script -qfec {json.dumps(command)} {record}")


def test_a_second_app_draws_hostile_rows_and_names_harmlessly(demo_session: Path, tmux: Tmux,
                                                                tmp_path: Path) -> None:
    poison(demo_session)
    exe = facilitator_command()[0]
    record = tmp_path / "terminal.bytes"
    # The attacker: a co-facilitator named with escape sequences, present on the file.
    launcher = tmp_path / "attacker.py"
    launcher.write_text(f"import os\nos.environ['FACILITATOR_AS'] = {HOSTILE!r}\n"
                        f"os.execv({exe!r}, [{exe!r}, 'open', {str(demo_session)!r}, '--screen', 'tally'])\n")
    attacker = tmux.start(f"{sys.executable} {launcher}; sleep 30")
    victim = start_recorded(tmux, f"{exe} open {demo_session} --as victim --screen roster", record)
    title = tmux.display(victim, "#{pane_title}")
    screens = {"1": "[roster]", "2": "[groups]", "3": "[goals]", "4": "[tally]", "5": "[network]"}
    seen = ""
    for key, marker in screens.items():
        tmux.keys(victim, key)
        screen = tmux.wait_for(victim, lambda s, m=marker: m in s, seconds=15)
        assert marker in screen, screen
        seen += screen
    screen = tmux.wait_for(victim, lambda s: "pwned" in s and "with:" in s, seconds=10)
    tmux.keys(victim, "1")
    tmux.wait_for(victim, lambda s: "[roster]" in s)
    # An OSC 0 or 2 drawn raw would have renamed the pane (as it did before issue 13).
    assert tmux.display(victim, "#{pane_title}") == title
    assert "pwned" not in title
    tmux.keys(victim, "C-q")
    tmux.wait_for(victim, lambda s: "[roster]" not in s, seconds=10)
    assert "[tally]" in tmux.screen(attacker)  # the attacker's app ran all along
    tmux.keys(attacker, "C-q")
    data = terminal_bytes(record)
    assert b"[roster]" in data and b"[network]" in data  # the record holds the session
    assert [p for p in PAYLOADS if p in data] == []
    assert c1_bytes(data) == []
    assert b"\x1b]" not in data  # no operating system command at all
    # Shown as typed: the pictures, in the header and on the screens.
    assert "\u241b]0;pwned\u2407" in seen + screen
    assert not raw_controls(seen)


def _paste(tmux: Tmux, window: str, text: str, tmp_path: Path) -> None:
    buffer = tmp_path / "paste.txt"
    buffer.write_bytes(text.encode("utf-8", "surrogatepass"))
    tmux._tmux("load-buffer", "-b", "hostile", str(buffer))
    tmux._tmux("paste-buffer", "-p", "-b", "hostile", "-t", f"t:{window}")  # bracketed


def as_pasted(text: str) -> str:
    """The pasted bytes as the session keeps them: bytes that are not UTF-8 (a lone
    surrogate) read as U+FFFD, then the one text rule."""
    return as_typed(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


def _stored(path: Path, sql: str, value: str, seconds: float = 15) -> None:
    """Wait until the file holds `value` (the app commits as the key is handled)."""
    deadline = time.monotonic() + seconds
    while value not in _one(path, sql) and time.monotonic() < deadline:
        time.sleep(0.1)


def _one(path: Path, sql: str) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute(sql)]


#: A paste holding the end-of-paste sequence itself ends early in tmux (the terminal's
#: job to filter it, as xterm does): the rest arrives as typed keys. Not pasted here.
ENDS_PASTE = "\x1b[201~"

PASTED = {
    # Every corpus text with a control character, in one paste, in order.
    "goal": " | ".join(t for t in TEXTS.values()
                       if raw_controls(t) and len(t) < 100 and ENDS_PASTE not in t),
    "name": "Eve " + TEXTS["osc0_title_bel"] + TEXTS["esc_clear"] + TEXTS["c1_csi"] + " end",
    "topic": "Topic " + TEXTS["csi_cursor"] + TEXTS["f_cr"] + TEXTS["del_backspace"],
}


def test_pasted_text_is_kept_whole_in_order_and_visible(demo_session: Path, tmux: Tmux,
                                                        tmp_path: Path) -> None:
    exe = facilitator_command()[0]
    record = tmp_path / "terminal.bytes"
    window = start_recorded(tmux, f"{exe} open {demo_session} --as paster --screen goals", record)
    tmux.wait_for(window, lambda s: "[goals]" in s, seconds=15)
    # Goals: a goal of the highlighted group.
    tmux.keys(window, "a")
    tmux.wait_for(window, lambda s: "Goal of" in s)
    _paste(tmux, window, PASTED["goal"], tmp_path)
    tmux.keys(window, "Enter")
    tmux.wait_for(window, lambda s: "Goal recorded" in s)
    tmux.keys(window, "Escape")
    # (Escape and the next key together would read as Alt+key: the line closes first.)
    tmux.wait_for(window, lambda s: "Goal of" not in s)
    # Roster: the name field of the add form.
    tmux.keys(window, "1")
    tmux.wait_for(window, lambda s: "[roster]" in s)
    tmux.keys(window, "a")
    tmux.wait_for(window, lambda s: "Enter saves" in s)  # the paste must land in the form
    _paste(tmux, window, PASTED["name"], tmp_path)
    tmux.keys(window, "Enter")
    _stored(demo_session, "SELECT name FROM participants", as_pasted(PASTED["name"]))
    # Groups: a new topic.
    tmux.keys(window, "2")
    tmux.wait_for(window, lambda s: "[groups]" in s)
    tmux.keys(window, "n")
    time.sleep(0.5)  # the line opens from a priority binding; give it its frame
    _paste(tmux, window, PASTED["topic"], tmp_path)
    tmux.keys(window, "Enter")
    _stored(demo_session, "SELECT name FROM groups", as_pasted(PASTED["topic"]))
    tmux.keys(window, "C-q")
    tmux.wait_for(window, lambda s: "[groups]" not in s, seconds=10)
    goals = _one(demo_session, "SELECT text FROM goals ORDER BY id DESC")
    assert as_pasted(PASTED["goal"]) == goals[0], [g for g in goals if "\u241b" in g]
    assert PASTED["goal"].count("\x1b") > 10  # the paste held many escape sequences
    assert as_pasted(PASTED["name"]) in _one(demo_session, "SELECT name FROM participants")
    assert as_pasted(PASTED["topic"]) in _one(demo_session, "SELECT name FROM groups")
    data = terminal_bytes(record)
    assert [p for p in PAYLOADS if p in data] == [] and c1_bytes(data) == []


def test_an_app_killed_right_after_an_entry_shows_keeps_it(small_session: Path, tmux: Tmux) -> None:
    """SIGKILL of the app as soon as the entry is on its screen: the entry is in the
    file, and the file is intact."""
    exe = facilitator_command()[0]
    tmux.start("sleep 600")  # keeps the tmux server while the killed windows close
    for attempt in range(5):
        window = tmux.start(f"{exe} open {small_session} --as killer --screen tally")
        screen = tmux.wait_for(window, lambda s: "[tally]" in s, seconds=15)
        before = _one(small_session, "SELECT COUNT(*) FROM interactions")[0]
        tmux.keys(window, "al" if attempt % 2 else "bs", literal=True)
        want = f"{before + 1} entries"
        screen = tmux.wait_for(window, lambda s: want in s, seconds=10)
        assert want in screen, screen
        pid = int(tmux.display(window, "#{pane_pid}"))
        subprocess.run(["kill", "-KILL", str(pid)], check=True)
        tmux.wait_for(window, lambda s: "[tally]" not in s, seconds=5)
        assert _one(small_session, "SELECT COUNT(*) FROM interactions")[0] == before + 1
        assert _one(small_session, "PRAGMA integrity_check") == ["ok"]
