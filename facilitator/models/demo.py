"""A realistic, deterministic demo session: an unworkshop of 24 people from four
organisations, three rounds, self-organised groups, goals, essentials, a challenge
and a few hundred interactions spread over time.

The content is the same every time; timestamps are laid out backwards from the
moment of building, so the third round is running when the demo opens."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from facilitator.models.codebook import DEFAULT_CODEBOOK, write_codebook
from facilitator.models.goals import insert_goal
from facilitator.models.groups import insert_group, join_group
from facilitator.models.interactions import insert_interaction
from facilitator.models.roster import insert_participant
from facilitator.models.rounds import insert_round
from facilitator.models.session import insert_essential
from facilitator.models.store import SessionStore

SEED = 20081124

PEOPLE = [
    ("Amara Okafor", "Parks Agency", "manager"), ("Ben Carter", "Parks Agency", "ranger"),
    ("Chen Wei", "Parks Agency", "analyst"), ("Dana Levi", "Parks Agency", "coordinator"),
    ("Elif Yilmaz", "Parks Agency", "ranger"), ("Farid Haddad", "Parks Agency", "analyst"),
    ("Grace Mensah", "Wildlife Rescue", "vet"), ("Hugo Lefebvre", "Wildlife Rescue", "volunteer"),
    ("Ines Duarte", "Wildlife Rescue", "coordinator"), ("Jonas Berg", "Wildlife Rescue", "vet"),
    ("Kiri Walker", "Wildlife Rescue", "volunteer"), ("Lena Novak", "Wildlife Rescue", "manager"),
    ("Mateo Rossi", "City Council", "policy"), ("Nadia Rahman", "City Council", "manager"),
    ("Oscar Lind", "City Council", "analyst"), ("Priya Nair", "City Council", "policy"),
    ("Quinn Murphy", "City Council", "coordinator"), ("Rosa Jimenez", "City Council", "analyst"),
    ("Sami Virtanen", "School Board", "teacher"), ("Tomas Silva", "School Board", "teacher"),
    ("Uma Patel", "School Board", "manager"), ("Victor Adeyemi", "School Board", "teacher"),
    ("Wen Zhao", "School Board", "coordinator"), ("Yara Haddad", "School Board", "teacher"),
]
#: Quinn never takes part (an isolate to notice); Oscar and Uma only listen.
ISOLATE = "Quinn Murphy"
LISTENERS = {"Oscar Lind", "Uma Patel"}

ESSENTIALS = [
    ("Safety", "Handling injured animals and volunteers safely"),
    ("Inclusion", "Every organisation's voice in the response network"),
    ("Evaluation", "How we will know the network works"),
]
ROUNDS = [("Opening circle", 15.0), ("Open space", 45.0), ("Mixed groups", 30.0)]
OPEN_SPACE = {
    "Volunteer onboarding": ["Hugo Lefebvre", "Kiri Walker", "Dana Levi", "Sami Virtanen", "Wen Zhao"],
    "Rescue hotline": ["Grace Mensah", "Jonas Berg", "Ben Carter", "Elif Yilmaz", "Mateo Rossi"],
    "Data sharing": ["Chen Wei", "Farid Haddad", "Oscar Lind", "Rosa Jimenez", "Priya Nair"],
    "Schools programme": ["Tomas Silva", "Victor Adeyemi", "Yara Haddad", "Uma Patel", "Ines Duarte"],
    "Funding the network": ["Amara Okafor", "Lena Novak", "Nadia Rahman", "Quinn Murphy"],
}
#: Law of two feet: (who, to which topic) during the open space.
MOVES = [("Ines Duarte", "Volunteer onboarding"), ("Mateo Rossi", "Funding the network")]
GOALS = {
    "Volunteer onboarding": [("A one-page welcome pack every partner can hand out", ["Inclusion"], "in progress"),
                             ("Buddy new volunteers with a ranger for their first call-out", ["Safety"], "open")],
    "Rescue hotline": [("One number for the public, routed to whoever is on duty", [], "in progress"),
                       ("Agree a triage script for injured wildlife", ["Safety"], "done")],
    "Data sharing": [("Share sightings in one spreadsheet before the next season", [], "open")],
    "Schools programme": [("Pupils visit the rescue centre each term", ["Inclusion"], "open")],
}
KIND_WEIGHTS = [("speak", 48), ("ask", 12), ("answer", 10), ("build-on", 12), ("help", 8),
                ("challenge", 4), ("introduce", 3), ("cut-off", 3)]


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")


def build_demo(path: str | Path, identity: str = "demo") -> SessionStore:
    """Create the demo session at path (which must not exist) and return it open."""
    store = SessionStore.create(path, identity=identity)
    rng = random.Random(SEED)
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=15 + 45 + 12)

    def body(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO session (id, title, created_at, template, group_min, group_max)"
                     " VALUES (1, ?, ?, 'unworkshop', 3, 6)",
                     ("Wildlife emergency network unworkshop", _stamp(start)))
        write_codebook(conn, DEFAULT_CODEBOOK)
        essentials = {name: insert_essential(conn, name, text) for name, text in ESSENTIALS}
        ids = {name: insert_participant(conn, name, {"organisation": org, "role": role}, None, identity)
               for name, org, role in PEOPLE}
        round_ids = [insert_round(conn, name, minutes) for name, minutes in ROUNDS]
        clock = start
        # Round 1: everyone in one circle.
        conn.execute("UPDATE rounds SET started_at = ? WHERE id = ?", (_stamp(clock), round_ids[0]))
        circle = insert_group(conn, "Opening circle", round_ids[0], "self", identity)
        for name in ids:
            join_group(conn, ids[name], circle, identity, at=_stamp(clock))
        speakers = [n for n in ids if n != ISOLATE and n not in LISTENERS]
        clock = _talk(conn, rng, ids, speakers, list(ids), circle, round_ids[0], clock, 70, 12, identity)
        conn.execute("UPDATE rounds SET ended_at = ? WHERE id = ?", (_stamp(clock), round_ids[0]))
        # Round 2: open space, self-selected topics, two people move.
        clock += timedelta(minutes=1)
        conn.execute("UPDATE rounds SET started_at = ? WHERE id = ?", (_stamp(clock), round_ids[1]))
        topics = {}
        for topic, members in OPEN_SPACE.items():
            topics[topic] = insert_group(conn, topic, round_ids[1], "self", identity,
                                         convener_id=ids[members[0]])
            for name in members:
                join_group(conn, ids[name], topics[topic], identity, at=_stamp(clock))
        round2_start = clock
        for topic, members in OPEN_SPACE.items():
            talkers = [n for n in members if n != ISOLATE and n not in LISTENERS]
            _talk(conn, rng, ids, talkers, members, topics[topic], round_ids[1],
                  round2_start, 40, 40, identity)
        for step, (name, topic) in enumerate(MOVES):
            join_group(conn, ids[name], topics[topic], identity,
                       at=_stamp(round2_start + timedelta(minutes=20 + 5 * step)))
        clock = round2_start + timedelta(minutes=44)
        for topic, goals in GOALS.items():
            for text, covers, status in goals:
                insert_goal(conn, topics[topic], text, "the group", identity,
                            [essentials[e] for e in covers], status)
        conn.execute("UPDATE goals SET round_id = ?, created_at = ?", (round_ids[1], _stamp(clock)))
        conn.execute(
            "INSERT INTO challenges (group_id, essential_id, text, raised_at, raised_by, response,"
            " answered_at, noted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (topics["Data sharing"], essentials["Evaluation"],
             "How will you know whether shared sightings lead to faster rescues?",
             _stamp(clock), identity,
             "We will count call-outs per sighting for a season and report back.",
             _stamp(clock + timedelta(minutes=1)), identity))
        conn.execute("UPDATE rounds SET ended_at = ? WHERE id = ?",
                     (_stamp(round2_start + timedelta(minutes=45)), round_ids[1]))
        # Round 3: mixed groups, running now.
        clock = round2_start + timedelta(minutes=46)
        conn.execute("UPDATE rounds SET started_at = ? WHERE id = ?", (_stamp(clock), round_ids[2]))
        conn.execute("UPDATE session SET current_round_id = ?", (round_ids[2],))
        order = sorted(ids, key=lambda n: (PEOPLE[[p[0] for p in PEOPLE].index(n)][1], n))
        mixed: dict[int, list[str]] = {}
        for index, name in enumerate(order):
            mixed.setdefault(index % 4, []).append(name)
        for number, members in mixed.items():
            group = insert_group(conn, f"Mixed {number + 1}", round_ids[2], "new-ties", identity,
                                 batch="demo-round-3")
            for name in members:
                join_group(conn, ids[name], group, identity, batch="demo-round-3", at=_stamp(clock))
            talkers = [n for n in members if n != ISOLATE and n not in LISTENERS]
            _talk(conn, rng, ids, talkers, members, group, round_ids[2], clock, 15, 11, identity)

    try:
        store.transact(body)
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return store


def _talk(conn: sqlite3.Connection, rng: random.Random, ids: dict[str, int], talkers: list[str],
          members: list[str], group_id: int, round_id: int, clock: datetime, count: int,
          minutes: float, identity: str) -> datetime:
    """A discussion: turns mostly answer the previous speaker, some go to anyone."""
    kinds = [k for k, _ in KIND_WEIGHTS]
    weights = [w for _, w in KIND_WEIGHTS]
    # Some people talk much more than others, as in real rooms.
    loudness = {name: rng.choice([1, 1, 2, 3, 5]) for name in talkers}
    step = timedelta(seconds=minutes * 60 / max(count, 1))
    previous: str | None = None
    for _ in range(count):
        clock += step
        if rng.random() < 0.04:
            insert_interaction(conn, kind=rng.choice(["silence", "cross-talk", "energy-up"]),
                               source_id=None, target_id=None, group_id=group_id,
                               round_id=round_id, logged_by=identity, note=None, at=_stamp(clock))
            previous = None
            continue
        source = rng.choices(talkers, [loudness[n] for n in talkers])[0]
        audience = [n for n in members if n != source]
        if previous and previous != source and rng.random() < 0.6:
            target: str | None = previous
        elif rng.random() < 0.8 and audience:
            target = rng.choice([n for n in audience if n != ISOLATE] or audience)
        else:
            target = None
        kind = rng.choices(kinds, weights)[0]
        insert_interaction(conn, kind=kind, source_id=ids[source],
                           target_id=ids[target] if target else None, group_id=group_id,
                           round_id=round_id, logged_by=identity, note=None, at=_stamp(clock))
        previous = source
    return clock
