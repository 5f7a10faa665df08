"""The session file's schema, version by version.

Version 1 holds the whole mission's data model, so later screens add no ad-hoc
tables. Each entry of MIGRATIONS takes a file from version N-1 to N; the store runs
them inside BEGIN IMMEDIATE and re-checks the version first (see store.py).
Documented for people in docs/schema.md; keep the two in step.
"""

from __future__ import annotations

#: PRAGMA application_id of a facilitator session ("FACI"), so other SQLite files
#: are recognised and refused rather than migrated.
APPLICATION_ID = 0x46414349

SCHEMA_V1 = """
CREATE TABLE session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    template TEXT,                       -- name of the template used, if any
    current_round_id INTEGER REFERENCES rounds(id),
    group_min INTEGER NOT NULL DEFAULT 3,
    group_max INTEGER NOT NULL DEFAULT 6
);

-- Free-form settings shared by every co-facilitator (layout seed, defaults ...).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);

-- The codebook: kinds of interaction. key is what the facilitator types.
-- scope 'pair' = from someone (to someone or the whole group);
-- scope 'group' = a whole-group state such as silence or cross-talk.
CREATE TABLE kinds (
    name TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    directed INTEGER NOT NULL DEFAULT 1,
    scope TEXT NOT NULL DEFAULT 'pair' CHECK (scope IN ('pair', 'group')),
    is_turn INTEGER NOT NULL DEFAULT 0,  -- the kind a plain speaking turn records
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL UNIQUE,           -- short keyboard code, lower-case letters
    tags TEXT NOT NULL DEFAULT '{}',     -- JSON object: organisation, role ...
    present INTEGER NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL,
    added_by TEXT
);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    planned_minutes REAL,
    started_at TEXT,
    ended_at TEXT
);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                  -- name or topic
    round_id INTEGER REFERENCES rounds(id),
    formed_by TEXT NOT NULL DEFAULT 'self',  -- self, random, mixed, new-ties, manual, split, merge
    convener_id INTEGER REFERENCES participants(id),
    created_at TEXT NOT NULL,
    created_by TEXT,
    closed_at TEXT,
    batch TEXT,                          -- groups applied together share a batch (one undo step)
    voided_at TEXT,
    voided_by TEXT
);

-- Membership is an event log: joined / left, so moves keep their history.
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    group_id INTEGER NOT NULL REFERENCES groups(id),
    action TEXT NOT NULL CHECK (action IN ('joined', 'left')),
    logged_by TEXT,
    batch TEXT,
    voided_at TEXT,
    voided_by TEXT
);
CREATE INDEX memberships_group ON memberships(group_id);
CREATE INDEX memberships_participant ON memberships(participant_id);

CREATE TABLE essentials (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    source TEXT NOT NULL DEFAULT 'template',  -- template or live
    added_at TEXT NOT NULL
);

-- Goals are the group's own words; the facilitator only records them.
CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in progress', 'done', 'dropped')),
    progress TEXT,
    set_by TEXT,                         -- the group or its reporter
    round_id INTEGER REFERENCES rounds(id),
    created_at TEXT NOT NULL,
    logged_by TEXT,
    updated_at TEXT
);
CREATE INDEX goals_group ON goals(group_id);

-- Every edit of a goal keeps the old value.
CREATE TABLE goal_history (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    at TEXT NOT NULL,
    by TEXT,
    round_id INTEGER REFERENCES rounds(id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX goal_history_goal ON goal_history(goal_id);

CREATE TABLE goal_essentials (
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    essential_id INTEGER NOT NULL REFERENCES essentials(id),
    PRIMARY KEY (goal_id, essential_id)
);

CREATE TABLE challenges (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    essential_id INTEGER REFERENCES essentials(id),
    text TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    raised_by TEXT,
    response TEXT,                       -- the group's account, in its words
    answered_at TEXT,
    noted_by TEXT
);

-- The append-only log. Undo sets voided_at; nothing is deleted.
-- source_id NULL: a whole-group state; target_id NULL: addressed to the whole group.
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    source_id INTEGER REFERENCES participants(id),
    target_id INTEGER REFERENCES participants(id),
    kind TEXT NOT NULL REFERENCES kinds(name),
    group_id INTEGER REFERENCES groups(id),
    round_id INTEGER REFERENCES rounds(id),
    logged_by TEXT,
    note TEXT,
    voided_at TEXT,
    voided_by TEXT
);
CREATE INDEX interactions_at ON interactions(at);
CREATE INDEX interactions_round ON interactions(round_id, group_id);
CREATE INDEX interactions_source ON interactions(source_id);
CREATE INDEX interactions_target ON interactions(target_id);

-- Who else has the session open; refreshed every few seconds by each process.
CREATE TABLE presence (
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    who TEXT NOT NULL,
    screen TEXT,
    started_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (host, pid)
);

-- The sociogram's layout, shared so every co-facilitator sees the same picture.
CREATE TABLE layout (
    participant_id INTEGER PRIMARY KEY REFERENCES participants(id),
    x REAL NOT NULL,
    y REAL NOT NULL,
    updated_at TEXT NOT NULL
);

-- Views for the common questions, for sqlite3, sqlite-utils and Datasette users.
CREATE VIEW live_interactions AS
    SELECT i.id, i.at, s.name AS source, t.name AS target, i.kind, g.name AS "group",
           r.name AS round, i.logged_by, i.note
    FROM interactions i
    LEFT JOIN participants s ON s.id = i.source_id
    LEFT JOIN participants t ON t.id = i.target_id
    LEFT JOIN groups g ON g.id = i.group_id
    LEFT JOIN rounds r ON r.id = i.round_id
    WHERE i.voided_at IS NULL;

CREATE VIEW tallies AS
    SELECT p.id AS participant_id, p.name, p.code,
           (SELECT COUNT(*) FROM interactions i
             WHERE i.source_id = p.id AND i.voided_at IS NULL) AS as_source,
           (SELECT COUNT(*) FROM interactions i
             WHERE i.target_id = p.id AND i.voided_at IS NULL) AS as_target
    FROM participants p;

CREATE VIEW edges AS
    SELECT s.name AS source, t.name AS target, i.kind, COUNT(*) AS weight
    FROM interactions i
    JOIN participants s ON s.id = i.source_id
    JOIN participants t ON t.id = i.target_id
    WHERE i.voided_at IS NULL
    GROUP BY i.source_id, i.target_id, i.kind;

-- Current members of each group: the last event per person and group is 'joined'.
CREATE VIEW current_members AS
    SELECT m.group_id, g.name AS "group", g.round_id, m.participant_id, p.name
    FROM memberships m
    JOIN groups g ON g.id = m.group_id
    JOIN participants p ON p.id = m.participant_id
    WHERE m.voided_at IS NULL AND g.voided_at IS NULL
      AND m.action = 'joined'
      AND m.id = (SELECT MAX(m2.id) FROM memberships m2
                  WHERE m2.group_id = m.group_id AND m2.participant_id = m.participant_id
                    AND m2.voided_at IS NULL);
"""

