"""Names as people type them: lookups, look-alikes, codes and order (models/names.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models.names import identity_key, search_key, sort_key
from facilitator.models.roster import add_participant, find_participant, participants, suggest_code
from facilitator.models.session import create_session
from facilitator.models.store import SessionError, SessionStore

ROOM = ["Zoë Müller", "José Núñez", "Łukasz Wójcik", "Åsa Berg", "Björn Þórsson",
        "Ann Nolan", "Anne-Marie Nöel", "Ørjan Ødegård", "Ursula Strauß", "Ólafur Ægisson",
        "Zach Young", "Bea Adams"]


def run(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """A room with accented names, added one by one as people arrive."""
    path = tmp_path / "room.db"
    with create_session(path, "Names") as store:
        for name in ROOM:
            add_participant(store, name)
    return path


def test_the_keys_fold_what_people_do_not_type() -> None:
    assert search_key("Łukasz Wójcik") == "lukasz wojcik"
    assert search_key("Björn Þórsson") == "bjorn thorsson"
    assert search_key("Ursula Strauß") == "ursula strauss"
    assert search_key("Ólafur Ægisson") == "olafur aegisson"
    assert search_key("Œuvre Ørjan") == "oeuvre orjan"
    # NFD (a combining diaeresis), upper case and a zero-width space: the same name.
    assert identity_key("Zoe\u0308 MÜLLER") == identity_key("Zoë\u200b Müller")
    assert identity_key("Zoe Müller") != identity_key("Zoë Müller")  # e is not ë


@pytest.mark.parametrize("typed, name", [
    ("zoe", "Zoë Müller"), ("ZOË", "Zoë Müller"), ("muller", "Zoë Müller"),
    ("jose", "José Núñez"), ("jose nunez", "José Núñez"), ("luk", "Łukasz Wójcik"),
    ("wojcik", "Łukasz Wójcik"), ("asa", "Åsa Berg"), ("thorsson", "Björn Þórsson"),
    ("strauss", "Ursula Strauß"), ("aegisson", "Ólafur Ægisson"), ("orjan", "Ørjan Ødegård"),
    ("ann", "Ann Nolan"),  # a whole word beats the start of Anne-Marie
    ("am", "Anne-Marie Nöel"),  # a code first
])
def test_every_lookup_finds_people_as_they_are_typed(room: Path, typed: str, name: str) -> None:
    with SessionStore.open(room) as store:
        assert find_participant(store, typed).name == name


def test_an_ambiguous_or_near_miss_lookup_asks_which(room: Path) -> None:
    with SessionStore.open(room) as store:
        with pytest.raises(SessionError, match=r"'z' could be Zach Young \(zy\) or Zoë Müller \(zm\)"):
            find_participant(store, "z")
        with pytest.raises(SessionError, match=r"did you mean Łukasz Wójcik \(lw\)\?"):
            find_participant(store, "ukasz")
        with pytest.raises(SessionError, match="No participant is called or coded 'qq'"):
            find_participant(store, "qq")


def test_log_from_the_command_line_with_names_as_typed(room: Path) -> None:
    result = run("log", str(room), "zoe", "jose")
    assert result.exit_code == 0, result.output
    assert "Zoë Müller spoke to José Núñez" in result.output
    result = CliRunner().invoke(cli, ["log", str(room), "an", "z"])  # an: Ann's code
    assert result.exit_code == 1
    assert "could be Zach Young (zy) or Zoë Müller (zm)" in result.output
    with SessionStore.open(room) as store:
        assert store.scalar("SELECT COUNT(*) FROM interactions") == 1


def test_codes_come_from_the_transliterated_initials(room: Path) -> None:
    with SessionStore.open(room) as store:
        codes = {p.name: p.code for p in participants(store)}
    assert codes["Łukasz Wójcik"] == "lw"
    assert codes["Björn Þórsson"] == "bt"
    assert codes["Åsa Berg"] == "ab"
    assert codes["Ann Nolan"] == "an"
    # Ann Nolan had "an": the next letters of the name, here the middle initial.
    assert codes["Anne-Marie Nöel"] == "am"
    for name, code in codes.items():
        letters = set(search_key(name))
        assert set(code) <= letters, f"{code} has letters that are in no part of {name}"


def test_collisions_take_the_next_letters_of_the_name() -> None:
    taken = {"zm"}
    assert suggest_code("Zoë Müller", taken) == "zu"  # z + the surname's next letter
    taken |= {"zu", "zl", "ze", "zr"}
    assert suggest_code("Zoë Müller", taken) == "zo"  # then the first name's letters


def test_existing_codes_stay_as_they_are(room: Path) -> None:
    """Codes are stored: a file made with the old rule keeps its codes."""
    with SessionStore.open(room) as store:
        store.transact(lambda c: c.execute(
            "UPDATE participants SET code = 'uw' WHERE name = 'Łukasz Wójcik'"))
    with SessionStore.open(room) as store:
        assert find_participant(store, "uw").name == "Łukasz Wójcik"
        assert add_participant(store, "Lena Wu").code == "lw"  # free again: new rule


def test_roster_sorts_by_the_transliterated_name_whatever_the_locale(room: Path) -> None:
    result = run("roster", str(room))
    names = [line[5:].strip() for line in result.output.splitlines()]
    assert names == sorted(ROOM, key=sort_key)
    assert names.index("Åsa Berg") < names.index("Bea Adams")  # Å with the A's, not after Z
    assert names.index("Łukasz Wójcik") < names.index("Ørjan Ødegård") < names.index("Ursula Strauß")
    assert names[-1] == "Zoë Müller"


@pytest.mark.parametrize("name", [
    "zoë müller", "ZOË MÜLLER", "Zoe\u0308 Müller", "Zoë\u200b Müller", "\u2060Zoë Müller",
    "Zoë\u00ad Müller"])
def test_look_alikes_are_refused_with_one_sentence(room: Path, name: str) -> None:
    before = room.read_bytes()
    result = CliRunner().invoke(cli, ["roster", str(room), "--add", name])
    assert result.exit_code == 1
    assert "looks the same as Zoë Müller, already on the roster" in result.output
    assert "Traceback" not in result.output
    with SessionStore.open(room) as store:
        assert store.scalar("SELECT COUNT(*) FROM participants") == len(ROOM)
    assert room.read_bytes() == before


def test_look_alikes_are_refused_in_an_import_and_against_the_roster(room: Path,
                                                                     tmp_path: Path) -> None:
    inside = tmp_path / "inside.csv"
    inside.write_text("name\nMia Chen\nmia chen\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["roster", str(room), "--import", str(inside)])
    assert result.exit_code == 1 and "mia chen is already on line 2" in result.output
    against = tmp_path / "against.yaml"
    against.write_text("- Mia Chen\n- JOSE\u0301 NU\u0301N\u0303EZ\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["roster", str(room), "--import", str(against)])
    assert result.exit_code == 1
    assert "looks the same as José Núñez, already on the roster" in result.output
    with SessionStore.open(room) as store:  # all or nothing: Mia was not added either
        assert store.scalar("SELECT COUNT(*) FROM participants") == len(ROOM)


def test_a_rename_into_a_look_alike_is_refused(room: Path) -> None:
    from facilitator.models.roster import edit_participant

    with SessionStore.open(room) as store:
        ann = find_participant(store, "ann")
        with pytest.raises(SessionError, match="looks the same as José Núñez"):
            edit_participant(store, ann.id, name="jose\u0301 nu\u0301n\u0303ez")
        # Her own name in another case is her name: allowed.
        assert edit_participant(store, ann.id, name="ANN NOLAN").name == "ANN NOLAN"


def test_the_report_lists_people_in_the_same_order(room: Path) -> None:
    import json

    result = run("report", str(room), "--json")
    assert result.exit_code == 0, result.output
    names = [p["name"] for p in json.loads(result.output)["participants"]]
    assert names == sorted(ROOM, key=sort_key)
    assert names.index("Åsa Berg") < names.index("Bea Adams")


def test_the_groups_move_line_reads_names_as_typed(room: Path) -> None:
    from facilitator.models.group_input import read_moves

    with SessionStore.open(room) as store:
        moved = read_moves(store, "zoe jose, luk 2")
        assert moved.number == 2
        assert [find_participant(store, n).id for n in ("zm", "jn", "lw")] == list(moved.people)
        with pytest.raises(SessionError, match="could be Zach Young"):
            read_moves(store, "z 2")


def test_a_name_mixing_alphabets_that_spells_another_is_refused(room: Path) -> None:
    result = CliRunner().invoke(cli, ["roster", str(room), "--add", "B\u0435a Adams"])  # Cyrillic е
    assert result.exit_code == 1
    assert "looks the same as Bea Adams, already on the roster" in result.output
    # A name in one alphabet is a name: Дмитрий is not refused, nor is a new Latin name.
    result = CliRunner().invoke(cli, ["roster", str(room), "--add", "Дмитрий Орлов"])
    assert result.exit_code == 0, result.output
    with SessionStore.open(room) as store:
        assert find_participant(store, "dmitriy").name == "Дмитрий Орлов"
        assert find_participant(store, "Дмитрий").code == "do"


def test_an_explicit_entry_typed_with_caps_lock_still_names_the_people() -> None:
    from facilitator.core.tally_keys import Explicit, TallyKeys
    from facilitator.models.codebook import DEFAULT_CODEBOOK
    from facilitator.models.records import Participant

    people = [Participant(1, "Zoë Müller", "zm"), Participant(2, "José Núñez", "jn")]
    keys = TallyKeys()
    keys.configure(people, list(DEFAULT_CODEBOOK), DEFAULT_CODEBOOK[0], [], False)
    out: list[object] = []
    for key in ["/", "Z", "M", "A", "J", "N", "N", "o", "T", "e", "enter"]:
        out += keys.press(key) or []
    entry = out[-1]
    assert isinstance(entry, Explicit)
    assert (entry.source.name, entry.kind.name, entry.target.name if entry.target else None) == (
        "Zoë Müller", "ask", "José Núñez")
    assert entry.note == "NoTe"  # the note as typed


def test_a_code_letter_typed_with_its_accent_is_that_letter() -> None:
    from facilitator.core.tally_keys import Explicit, TallyKeys, Turn
    from facilitator.models.codebook import DEFAULT_CODEBOOK
    from facilitator.models.records import Participant

    people = [Participant(1, "Zoë Müller", "zm"), Participant(2, "José Núñez", "jn")]
    keys = TallyKeys()
    keys.configure(people, list(DEFAULT_CODEBOOK), DEFAULT_CODEBOOK[0], [], False)
    out: list[object] = []
    for key in ["/", "ž", "m", "enter", "j", "ñ", *"café", "enter"]:
        out += keys.press(key) or []
    assert [type(o) for o in out] == [Explicit]
    entry = out[0]
    assert isinstance(entry, Explicit) and entry.target is not None
    assert (entry.source.code, entry.target.code, entry.note) == ("zm", "jn", "café")
    assert [o for k in ("j", "ñ") for o in keys.press(k) or []] == [Turn(people[1], None)]


def test_done_when_the_installed_command_logs_zoe_to_jose(room: Path) -> None:
    """The issue's words, through the installed `facilitator`, as a person types it."""
    import subprocess

    from tests.conftest import facilitator_command

    result = subprocess.run([*facilitator_command(), "log", str(room), "zoe", "jose"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Logged #1: Zoë Müller spoke to José Núñez")
    result = subprocess.run([*facilitator_command(), "roster", str(room)],
                            capture_output=True, text=True)
    assert "lw   Łukasz Wójcik" in result.stdout
