"""Templates and rosters: the committed examples load; problems name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.models.roster_import import read_roster
from facilitator.models.store import SessionError
from facilitator.models.templates import load_template
from tests.conftest import TEMPLATES


@pytest.mark.parametrize("name", ["unworkshop", "open-space", "discussion-circle"])
def test_committed_templates_load(name: str) -> None:
    template = load_template(TEMPLATES / f"{name}.yaml")
    assert template.title
    assert template.rounds and all(r.minutes for r in template.rounds)
    assert {"ask", "help", "build-on", "cut-off", "silence", "cross-talk"} <= {k.name for k in template.codebook}
    assert template.essentials


@pytest.mark.parametrize("text, message", [
    ("title: X\nrounds: [a\n", "t.yaml line 3: malformed YAML"),
    ("title: X\nroster:\n  - Ana\n  - ana\n", "t.yaml line 4: ana is already on line 3"),
    ("title: X\nroster:\n  - name: ''\n", "t.yaml line 3: A participant's name cannot be empty"),
    ("title: X\nroster:\n  - " + "N" * 120 + "\n", "t.yaml line 3: A participant's name is 120 characters long"),
    ("title: X\nrounds:\n  - {name: A, minutes: -4}\n", "t.yaml line 3: minutes must be"),
    ("title: X\ncodebook:\n  - {name: ask, key: aa}\n", "t.yaml line 3: a kind needs"),
    ("title: X\ngroup_size: {min: 5, max: 2}\n", "t.yaml line 2: group_size"),
    ("rounds: []\n", "needs a title"),
    ("title: X\nroster:\n  - name: A\n    colour: red\n", "t.yaml line 4: unknown key 'colour'"),
    ("- just\n- a list\n", "a template is a YAML mapping"),
    ("title: !!python/object/apply:os.system ['echo hi']\n", "malformed YAML"),
])
def test_template_problems_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(SessionError) as error:
        load_template(path)
    assert message in str(error.value)


def test_roster_csv_with_bom_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xef\xbb\xbfname,organisation,role\nAna,Acme,lead\nBo,,\n")
    assert read_roster(path) == [("Ana", {"organisation": "Acme", "role": "lead"}), ("Bo", {})]


def test_roster_not_utf8_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("name\nJosé\n".encode("latin-1"))
    with pytest.raises(SessionError, match="not UTF-8"):
        read_roster(path)


def test_roster_without_name_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("who,role\nAna,lead\n")
    with pytest.raises(SessionError, match="r.csv line 1: there is no 'name' column"):
        read_roster(path)


def test_codebook_without_a_kind_between_people_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("title: X\ncodebook:\n  - {name: silence, key: '.', scope: group}\n")
    with pytest.raises(SessionError, match="t.yaml line 2: the codebook needs at least one kind"):
        load_template(path)