# Version 2: rules the file itself keeps, whatever front end writes (the app, the
# CLI, sqlite3): a person is in at most one open group of a round; who started and
# ended each round (so an undo can say who changed it since); voided entries found
# by an index instead of a scan of the whole log.
SCHEMA_V2 = """
ALTER TABLE rounds ADD COLUMN started_by TEXT;
ALTER TABLE rounds ADD COLUMN ended_by TEXT;
CREATE INDEX interactions_voided ON interactions(voided_at) WHERE voided_at IS NOT NULL;
CREATE INDEX memberships_participant_group ON memberships(participant_id, group_id);

CREATE TRIGGER one_group_per_round_on_join AFTER INSERT ON memberships
WHEN NEW.action = 'joined' AND (
    SELECT COUNT(*) FROM current_members cm JOIN groups g ON g.id = cm.group_id
    WHERE cm.participant_id = NEW.participant_id AND g.closed_at IS NULL
      AND g.round_id IS (SELECT round_id FROM groups WHERE id = NEW.group_id)) > 1
BEGIN
    SELECT RAISE(ABORT, 'facilitator: a person can be in only one group of a round');
END;

CREATE TRIGGER one_group_per_round_on_void AFTER UPDATE OF voided_at ON memberships
WHEN (
    SELECT COUNT(*) FROM current_members cm JOIN groups g ON g.id = cm.group_id
    WHERE cm.participant_id = NEW.participant_id AND g.closed_at IS NULL
      AND g.round_id IS (SELECT round_id FROM groups WHERE id = NEW.group_id)) > 1
BEGIN
    SELECT RAISE(ABORT, 'facilitator: a person can be in only one group of a round');
END;

CREATE TRIGGER one_group_per_round_on_reopen AFTER UPDATE OF closed_at, voided_at ON groups
WHEN NEW.closed_at IS NULL AND NEW.voided_at IS NULL AND EXISTS (
    SELECT 1 FROM current_members mine JOIN current_members other
        ON other.participant_id = mine.participant_id AND other.group_id != mine.group_id
    JOIN groups g ON g.id = other.group_id
    WHERE mine.group_id = NEW.id AND g.closed_at IS NULL AND g.round_id IS NEW.round_id)
BEGIN
    SELECT RAISE(ABORT, 'facilitator: a person can be in only one group of a round');
END;
"""

