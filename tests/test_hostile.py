"""The hostile corpus (tests/hostile/corpus.json) through every door (issue 13).

Every text of the corpus goes in through every entry point that takes text: CLI
arguments and options, --as and $FACILITATOR_AS, roster CSV and YAML, templates, the
interactions CSV, pasted into the app's fields; and it is drawn by a second app, the
one an attacker would aim at. Each case: shown as typed (control characters as their
visible pictures) or refused with one sentence; never a traceback; the session file
unchanged when refused; no raw control character in any terminal output (the CLI's
output, the bytes the app writes to its terminal, the tmux pane title)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models.errors import SessionError
from facilitator.models.text import clean_text, shown, text_from_file, visible

CORPUS = json.loads((Path(__file__).parent / "hostile" / "corpus.json").read_text(encoding="utf-8"))
TEXTS = {t["id"]: t["text"] for t in CORPUS["texts"]}
TEXT_PARAMS = [pytest.param(text, id=name) for name, text in TEXTS.items()]


# ---------------------------------------------------------------------- the oracle
def picture(ch: str) -> str:
    """What a terminal may be given for one character (written out here, not taken
    from the code under test)."""
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    if ord(ch) < 0x20:
        return chr(0x2400 + ord(ch))
    if ord(ch) == 0x7F:
        return "\u2421"
    if 0x80 <= ord(ch) < 0xA0:
        return "\ufffd"
    return ch


def as_typed(text: str) -> str:
    """A one-line text as the session keeps it: blanks collapsed, controls as pictures."""
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return "".join(picture(ch) for ch in " ".join(text.split()))


def raw_controls(text: str) -> list[str]:
    """Characters no terminal may be given raw: every control character but the line
    break, and lone surrogates."""
    return [repr(ch) for ch in text
            if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs")]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


# ---------------------------------------------------------------------- the rule itself
@pytest.mark.parametrize("text", TEXT_PARAMS)
def test_the_one_rule_keeps_every_text_visible(text: str) -> None:
    try:
        kept = clean_text(text, "the text")
    except SessionError as error:
        assert "\n" not in str(error) and not raw_controls(str(error))
        assert not as_typed(text) or len(as_typed(text)) > 2000
    else:
        assert kept == as_typed(text)
        assert clean_text(kept, "the text") == kept  # idempotent: a second door changes nothing
    assert not raw_controls(shown(text))
    assert not raw_controls(visible(text))
    assert not raw_controls(text_from_file(text.encode("utf-8", "surrogatepass")))


# ---------------------------------------------------------------------- the CLI's doors
@pytest.fixture(scope="module")
def base_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "base.db"
    runner = CliRunner()
    for args in (["new", str(path), "--title", "Base"],
                 ["roster", str(path), "--add", "Ada Lovelace", "--add", "Bob Ray"],
                 ["log", str(path), "Ada Lovelace", "Bob Ray"]):
        assert runner.invoke(cli, args, env={"FACILITATOR_AS": "tester"}).exit_code == 0
    from facilitator.models.groups import create_group
    from facilitator.models.roster import participants
    from facilitator.models.store import SessionStore

    with SessionStore.open(path, identity="tester") as store:
        create_group(store, "Soil", None, [participants(store)[0].id])
    return path


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        csv.writer(handle).writerows(rows)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def _names(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM participants ORDER BY id")]


def _column(sql: str) -> Callable[[Path], list[str]]:
    def read(db: Path) -> list[str]:
        conn = sqlite3.connect(db)
        try:
            return [r[0] for r in conn.execute(sql) if r[0] is not None]
        finally:
            conn.close()
    return read


@dataclass(frozen=True)
class Door:
    name: str
    limit: int
    #: (folder, session, text) -> (arguments, environment); writes any file it needs.
    prepare: Callable[[Path, Path, str], tuple[list[str], dict[str, str]]]
    #: The values of the session where the text may have gone.
    stored: Callable[[Path], list[str]]
    #: The text cannot go through this door's file format (a NUL in CSV).
    impossible: Callable[[str], bool] = lambda text: False
    #: The session the door writes to (new: a fresh file).
    fresh: bool = False
    #: The text cannot even be handed to this door (a NUL in an environment variable).
    unsendable: Callable[[str], bool] = lambda text: False


def _template(folder: Path, body: str) -> Path:
    path = folder / "t.yaml"
    path.write_text(body, encoding="utf-8")
    return path


NEW = "new.db"


def _not_csv(text: str) -> bool:
    """A NUL, or a lone surrogate (no UTF-8 for it): no CSV file can hold it."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)

