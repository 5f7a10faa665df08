"""The CLI through click's CliRunner, comparing what a user reads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models.store import SessionStore
from tests.conftest import TEMPLATES


def run(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_new_from_template_and_roster(tmp_path: Path) -> None:
    roster = tmp_path / "people.csv"
    roster.write_bytes("\ufeffName,organisation\nZoë Ångström,Acme\nBo Li,Beta\n".encode())
    path = tmp_path / "s.db"
    result = run("new", str(path), "--template", str(TEMPLATES / "unworkshop.yaml"),
                 "--roster", str(roster))
    assert result.exit_code == 0, result.output
    assert "Created" in result.output and "2 participants" in result.output
    with SessionStore.open(path) as store:
        assert store.scalar("SELECT title FROM session") == "Unworkshop on informal learning at work"
        assert store.scalar("SELECT COUNT(*) FROM rounds") == 5
        assert store.scalar("SELECT tags FROM participants WHERE name = 'Zoë Ångström'") == \
            '{"organisation": "Acme"}'


def test_new_default_path_is_dated_slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "--title", "Open Space: Day 1")
    assert result.exit_code == 0, result.output
    made = list((tmp_path / "sessions").glob("*-open-space-day-1.db"))
    assert len(made) == 1


def test_new_on_existing_path_fails_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"keep me")
    result = run("new", str(path))
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert path.read_bytes() == b"keep me"


def test_new_with_malformed_template_names_the_line(tmp_path: Path) -> None:
    template = tmp_path / "bad.yaml"
    template.write_text("title: Broken\nrounds:\n  - {name: One, minutes: 10\n")
    result = run("new", str(tmp_path / "s.db"), "--template", str(template))
    assert result.exit_code == 1
    assert "bad.yaml line" in result.output
    assert "Traceback" not in result.output
    assert files_in(tmp_path) == {"bad.yaml": template.read_bytes()}


def test_new_with_unknown_template_key(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("title: X\nessentails:\n  - Safety\n")
    result = run("new", str(tmp_path / "s.db"), "--template", str(template))
    assert result.exit_code == 1
    assert "t.yaml line 2: unknown key 'essentails'" in result.output
    assert not (tmp_path / "s.db").exists()


def test_open_refuses_non_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    result = run("open", str(path))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "not a facilitator session" in result.output
    assert path.read_text() == "not a database"


def test_log_prints_what_was_logged(small_session: Path) -> None:
    result = run("log", str(small_session), "al", "Bob Smith", "--kind", "ask", "--note", "=1+1")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Logged #1: Ana Lopez asked Bob Smith (=1+1)"
    result = run("log", str(small_session), "cd")
    assert "Cleo Diaz spoke to the whole group" in result.output
    result = run("log", str(small_session), "--kind", "silence")
    assert result.exit_code == 0 and "silence" in result.output


@pytest.mark.parametrize("args, message", [
    (("zz", "al"), "No participant is called or coded 'zz'"),
    (("al", "al"), "cannot address themselves"),
    (("al", "bs", "--kind", "shout"), "'shout' is not a kind"),
])
def test_log_bad_input_is_one_sentence_and_writes_nothing(small_session: Path, args: tuple[str, ...],
                                                           message: str) -> None:
    result = run("log", str(small_session), *args)
    assert result.exit_code == 1
    assert message in result.output
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM interactions") == 0


def test_usage_error_exits_2(small_session: Path) -> None:
    assert run("log").exit_code == 2
    assert run("open", str(small_session), "--screen", "nowhere").exit_code == 2


def test_import_is_all_or_nothing(small_session: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("source,target,kind,timestamp,note\nal,bs,ask,2026-11-28T10:00:00,first\n"
                    "Bob Smith,,speak,,\n,,silence,,\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,kind\nal,bs,ask\nal,nobody,ask\ncd,cd,speak\n")
    result = run("import", str(small_session), str(bad))
    assert result.exit_code == 1
    assert "bad.csv line 3" in result.output and "bad.csv line 4" in result.output
    result = run("import", str(small_session), str(good))
    assert result.exit_code == 0, result.output
    assert "Imported 3 interactions" in result.output
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM interactions") == 3
        assert store.scalar("SELECT at FROM interactions WHERE note = 'first'").startswith(
            "2026-11-28T10:00:00")


def test_roster_add_import_and_list(small_session: Path, tmp_path: Path) -> None:
    result = run("roster", str(small_session), "--add", "Eve Adams")
    assert result.exit_code == 0 and "Added Eve Adams (ea)" in result.output
    people = tmp_path / "more.yaml"
    people.write_text("- Finn Olsen\n- name: Gia Rossi\n  tags: {role: host}\n")
    assert run("roster", str(small_session), "--import", str(people)).exit_code == 0
    listing = run("roster", str(small_session)).output
    assert "Gia Rossi" in listing and "role=host" in listing


def test_roster_import_reports_every_problem_with_its_line(small_session: Path, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,role\nHal Jordan,x\n,empty\nHal Jordan,again\n" + "L" * 200 + ",long\n")
    result = run("roster", str(small_session), "--import", str(people))
    assert result.exit_code == 1
    for line in ("line 3", "line 4", "line 5"):
        assert f"people.csv {line}" in result.output
    assert "Hal Jordan" not in run("roster", str(small_session)).output


def test_report_json_has_the_documented_keys(demo_session: Path) -> None:
    result = run("report", str(demo_session), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["session"]["title"] == "Wildlife emergency network unworkshop"
    assert data["session"]["schema_version"] >= 1
    assert len(data["participants"]) == 24
    first = data["participants"][0]
    assert {"name", "code", "tags", "as_source", "as_target"} <= set(first)
    assert data["interactions"]["total"] > 200 and "speak" in data["interactions"]["by_kind"]
    assert "Wildlife emergency" in run("report", str(demo_session)).output


def test_export_writes_safe_utf8_csv(small_session: Path, tmp_path: Path) -> None:
    run("roster", str(small_session), "--add", "=HYPERLINK(\"x\")")
    run("log", str(small_session), "al", "bs", "--note", "café +1")
    out = tmp_path / "out"
    result = run("export", str(small_session), "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = (out / "participants.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((out / "participants.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert "'=HYPERLINK(\"x\")" in [r["name"] for r in rows]
    notes = list(csv.DictReader((out / "interactions.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert notes[0]["note"] == "café +1"
    # The tallies are columns of participants.csv now (issue 12: derived files).
    assert (out / "edges.csv").exists() and "as_source" in rows[0]


def test_ls_lists_sessions(small_session: Path, tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_text("nope")
    result = run("ls", str(tmp_path))
    assert "Small test session" in result.output and "4 participants" in result.output
    assert "junk.db  (not readable" in result.output


def test_demo_builds_once_without_opening(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    result = run("demo", str(path), "--no-open")
    assert result.exit_code == 0 and path.exists()
    with SessionStore.open(path) as store:
        assert store.scalar("SELECT COUNT(*) FROM participants") == 24
        assert store.scalar("SELECT COUNT(*) FROM rounds") == 3
        assert store.scalar("SELECT COUNT(*) FROM challenges") == 1
        assert 200 <= store.scalar("SELECT COUNT(*) FROM interactions") <= 600
    assert run("demo", str(path), "--no-open").output == ""  # already there: left alone


def test_demo_is_deterministic(tmp_path: Path) -> None:
    def content(path: Path) -> list[tuple[object, ...]]:
        with SessionStore.open(path) as store:
            return [tuple(r) for r in store.rows(
                "SELECT source_id, target_id, kind, group_id, round_id FROM interactions ORDER BY id")]

    run("demo", str(tmp_path / "a.db"), "--no-open")
    run("demo", str(tmp_path / "b.db"), "--no-open")
    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, f"{name} --help has no example"


def test_log_a_whole_group_state_with_a_person_is_refused(small_session: Path) -> None:
    result = run("log", str(small_session), "al", "--kind", "silence")
    assert result.exit_code == 1
    assert "'silence' is a whole-group state" in result.output
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM interactions") == 0