# Version 3: who changed a group, a person or an entry in place, and when, so an
# undo refused because someone changed the same thing since can say who. Each pair
# holds the latest such change (older ones are not kept): a rename; a close (NULL
# again once reopened) and the latest reopening; an edit or presence mark of a
# participant; the latest time an undone entry was brought back (redo), which
# clears voided_at and voided_by.
SCHEMA_V3 = """
ALTER TABLE groups ADD COLUMN renamed_at TEXT;
ALTER TABLE groups ADD COLUMN renamed_by TEXT;
ALTER TABLE groups ADD COLUMN closed_by TEXT;
ALTER TABLE groups ADD COLUMN reopened_at TEXT;
ALTER TABLE groups ADD COLUMN reopened_by TEXT;
ALTER TABLE participants ADD COLUMN changed_at TEXT;
ALTER TABLE participants ADD COLUMN changed_by TEXT;
ALTER TABLE interactions ADD COLUMN restored_at TEXT;
ALTER TABLE interactions ADD COLUMN restored_by TEXT;
"""

# Version 4: rounds that carry on. What a round opened with (the groups of the round
# before kept, open space from scratch, a suggestion), shown on the groups screen; a
# group kept from the round before and a goal kept with it point at what they carry
# on (the group's agreement to keep the goal is a goal_history row, field 'carried').
SCHEMA_V4 = """
ALTER TABLE rounds ADD COLUMN opened_with TEXT;
ALTER TABLE groups ADD COLUMN carried_from INTEGER REFERENCES groups(id);
ALTER TABLE goals ADD COLUMN carried_from INTEGER REFERENCES goals(id);
"""

# Version 5: the log counted without reading it: a covering index of the live entries
# in (source, target, kind) order, so the report and `facilitator network` group a
# log of a million entries in SQL, in index order, without reading the table.
SCHEMA_V5 = """
CREATE INDEX IF NOT EXISTS interactions_counts
    ON interactions(source_id, target_id, kind, round_id, group_id, at)
    WHERE voided_at IS NULL;
"""

# Version 6: corrections and a roster that can shrink. A corrected entry is voided and
# a new one logged in its place: replaces_id on the new one points at it. Someone
# taken off the roster (a mistyped participant with nothing logged, or one merged
# into the right person) keeps a row in removed_participants with who and when, and
# for a merge what was moved to whom (JSON: entry, membership, group and goal ids),
# so the undo can move exactly that back.
SCHEMA_V6 = """
ALTER TABLE interactions ADD COLUMN replaces_id INTEGER REFERENCES interactions(id);
CREATE TABLE removed_participants (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL,     -- the id they had (no longer in participants)
    name TEXT NOT NULL,
    code TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}',
    present INTEGER NOT NULL DEFAULT 1,
    added_at TEXT,
    added_by TEXT,
    removed_at TEXT NOT NULL,
    removed_by TEXT,
    merged_into INTEGER REFERENCES participants(id),  -- NULL: removed, not merged
    moved TEXT NOT NULL DEFAULT '{}',    -- JSON: what a merge moved, by table
    restored_at TEXT,                    -- an undo put them back
    restored_by TEXT
);
"""