DOORS = [
    Door("roster --add", 80, lambda f, s, t: (["roster", str(s), "--add", t], {}), _names),
    Door("--as", 60, lambda f, s, t: (["log", str(s), "Ada Lovelace", "Bob Ray", "--as", t], {}),
         _column("SELECT logged_by FROM interactions")),
    Door("$FACILITATOR_AS", 60, lambda f, s, t: (["log", str(s), "Bob Ray", "Ada Lovelace"],
                                                 {"FACILITATOR_AS": t}),
         _column("SELECT logged_by FROM interactions"),
         impossible=lambda t: not t.strip(), unsendable=lambda t: "\x00" in t),
    Door("log --note", 2000, lambda f, s, t: (["log", str(s), "Ada Lovelace", "Bob Ray", "--note", t], {}),
         _column("SELECT note FROM interactions")),
    Door("goals --add", 2000, lambda f, s, t: (["goals", str(s), "--group", "Soil", "--add", t], {}),
         _column("SELECT text FROM goals")),
    Door("new --title", 200, lambda f, s, t: (["new", str(f / NEW), "--title", t], {}),
         _column("SELECT title FROM session"), fresh=True),
    Door("roster CSV name", 80,
         lambda f, s, t: (_write_csv(f / "p.csv", [["name", "org"], [t, "x"]]),
                          ["roster", str(s), "--import", str(f / "p.csv")], {})[1:],
         _names, impossible=_not_csv),
    Door("roster CSV tag", 120,
         lambda f, s, t: (_write_csv(f / "p.csv", [["name", "org"], ["Tag Person", t]]),
                          ["roster", str(s), "--import", str(f / "p.csv")], {})[1:],
         lambda db: [json.loads(v).get("org", "") for v in _column("SELECT tags FROM participants")(db)],
         impossible=_not_csv),
    Door("roster YAML", 80,
         lambda f, s, t: ((f / "p.yaml").write_text(f"- {_q(t)}\n", encoding="utf-8"),
                          ["roster", str(s), "--import", str(f / "p.yaml")], {})[1:], _names),
    Door("template title", 200,
         lambda f, s, t: (["new", str(f / NEW), "--template", str(_template(f, f"title: {_q(t)}\n"))], {}),
         _column("SELECT title FROM session"), fresh=True),
    Door("template round", 120,
         lambda f, s, t: (["new", str(f / NEW), "--template", str(_template(
             f, f"title: T\nrounds:\n  - {{name: {_q(t)}, minutes: 5}}\n"))], {}),
         _column("SELECT name FROM rounds"), fresh=True),
    Door("template essential", 120,
         lambda f, s, t: (["new", str(f / NEW), "--template", str(_template(
             f, f"title: T\nessentials:\n  - {{name: {_q(t)}, description: {_q(t)}}}\n"))], {}),
         _column("SELECT name FROM essentials"), fresh=True),
    Door("template kind label", 60,
         lambda f, s, t: (["new", str(f / NEW), "--template", str(_template(
             f, "title: T\ncodebook:\n  - {name: speak, key: s, scope: pair, turn: true, "
                f"label: {_q(t)}}}\n"))], {}),
         _column("SELECT label FROM kinds"), fresh=True),
    Door("interactions CSV note", 2000,
         lambda f, s, t: (_write_csv(f / "i.csv", [["source", "target", "kind", "note"],
                                                   ["Ada Lovelace", "Bob Ray", "speak", t]]),
                          ["import", str(s), str(f / "i.csv")], {})[1:],
         _column("SELECT note FROM interactions"), impossible=_not_csv),
]


def _must_accept(door: Door, text: str) -> bool:
    """A text the door has no reason to refuse: not empty once cleaned, within the
    limit, possible in the door's format, and (for a name) holding a letter or digit
    to make a code from."""
    typed = as_typed(text)
    if not typed or len(typed) > door.limit or door.impossible(text):
        return False
    if door.stored is _names and not any(ch.isalnum() for ch in typed):
        return False
    return True


@pytest.mark.parametrize("door", [pytest.param(d, id=d.name) for d in DOORS])
def test_every_cli_door_keeps_the_corpus_visible_or_refuses_it(door: Door, base_session: Path,
                                                                tmp_path: Path) -> None:
    """One test per door, the whole corpus through it (one file copy per text)."""
    runner = CliRunner()
    failures: list[str] = []
    for name, text in TEXTS.items():
        if door.unsendable(text):
            continue
        folder = tmp_path / name
        folder.mkdir()
        session = folder / "s.db"
        shutil.copy(base_session, session)
        target = folder / NEW if door.fresh else session
        before_values = [] if door.fresh else door.stored(session)
        before = sha(target)
        args, env = door.prepare(folder, session, text)
        result = runner.invoke(cli, args, env={"FACILITATOR_AS": "tester", **env})
        said = result.stdout + result.stderr
        problem = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            problem = f"traceback {result.exception!r}"
        elif raw_controls(said):
            problem = f"raw control characters in the output: {raw_controls(said)[:5]}"
        elif result.exit_code == 0:
            added = door.stored(target)[len(before_values):] if not door.fresh else door.stored(target)
            raw = [v for v in door.stored(target) if raw_controls(v)]
            if raw:
                problem = f"stored raw: {raw[:2]!r}"
            elif as_typed(text) and as_typed(text) not in added and not (
                    door.name == "new --title" and not as_typed(text)):
                problem = f"stored {added!r}, typed {as_typed(text)!r}"
        else:
            lines = result.stderr.strip().splitlines()
            if result.exit_code == 2 and not as_typed(text) and "Error:" in result.stderr:
                pass  # an empty value is a usage error (exit 2), said by click
            elif result.exit_code != 1 or len(lines) != 1 or not lines[0].startswith("facilitator: "):
                problem = f"exit {result.exit_code}, said {said!r}"
            elif sha(target) != before:
                problem = "refused, but the session file changed"
            elif door.fresh and target.exists():
                problem = "refused, but a session file was left"
            elif _must_accept(door, text):
                problem = f"refused a text it should keep: {lines[0]}"
        if problem:
            failures.append(f"{name}: {problem}")
    assert not failures, "\n".join(failures)


