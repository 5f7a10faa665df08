"""Who may open a session file, tried as an unprivileged user made for the test: new
files are private, a readable one opens read-only with one sentence, an unreadable one
says exactly that, and a file shared with a group lets its members write."""

from __future__ import annotations

import grp
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.models.roster import add_participant
from facilitator.models.session import create_session
from facilitator.models.store import SessionStore
from tests.conftest import REPO, facilitator_command
from tests.tmux import Tmux


class Person:
    """An unprivileged user on this host, who runs facilitator as themselves."""

    def __init__(self, name: str, group: str, python: list[str], env: dict[str, str]) -> None:
        self.name, self.group, self.python, self.env = name, group, python, env

    def command(self, *args: str) -> list[str]:
        pairs = [f"{key}={value}" for key, value in self.env.items()]
        return ["runuser", "-u", self.name, "--", "env", "-u", "FACILITATOR_AS", *pairs,
                *self.python, "-m", "facilitator.cli", *args]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=60)


def _python_for(user: str) -> tuple[list[str], dict[str, str]] | None:
    """A Python the user may run that imports this checkout: this one, else the
    system's of the same version with our packages on its path (our own may sit in a
    home the user cannot enter, as /root/.pyenv does)."""
    site = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    candidates = [([sys.executable], {"PYTHONPATH": str(REPO)}),
                  ([f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"],
                   {"PYTHONPATH": f"{REPO}:{site}"})]
    for python, env in candidates:
        pairs = [f"{k}={v}" for k, v in env.items()]
        probe = subprocess.run(["runuser", "-u", user, "--", "env", *pairs, *python, "-c",
                                "import facilitator.cli, textual"], capture_output=True)
        if probe.returncode == 0:
            return python, env
    return None


@pytest.fixture(scope="module")
def person() -> Iterator[Person]:
    if os.geteuid() != 0:
        pytest.skip("making a user for the test needs root")
    if not all(shutil.which(tool) for tool in ("useradd", "userdel", "groupadd", "runuser")):
        pytest.skip("useradd, groupadd or runuser is not installed")
    suffix = uuid.uuid4().hex[:6]
    name, group = f"fac{suffix}", f"facg{suffix}"
    subprocess.run(["groupadd", group], check=True)
    subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-G", group, name], check=True)
    try:
        found = _python_for(name)
        if found is None:
            pytest.skip("no Python on this host that an unprivileged user may run")
        yield Person(name, group, *found)
    finally:
        # Nothing the test started as this user outlives it (an app whose terminal
        # went away under runuser would otherwise keep running).
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder the test user can enter (pytest's own tmp folders are root's only)."""
    path = Path(tempfile.mkdtemp(prefix="fac-perm-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def toast(screen: str) -> str:
    """A notification's text, its wrapped lines joined."""
    return " ".join(line.split("▌", 1)[1].strip() for line in screen.splitlines()
                    if "▌" in line and line.split("▌", 1)[1].strip())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_session_is_private_whatever_the_umask(folder: Path) -> None:
    path = folder / "day.db"
    subprocess.run(f"umask 022; {facilitator_command()[0]} new {path}", shell=True, check=True,
                   capture_output=True)
    assert mode(path) == 0o600
    with SessionStore.open(path) as store:  # while it is open, -wal and -shm exist
        store.transact(lambda c: c.execute("DELETE FROM presence"))
        for suffix in ("-wal", "-shm"):
            assert mode(path.with_name(path.name + suffix)) == 0o600, suffix


def test_a_file_they_may_read_opens_read_only_with_one_sentence(
        person: Person, folder: Path) -> None:
    path = folder / "day.db"
    with create_session(path, "Readable") as store:
        add_participant(store, "Ana Lopez", {})
    path.chmod(0o644)
    owner = SessionStore.open(path)  # the owner has it open, so -shm exists (SQLite needs it)
    try:
        owner.scalar("SELECT COUNT(*) FROM participants")
        report = person.run("report", str(path))
        assert report.returncode == 0, report.stderr
        assert "Readable" in report.stdout
        log = person.run("log", str(path), "--kind", "silence")
        assert log.returncode == 1
        assert log.stderr.strip() == (f"facilitator: {path} is open read-only: you ({person.name}) "
                                      "may read it but not change it.")
        assert owner.scalar("SELECT COUNT(*) FROM interactions") == 0

        # In the app: the header says read-only and one sentence says why.
        tmux = Tmux(100, 30)
        try:
            window = tmux.start(" ".join(person.command("open", str(path))))
            screen = tmux.wait_for(window, lambda s: "not change it" in toast(s)
                                   and "(read-only)" in s.splitlines()[0], seconds=15)
            assert "(read-only)" in screen.splitlines()[0], screen
            assert f"you ({person.name}) may read it but not change it." in toast(screen), screen
        finally:
            tmux.close()
    finally:
        owner.close()
    # Nobody has it open now and the folder is not theirs: say that, never "corrupt".
    closed = person.run("report", str(path))
    assert closed.returncode == 1
    assert "can be read but not opened now: nobody has it open" in closed.stderr
    assert "corrupt" not in closed.stderr


def test_a_file_they_may_not_read_says_exactly_that(person: Person, folder: Path) -> None:
    path = folder / "day.db"
    create_session(path, "Private").close()
    assert mode(path) == 0o600
    for command in (("report", str(path)), ("log", str(path), "--kind", "silence")):
        result = person.run(*command)
        assert result.returncode == 1, result
        assert result.stderr.startswith(
            f"facilitator: {path} cannot be read: you ({person.name}) do not have permission")
        assert "corrupt" not in result.stderr and "Traceback" not in result.stderr


def test_a_session_shared_with_a_group_lets_its_members_write(person: Person,
                                                              folder: Path) -> None:
    gid = grp.getgrnam(person.group).gr_gid
    os.chown(folder, -1, gid)
    folder.chmod(0o2775)  # the group may create -wal/-shm here, and they get the group
    path = folder / "day.db"
    result = subprocess.run([*facilitator_command(), "new", str(path), "--share-group",
                             person.group], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"Group {person.group} may open and change it." in result.stdout
    assert "must let group" not in result.stdout  # the folder is right already
    assert mode(path) == 0o660 and path.stat().st_gid == gid

    with SessionStore.open(path) as store:
        add_participant(store, "Ana Lopez", {})
    log = person.run("log", str(path), "--kind", "silence")
    assert log.returncode == 0, log.stderr
    with sqlite3.connect(path) as conn:
        # No --as and no $FACILITATOR_AS: the login name.
        assert conn.execute("SELECT logged_by FROM interactions").fetchall() == [(person.name,)]


def test_share_names_what_the_folder_still_needs(person: Person, folder: Path) -> None:
    path = folder / "day.db"
    create_session(path, "Later shared").close()
    result = subprocess.run([*facilitator_command(), "share", str(path), person.group],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"is now readable and writable by group {person.group}" in result.stdout
    assert f"chgrp {person.group} {folder} && chmod g+rwxs {folder}" in result.stdout
    assert mode(path) == 0o660
    unknown = subprocess.run([*facilitator_command(), "share", str(path), "no-such-group-x"],
                             capture_output=True, text=True)
    assert unknown.returncode == 1 and "There is no Unix group 'no-such-group-x'" in unknown.stderr


def test_an_unknown_share_group_is_refused_before_anything_is_written(folder: Path) -> None:
    path = folder / "day.db"
    result = subprocess.run([*facilitator_command(), "new", str(path), "--share-group",
                             "no-such-group-x"], capture_output=True, text=True)
    assert result.returncode == 1 and "There is no Unix group 'no-such-group-x'" in result.stderr
    assert not path.exists()