# Version 7: what changed, so a live screen reads only that. `changes` counts the
# writes to each small table (triggers: whatever front end writes, sqlite3 too);
# `interaction_changes` is a feed of the entries changed in place (an undo, a redo,
# any UPDATE or DELETE of interactions), so a poll reads the few changed entries
# instead of every voided id. New entries need neither: their ids are above the
# last one read.
SCHEMA_V7 = """
CREATE TABLE changes (
    name TEXT PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO changes (name) VALUES ('session'), ('settings'), ('kinds'), ('participants'), ('rounds'), ('groups'), ('memberships');
CREATE TABLE interaction_changes (
    seq INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL
);
CREATE TRIGGER interactions_changed_on_update AFTER UPDATE ON interactions
BEGIN INSERT INTO interaction_changes (interaction_id) VALUES (NEW.id); END;
CREATE TRIGGER interactions_changed_on_delete AFTER DELETE ON interactions
BEGIN INSERT INTO interaction_changes (interaction_id) VALUES (OLD.id); END;
CREATE TRIGGER session_changed_on_insert AFTER INSERT ON session
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'session'; END;
CREATE TRIGGER session_changed_on_update AFTER UPDATE ON session
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'session'; END;
CREATE TRIGGER session_changed_on_delete AFTER DELETE ON session
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'session'; END;
CREATE TRIGGER settings_changed_on_insert AFTER INSERT ON settings
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'settings'; END;
CREATE TRIGGER settings_changed_on_update AFTER UPDATE ON settings
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'settings'; END;
CREATE TRIGGER settings_changed_on_delete AFTER DELETE ON settings
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'settings'; END;
CREATE TRIGGER kinds_changed_on_insert AFTER INSERT ON kinds
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'kinds'; END;
CREATE TRIGGER kinds_changed_on_update AFTER UPDATE ON kinds
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'kinds'; END;
CREATE TRIGGER kinds_changed_on_delete AFTER DELETE ON kinds
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'kinds'; END;
CREATE TRIGGER participants_changed_on_insert AFTER INSERT ON participants
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'participants'; END;
CREATE TRIGGER participants_changed_on_update AFTER UPDATE ON participants
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'participants'; END;
CREATE TRIGGER participants_changed_on_delete AFTER DELETE ON participants
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'participants'; END;
CREATE TRIGGER rounds_changed_on_insert AFTER INSERT ON rounds
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'rounds'; END;
CREATE TRIGGER rounds_changed_on_update AFTER UPDATE ON rounds
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'rounds'; END;
CREATE TRIGGER rounds_changed_on_delete AFTER DELETE ON rounds
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'rounds'; END;
CREATE TRIGGER groups_changed_on_insert AFTER INSERT ON groups
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'groups'; END;
CREATE TRIGGER groups_changed_on_update AFTER UPDATE ON groups
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'groups'; END;
CREATE TRIGGER groups_changed_on_delete AFTER DELETE ON groups
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'groups'; END;
CREATE TRIGGER memberships_changed_on_insert AFTER INSERT ON memberships
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'memberships'; END;
CREATE TRIGGER memberships_changed_on_update AFTER UPDATE ON memberships
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'memberships'; END;
CREATE TRIGGER memberships_changed_on_delete AFTER DELETE ON memberships
BEGIN UPDATE changes SET n = n + 1 WHERE name = 'memberships'; END;
"""

#: The small tables whose writes `changes` counts.
COUNTED_TABLES = ('session', 'settings', 'kinds', 'participants', 'rounds', 'groups', 'memberships')

#: MIGRATIONS[i] takes a file from version i to i + 1.
MIGRATIONS: list[str] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7]

SCHEMA_VERSION = len(MIGRATIONS)
