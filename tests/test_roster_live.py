"""The roster form and presence in a live room: a burst with Tab fills the
fields it was typed in, and undo never overwrites a co-facilitator's change."""

from __future__ import annotations

from pathlib import Path

import pytest
from burst import burst, typed

from facilitator.app import make_app
from facilitator.core import roster as changes
from facilitator.core.fields import CANCEL, SUBMIT, Fields
from facilitator.models.roster import find_participant, participants
from facilitator.models.store import SessionError, SessionStore


def test_fields_take_every_key_where_it_was_typed() -> None:
    form = Fields.of(name="", code="", tags="")
    keys = [*"Ana Lopey", "backspace", "z", "tab", *"al", "tab", *"role=host", "shift+tab",
            "backspace", "x"]
    outcomes = [form.feed(k, k if len(k) == 1 else None) for k in keys]
    assert outcomes == [None] * len(keys)
    assert [form.value(f) for f in ("name", "code", "tags")] == ["Ana Lopez", "ax", "role=host"]
    assert form.feed("enter") == SUBMIT and form.feed("escape") == CANCEL
    edited = Fields.of(name="Ben", code="bn", tags="")
    for key in ("left", "left", "ctrl+u"):
        edited.feed(key)
    assert edited.value("name") == "en"


async def test_a_burst_with_tab_lands_in_each_field(small_session: Path) -> None:
    app = make_app(small_session, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "a", *typed("Zoe Quinn"), "tab", *typed("zq"), "tab",
                    *typed("organisation=Acme, role=lead"), "enter")
    with SessionStore.open(small_session) as store:
        zoe = find_participant(store, "Zoe Quinn")
    assert zoe.code == "zq" and zoe.tags == {"organisation": "Acme", "role": "lead"}


async def test_down_then_space_marks_the_row_the_down_moved_to(small_session: Path) -> None:
    app = make_app(small_session, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        with SessionStore.open(small_session) as store:
            second = participants(store)[1].name
        await burst(pilot, "down", "space")
    with SessionStore.open(small_session) as store:
        absent = [p.name for p in participants(store) if not p.present]
    assert absent == [second]


def test_undo_of_presence_refuses_after_kim_changed_them(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        person = participants(sam)[0]
        _, change = changes.toggle_presence(sam, person)
        changes.edit(kim, find_participant(kim, person.name), person.name, person.code,
                     "role=guest")
        with pytest.raises(SessionError, match="since; nothing was undone"):
            change.undo()
        assert not find_participant(kim, person.name).present  # Sam's mark stays


def test_undo_of_an_add_and_an_edit(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        _, added = changes.add(sam, "Zoe Quinn", "", "")
        added.undo()
        assert "Zoe Quinn" not in [p.name for p in participants(kim)]
        person = participants(sam)[0]
        _, edit = changes.edit(sam, person, person.name + " Jr", person.code, "")
        changes.toggle_presence(kim, find_participant(kim, person.name + " Jr"))
        with pytest.raises(SessionError, match="since; nothing was undone"):
            edit.undo()
        assert find_participant(kim, person.code).name == person.name + " Jr"


def roster_rows(store: SessionStore) -> list[tuple]:
    return [tuple(r) for r in store.rows("SELECT * FROM participants ORDER BY id")]


def test_a_refused_roster_undo_names_who_changed_the_person_since(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        ana = find_participant(sam, "Ana Lopez")
        _, edit = changes.edit(sam, ana, ana.name, ana.code, "role=host")
        changes.toggle_presence(kim, find_participant(kim, "al"))
        before = roster_rows(kim)
        with pytest.raises(SessionError) as refused:
            edit.undo()
        assert str(refused.value) == "kim marked Ana Lopez absent since; nothing was undone."
        assert roster_rows(kim) == before
        bob = find_participant(sam, "Bob Smith")
        _, mark = changes.toggle_presence(sam, bob)
        changes.edit(kim, find_participant(kim, "bs"), "Bob Smithson", "bs", "")
        before = roster_rows(kim)
        with pytest.raises(SessionError) as refused:
            mark.undo()
        assert str(refused.value) == "kim changed Bob Smith on the roster since; nothing was undone."
        assert roster_rows(kim) == before
        assert tuple(kim.one("SELECT changed_by FROM participants WHERE code = 'bs'")) == ("kim",)


def test_an_undone_presence_mark_records_who_and_when(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam:
        _, mark = changes.toggle_presence(sam, find_participant(sam, "al"))
        first = sam.one("SELECT changed_at, changed_by FROM participants WHERE code = 'al'")
        mark.undo()
        again = sam.one("SELECT present, changed_at, changed_by FROM participants"
                        " WHERE code = 'al'")
    assert first["changed_by"] == "sam" and again["present"] == 1 and again["changed_by"] == "sam"
    assert again["changed_at"] >= first["changed_at"]
