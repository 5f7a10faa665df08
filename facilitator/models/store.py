"""SessionStore: one SQLite file is one session, shared by several processes.

The concurrency recipe (measured on these machines, see ../shared/design.md):
WAL, busy_timeout 5000 ms, synchronous=FULL, every writing transaction starts with
BEGIN IMMEDIATE and is retried with backoff on "database is locked", no read
transaction is held across UI events, and other processes' commits are noticed by
polling PRAGMA data_version.
"""

from __future__ import annotations

import getpass
import os
import random
import socket
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from facilitator.models.errors import SessionError
from facilitator.models.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from facilitator.models.text import clean_identity, text_from_file, visible

T = TypeVar("T")

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
#: With a waiting notice asked for (the CLI), how long a write waits silently.
WAIT_NOTICE_MS = 1000
WRITE_ATTEMPTS = 12


__all__ = ["SessionError", "SessionStore", "store_error"]


#: The one sentence for any attempt to write while the session is open read-only.
READ_ONLY = "This session is open read-only; nothing can be changed."


def store_error(path: Path, error: sqlite3.Error) -> SessionError | None:
    """The sentence for an error of the file itself (full disk, I/O, damage, a rule
    of the schema), or None for an error in our own SQL (a bug: let it raise)."""
    text = str(error)
    lower = text.lower()
    if isinstance(error, sqlite3.IntegrityError) and text.startswith("facilitator: "):
        # A rule the schema enforces for every front end (see schema.py triggers).
        return SessionError(f"{text.removeprefix('facilitator: ')}; nothing was changed.")
    if "disk is full" in lower or "database or disk is full" in lower:
        return SessionError(f"The disk holding {visible(str(path))} is full; nothing was changed. Free some space and try again.")
    if "disk i/o error" in lower:
        return SessionError(f"{visible(str(path))} could not be read or written (disk I/O error); nothing was changed.")
    if "malformed" in lower or "not a database" in lower:
        return SessionError(f"{visible(str(path))} is damaged (the database disk image is malformed); nothing was changed.")
    if "readonly" in lower or "read-only" in lower:
        return SessionError(f"{visible(str(path))} is read-only; nothing was changed.")
    if "locked" in lower or "busy" in lower:
        return SessionError(f"{visible(str(path))} stayed locked by another process; try again.")
    return None


#: What a damaged file's bytes that are not UTF-8 text amount to.
DAMAGED_TEXT = sqlite3.DatabaseError("database disk image is malformed")


def make_private_file(path: Path) -> bool:
    """Create an empty file readable and writable by its owner only (0600, whatever
    the umask). SQLite gives the -wal and -shm files the mode of the database file,
    so they are private too. True if this call created it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False  # another process created it a moment ago: theirs decides
    except PermissionError:
        raise SessionError(f"{visible(str(path))} cannot be created: you may not write in "
                           f"{visible(str(path.parent))}.") from None
    except OSError as error:
        raise SessionError(f"{visible(str(path))} cannot be created: {error.strerror}; "
                           "nothing was changed.") from None
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return True


class StillLocked(SessionError):
    """Another process held the file's write lock longer than this write would wait:
    nothing was written; the same write can simply be tried again."""


class NotASession(SessionError):
    """The file is not a session (or from a newer version): refused untouched, and
    whatever SQLite created beside it for this open is removed again."""


class NeedsUpgrade(SessionError):
    """A file of an older schema opened read-only: only a writable open migrates it."""


def now() -> str:
    """The current time as stored in the file: ISO 8601, UTC, milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def default_identity() -> str:
    """Who is at the keyboard: $FACILITATOR_AS, else the SSH/OS user name, cleaned
    by the one text rule (models.text.clean_identity) like every identity."""
    for var in ("FACILITATOR_AS", "USER", "LOGNAME"):
        if os.environ.get(var, "").strip():
            return clean_identity(os.environ[var], f"${var}")
    try:
        return clean_identity(getpass.getuser(), "your user name") or "facilitator"
    except SessionError:
        raise
    except Exception:  # no passwd entry (containers): still need a name
        return "facilitator"