def test_a_real_process_keeps_escape_sequences_out_of_its_output(base_session: Path, tmp_path: Path) -> None:
    """The same doors in a real process (argv as bytes, a real terminal encoding)."""
    import subprocess

    session = tmp_path / "s.db"
    shutil.copy(base_session, session)
    hostile = TEXTS["osc0_title_bel"] + TEXTS["esc_clear"] + TEXTS["c1_csi"]
    env = {**os.environ, "FACILITATOR_AS": hostile}
    commands = [
        ["roster", str(session), "--add", "Eve " + hostile],
        ["log", str(session), "Ada Lovelace", "Bob Ray", "--note", hostile],
        ["roster", str(session)],
        ["report", str(session)],
        ["goals", str(session), "--list"],
        ["ls", str(tmp_path)],
    ]
    for args in commands:
        result = subprocess.run(["facilitator", *args], capture_output=True, env=env, timeout=60)
        out = (result.stdout + result.stderr).decode("utf-8", "surrogateescape")
        assert result.returncode == 0, out
        assert "Traceback" not in out
        assert not raw_controls(out), (args[0], raw_controls(out)[:5])
    assert "\u241b]0;pwned\u2407T0" in _column("SELECT logged_by FROM interactions")(session)[-1]
    # A file named with escape sequences, listed by ls: shown, not run.
    (tmp_path / f"{TEXTS['osc0_title_bel']}.db").write_bytes(b"")
    result = subprocess.run(["facilitator", "ls", str(tmp_path)], capture_output=True, timeout=60)
    out = (result.stdout + result.stderr).decode("utf-8", "surrogateescape")
    assert not raw_controls(out) and "\u241b]0;pwned" in out


def test_identity_limits_are_one_sentence(base_session: Path, tmp_path: Path) -> None:
    session = tmp_path / "s.db"
    shutil.copy(base_session, session)
    before = sha(session)
    runner = CliRunner()
    for args, env in ((["log", str(session), "Ada Lovelace", "Bob Ray", "--as", "N" * 61], {}),
                      (["log", str(session), "Ada Lovelace", "Bob Ray", "--as", " \t "], {}),
                      (["log", str(session), "Ada Lovelace", "Bob Ray"], {"FACILITATOR_AS": "x" * 500})):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stderr.count("\n") == 1 and "name to log under" in result.stderr
    assert sha(session) == before


# ---------------------------------------------------------------------- look-alike people
LOOK_ALIKES = [pytest.param(p["a"], p["b"], id=p["id"]) for p in CORPUS["look_alike_pairs"]]


@pytest.mark.parametrize("first, second", LOOK_ALIKES)
def test_a_look_alike_of_someone_on_the_roster_is_refused_at_every_door(
        empty_session: Path, tmp_path: Path, first: str, second: str) -> None:
    """The same person typed twice (case, NFC/NFD, a no-break or zero-width space) is
    refused in one sentence by roster --add (in one call and in two) and by a roster
    import, and the file is left as it was."""
    runner = CliRunner()
    untouched = sha(empty_session)
    both = runner.invoke(cli, ["roster", str(empty_session), "--add", first, "--add", second])
    assert both.exit_code == 1 and both.stderr.count("\n") == 1, both.output
    assert sha(empty_session) == untouched  # neither was added
    assert "Traceback" not in both.output and not raw_controls(both.stderr)
    assert runner.invoke(cli, ["roster", str(empty_session), "--add", first]).exit_code == 0
    before = sha(empty_session)
    again = runner.invoke(cli, ["roster", str(empty_session), "--add", second])
    assert again.exit_code == 1 and again.stderr.count("\n") == 1, again.output
    people = tmp_path / "people.csv"
    people.write_text(f"name\n{second}\n", encoding="utf-8")
    imported = runner.invoke(cli, ["roster", str(empty_session), "--import", str(people)])
    assert imported.exit_code == 1 and imported.stderr.count("\n") == 1, imported.output
    assert sha(empty_session) == before
