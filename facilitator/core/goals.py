"""What the goals screen writes, as sentences and Changes: a goal in the group's
words, an edit of its text, status or progress note, a link to an essential
topic, a challenge and the group's answer, a new essential topic.

Each undo checks, inside its write transaction, that nobody has changed the
same thing since (goal_history has who and when; a challenge has who noted its
answer); if someone has, it names them and writes nothing. An undo of an edit
is itself an edit, so the goal's history shows it."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.core.changes import Change
from facilitator.models import challenges as asked
from facilitator.models import goals as records
from facilitator.models.store import SessionStore


@dataclass(frozen=True)
class Entry:
    """What the goals entry line is collecting, and where it goes."""

    kind: str  # goal, text, progress, challenge, answer, topic, reporter
    prompt: str
    target: int = 0       # the group, goal or challenge it is about
    topic: int | None = None

    @property
    def keeps_open(self) -> bool:
        """Goals come in a row while a group reports: the line stays open."""
        return self.kind in ("goal", "reporter")


def add_goal(store: SessionStore, group_id: int, text: str,
             by: str | None) -> tuple[int, Change]:
    """A goal as the group states it (by its reporter, or the group itself)."""
    goal_id = records.add_goal(store, group_id, text, by)
    said = records.get_goal(store, goal_id).text
    return goal_id, Change(f"the new goal {said!r}",
                           lambda: records.remove_fresh_goal(store, goal_id))


def edit_goal(store: SessionStore, goal_id: int, field: str, value: str) -> Change | None:
    """The goal's text, status or progress note as the group says it now (None:
    it already was)."""
    done = records.edit_goal_field(store, goal_id, field, value)
    if done is None:
        return None
    old, new, row = done
    text = records.get_goal(store, goal_id).text
    # Says what was undone: "Undid the status change of 'Map the basin' (to done)."
    what = (f"the status change of {text!r} (to {new})" if field == "status"
            else f"the {field} edit of {text!r}")

    def undo() -> None:
        records.revert_goal_field(store, goal_id, field, old, row)

    return Change(what, undo)


def move_status_on(store: SessionStore, goal_id: int) -> tuple[str, Change | None]:
    """open → in progress → done → dropped → open, from the status in the file
    now (a co-facilitator may have moved it on since the screen last looked)."""
    goal = records.get_goal(store, goal_id)
    new = records.next_status(goal.status)
    return f"{goal.text}: {new}.", edit_goal(store, goal.id, "status", new)


def link(store: SessionStore, goal_id: int, topic_id: int, linked: bool) -> Change | None:
    """Link the goal to an essential topic, or unlink it."""
    row = records.change_link(store, goal_id, topic_id, linked=linked)
    if not row:
        return None

    def undo() -> None:
        records.change_link(store, goal_id, topic_id, linked=not linked, after=row)

    goal = records.get_goal(store, goal_id).text
    topic = next((t.name for t in records.essential_topics(store) if t.id == topic_id), "a topic")
    return Change(f"linking {goal!r} to {topic}" if linked else f"unlinking {goal!r} from {topic}",
                  undo)


def raise_challenge(store: SessionStore, group_id: int, topic: int | None,
                    text: str) -> tuple[int, Change]:
    challenge_id = asked.raise_challenge(store, group_id, topic, text)
    return challenge_id, Change("the challenge",
                                lambda: asked.withdraw_challenge(store, challenge_id))


def answer(store: SessionStore, challenge_id: int, text: str) -> Change:
    """The group's answer to a challenge, in its words."""
    previous = asked.get_challenge(store, challenge_id)
    noted = asked.answer_challenge(store, challenge_id, text)
    return Change("the answer",
                  lambda: asked.take_back_answer(store, challenge_id, noted, previous))


def add_topic(store: SessionStore, name: str) -> Change:
    topic_id = records.add_essential(store, name)
    said = next((t.name for t in records.essential_topics(store) if t.id == topic_id), name)
    return Change(f"the new topic {said}",
                  lambda: records.remove_fresh_essential(store, topic_id))


def who_reports(store: SessionStore, typed: str) -> str | None:
    """Who reports for a group, from what the facilitator typed: a participant's
    code means that person, by name (goals then read 'set by Nadia Hassan', not
    'set by nh'); anything else is kept as typed; empty is the group itself."""
    from facilitator.models.roster import participants

    said = " ".join(typed.split())
    if not said:
        return None
    person = next((p for p in participants(store) if p.code.casefold() == said.casefold()), None)
    return person.name if person is not None else said