def resolve_identity(identity: str | None) -> str:
    """The name this process logs under: `--as` (cleaned, refused in one sentence
    when too long or nothing but blanks), else default_identity()."""
    if identity is None or identity == "":
        return default_identity()
    return clean_identity(identity, "--as")


def split_sql(script: str) -> Iterator[str]:
    """Split a script into statements, so they can run inside our own transaction
    (sqlite3's executescript would commit first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                yield statement
            statement = ""
    if statement.strip():
        yield statement


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return f"uid {os.getuid()}"


def not_readable(path: Path) -> SessionError:
    return SessionError(
        f"{visible(str(path))} cannot be read: you ({_user()}) do not have permission to read it; ask its "
        f"owner to run `facilitator share {visible(str(path))} GROUP` for a group you are in.")


def why_read_only(path: Path) -> str | None:
    """Why this user can read the session but not change it, or None if they can.

    Writing needs the file and its -wal and -shm companions writable, or, when
    those do not exist yet, a folder in which SQLite can create them."""
    if not os.access(path, os.W_OK):
        return f"{visible(str(path))} is open read-only: you ({_user()}) may read it but not change it."
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists() and not os.access(companion, os.W_OK) or (
                not companion.exists() and not folder_writable):
            return (f"{visible(str(path))} is open read-only: you ({_user()}) may not change its "
                    f"{visible(companion.name)} file (or create it in {visible(str(path.parent))}).")
    return None


def check_is_session_file(path: Path) -> os.stat_result:
    """Refuse, without touching it, a path that cannot be a session file: a folder, a
    FIFO or device (never opened: that could block every command), a file that is
    not SQLite. Returns the file's status."""
    try:
        info = os.stat(path)
    except PermissionError:
        raise not_readable(path) from None
    except OSError as error:
        raise SessionError(f"{visible(str(path))} cannot be read: {error.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise SessionError(f"{visible(str(path))} is a folder, not a session file.")
    if not stat.S_ISREG(info.st_mode):
        raise SessionError(f"{visible(str(path))} is not a regular file (a FIFO, socket or "
                           "device), so it cannot be a session file; nothing was opened.")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except PermissionError:
        raise not_readable(path) from None
    except OSError as error:
        raise SessionError(f"{visible(str(path))} cannot be read: {error.strerror}.") from None
    with os.fdopen(fd, "rb") as handle:
        header = handle.read(100)
    if header and not header.startswith(SQLITE_HEADER):
        raise SessionError(f"{visible(str(path))} is not a facilitator session (not an SQLite file).")
    companion_wal = path.with_name(path.name + "-wal")
    if len(header) == 100 and not companion_wal.exists():
        # With no -wal beside it, the header is the whole truth: refuse a newer or
        # foreign file before SQLite opens it, so nothing (-wal, -shm) appears
        # beside a refused file.
        version = int.from_bytes(header[60:64], "big")
        app_id = int.from_bytes(header[68:72], "big", signed=True)
        if version > SCHEMA_VERSION:
            raise newer_version(path, version)
        pages = int.from_bytes(header[28:32], "big")
        if app_id != APPLICATION_ID and (version or pages > 1):
            raise SessionError(f"{visible(str(path))} is an SQLite file but not a facilitator session.")
    elif header and len(header) < 100:
        raise SessionError(f"{visible(str(path))} is damaged (shorter than an SQLite header); "
                           "nothing was changed.")
    return info


def newer_version(path: Path, version: int) -> SessionError:
    return SessionError(
        f"{visible(str(path))} was written by a newer facilitator (schema {version}, this one "
        f"knows {SCHEMA_VERSION}); upgrade facilitator to open it.")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection to a session file as every store opens one (read-only: SQLite's
    mode=ro, so nothing can be written through it)."""
    target = f"file:{quote(str(path.resolve()))}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(target, uri=read_only, isolation_level=None,
                           timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


class SessionStore:
    """An open session file. Create with SessionStore.open or SessionStore.create."""

    def __init__(self, path: Path, conn: sqlite3.Connection, identity: str, read_only: bool):
        self.path = path
        self.conn = conn
        # The one rendering rule, at the one place text leaves the file (models.text).
        conn.text_factory = text_from_file
        self.identity = identity
        self.read_only = read_only
        #: One sentence when the file opened read-only because the user may not
        #: write it (not because they asked to).
        self.read_only_reason: str | None = None
        self.host = socket.gethostname()
        self.pid = os.getpid()
        #: Called once with a sentence when a write has to wait for another
        #: process's lock (the CLI prints it); None: wait silently.
        self.on_wait: Callable[[str], None] | None = None
        self._told_waiting = False
        #: While set (waiting_at_most), how long one write waits for the lock.
        self.lock_wait_ms: int | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        identity: str | None = None,
        read_only: bool = False,
        create: bool = False,
    ) -> "SessionStore":
        """Open a session file, migrating it forward if it is older.

        With create=True a missing or empty file becomes a new session (safe when
        several processes do it at the same moment). A file that is not a session,
        is corrupt or comes from a newer version raises SessionError, untouched.
        """
        path = Path(path)
        who = resolve_identity(identity)  # refused before the file is looked at
        exists = os.path.lexists(path)
        if not exists and not create:
            raise SessionError(
                f"There is no session file at {visible(str(path))}; create one with `facilitator new`."
            )
        reason = None
        created = False
        if exists:
            check_is_session_file(path)
            if not read_only:
                reason = why_read_only(path)
                read_only = reason is not None
        elif not path.parent.exists():
            raise SessionError(f"The folder {visible(str(path.parent))} does not exist.")
        else:
            created = make_private_file(path)
        before = {suffix for suffix in ("-wal", "-shm", "-journal")
                  if os.path.lexists(str(path) + suffix)}
        try:
            conn = _connect(path, read_only)
        except sqlite3.OperationalError as error:
            if created:
                path.unlink(missing_ok=True)
            raise SessionError(f"{visible(str(path))} cannot be opened: {error}.") from None
        store = cls(path, conn, who, read_only)
        store.read_only_reason = reason
        try:
            store._prepare(create=create)
        except BaseException as error:
            conn.close()
            # Nothing is left beside a refused file: the companions SQLite made for
            # this open, and the file itself if this open created it (no 0-byte .db).
            # (Only then: a -wal beside a session someone has open holds their work.)
            if created or isinstance(error, NotASession):
                for suffix in ("-wal", "-shm", "-journal"):
                    if suffix not in before:
                        Path(str(path) + suffix).unlink(missing_ok=True)
            if created:
                path.unlink(missing_ok=True)
            if isinstance(error, sqlite3.Error):
                sentence = store_error(path, error)
                if sentence is not None:
                    raise sentence from None
            raise
        return store

    def reader(self) -> "SessionStore":
        """A second connection to the same file, for reading only (another thread's:
        each connection has its own snapshots). The file was checked when this one
        opened, so nothing is checked again."""
        return SessionStore(self.path, _connect(self.path, True), self.identity, True)

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, identity: str | None = None) -> "SessionStore":
        """Create a new session file; never overwrites an existing one."""
        path = Path(path)
        if path.exists():
            raise SessionError(f"{visible(str(path))} already exists; choose another path (nothing was changed).")
        return cls.open(path, identity=identity, create=True)

    def _prepare(self, *, create: bool) -> None:
        conn = self.conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            has_tables = conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
        except UnicodeDecodeError:  # damage can garble the message too
            raise NotASession(
                f"{visible(str(self.path))} is not a facilitator session (the file is corrupt or not SQLite)."
            ) from None
        except sqlite3.DatabaseError as error:
            if any(text in str(error).lower() for text in ("unable to open", "readonly")):
                raise self._cannot_open() from None
            lower = str(error).lower()
            if "i/o" in lower or "full" in lower or "locked" in lower or "busy" in lower:
                raise store_error(self.path, error) or error from None
            raise NotASession(
                f"{visible(str(self.path))} is not a facilitator session (the file is corrupt or not SQLite)."
            ) from None
        if version > SCHEMA_VERSION:
            raise NotASession(str(newer_version(self.path, version)))
        if app_id != APPLICATION_ID and (has_tables or version):
            raise NotASession(f"{visible(str(self.path))} is an SQLite file but not a facilitator session.")
        if app_id != APPLICATION_ID and not create:
            raise NotASession(f"{visible(str(self.path))} is empty, not a facilitator session.")
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise NeedsUpgrade(
                    f"{visible(str(self.path))} needs upgrading; open it once without --read-only."
                )
            return
        if has_tables:
            self._check_intact()
        self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self.transact(self._migrate)

    def _check_intact(self) -> None:
        """PRAGMA quick_check before anything is written: a damaged file is refused
        for writing (reading what remains is still possible with --read-only)."""
        try:
            rows = self._retry(lambda: self.conn.execute("PRAGMA quick_check(1)").fetchall())
            verdict = str(rows[0][0]) if rows else "ok"
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                raise
            verdict = "malformed"
        if verdict != "ok":
            raise SessionError(
                f"{visible(str(self.path))} is damaged (PRAGMA quick_check found a broken page), so "
                "nothing will be written to it; read what remains with --read-only (export, report) "
                "or restore a copy.")

    def _cannot_open(self) -> SessionError:
        """SQLITE_CANTOPEN on a file we could read: its -shm is missing and cannot be
        created (read-only WAL needs it), or a companion file is not ours to open."""
        path = self.path
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return SessionError(
                f"{visible(str(path))} can be read but not opened now: nobody has it open, and SQLite may not "
                f"create its {visible(path.name)}-shm file in {visible(str(path.parent.absolute()))}; open it while its owner has "
                f"it open, or ask them to run `facilitator share {visible(str(path))} GROUP`.")
        return SessionError(f"{visible(str(path))} cannot be opened: its -wal or -shm file is not readable for "
                            f"you ({_user()}); ask its owner to run `facilitator share {visible(str(path))} GROUP`.")

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        # Re-check inside the transaction: another process may have migrated
        # between our first look and our BEGIN IMMEDIATE.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for target in range(version, SCHEMA_VERSION):
            for statement in split_sql(MIGRATIONS[target]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target + 1}")
        if version == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    # ------------------------------------------------------------------ writing
    def _retry(self, action: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
        delay = 0.01
        for attempt in range(attempts):
            try:
                return action()
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or attempt == attempts - 1:
                    raise
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.5)
        raise AssertionError("unreachable")

    @contextmanager
    def waiting_at_most(self, milliseconds: int) -> Iterator[None]:
        """Writes inside wait at most this long for another process's lock, then
        raise StillLocked (the app keeps the entry and tries again, without
        freezing the screen meanwhile)."""
        before, self.lock_wait_ms = self.lock_wait_ms, milliseconds
        try:
            yield
        finally:
            self.lock_wait_ms = before

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, within this store's patience. With on_wait set (the CLI),
        the first time the lock is not free within WAIT_NOTICE_MS it says so once,
        then waits on as usual."""
        conn = self.conn
        short = self.lock_wait_ms
        if short is None and (self.on_wait is None or self._told_waiting):
            conn.execute("BEGIN IMMEDIATE")
            return
        conn.execute(f"PRAGMA busy_timeout = {short if short is not None else WAIT_NOTICE_MS}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or short is not None or self.on_wait is None:
                raise
            self._told_waiting = True
            self.on_wait(f"{visible(str(self.path))} is locked by another process; waiting for it "
                         "(nothing is written until then; Ctrl+C gives up).")
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("BEGIN IMMEDIATE")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads inside see one snapshot of the file (a deferred BEGIN; nothing is
        written in it). Inside a transaction already, they are part of that one."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def transact(self, body: Callable[[sqlite3.Connection], T]) -> T:
        """Run body(conn) in one BEGIN IMMEDIATE transaction, retried while the file
        is locked by another process. Returns once the commit is durable; raises
        StillLocked (a SessionError) if the lock outlasts the patience."""
        if self.read_only:
            # The file system's reason, when that is why: the user can act on it.
            raise SessionError(self.read_only_reason or READ_ONLY)

        def attempt() -> T:
            self._begin()
            try:
                result = body(self.conn)
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return result

        try:
            return self._retry(attempt, 1 if self.lock_wait_ms is not None else WRITE_ATTEMPTS)
        except sqlite3.Error as error:
            if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                raise StillLocked(f"{visible(str(self.path))} stayed locked by another process; "
                                  "nothing was written; try again.") from None
            sentence = store_error(self.path, error)
            if sentence is None:
                raise
            raise sentence from None
        except OverflowError:  # a number beyond SQLite's 64 bits reached a write
            raise SessionError("A number is too large to keep (SQLite holds up to 2^63 - 1); "
                               "nothing was changed.") from None

    # ------------------------------------------------------------------ reading
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """All rows of a query, read in autocommit mode (no transaction held)."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise self._read_error(error) from None
        except UnicodeDecodeError:  # damaged text, or a damaged error message
            raise self._read_error(DAMAGED_TEXT) from None

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        """The first row; the statement is closed at once so no read transaction
        outlives the call."""
        try:
            cursor = self.conn.execute(sql, params)
            try:
                return cursor.fetchone()
            finally:
                cursor.close()
        except sqlite3.DatabaseError as error:
            raise self._read_error(error) from None
        except UnicodeDecodeError:  # damaged text, or a damaged error message
            raise self._read_error(DAMAGED_TEXT) from None

    def _read_error(self, error: sqlite3.DatabaseError) -> BaseException:
        sentence = store_error(self.path, error)
        return error if sentence is None else sentence

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def data_version(self) -> int:
        """Changes when another process commits (not for our own commits)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def change_counts(self) -> dict[str, int]:
        """How many writes each small table has seen (the `changes` table, kept by
        triggers): a live screen re-reads a table only when its count moved,
        after anyone's commit, ours included."""
        return {name: n for name, n in self.rows("SELECT name, n FROM changes")}

    def changed_entries_since(self, seq: int) -> tuple[int, list[sqlite3.Row]]:
        """The log entries changed in place (undo, redo, any UPDATE or DELETE) after
        position `seq` of the `interaction_changes` feed: (the feed's latest
        position, one row per changed id: id, voided_at, voided_by, and `gone` = 1
        when the entry is no longer in the file)."""
        rows = self.rows(
            "SELECT c.interaction_id AS id, i.voided_at, i.voided_by, i.id IS NULL AS gone,"
            " c.seq FROM interaction_changes c LEFT JOIN interactions i ON i.id = c.interaction_id"
            " WHERE c.seq > ? ORDER BY c.seq", (seq,))
        latest = rows[-1]["seq"] if rows else seq
        # One row per entry: its state now (the feed may name it several times).
        by_id = {r["id"]: r for r in rows}
        return latest, list(by_id.values())

    def feed_position(self) -> int:
        """The latest position of the `interaction_changes` feed (0 when empty)."""
        return int(self.scalar("SELECT COALESCE(MAX(seq), 0) FROM interaction_changes"))

    @property
    def schema_version(self) -> int:
        return self.scalar("PRAGMA user_version")

    def db(self) -> Any:
        """A sqlite_utils.Database on the same connection, for table-wide reads."""
        import sqlite_utils  # imported late: 0.24 s we do not pay at start-up

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "SessionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
