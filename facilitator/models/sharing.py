"""Who on this host may open a session file: its owner only, or a Unix group.

A new session is private (0600, see store.make_private_file). Sharing it with the
group of co-facilitators gives the file and its -wal/-shm companions to that group,
read and write (0660). SQLite creates -wal and -shm beside the file whenever nobody
has it open, with the file's mode, so the folder matters too: co-facilitators must
be able to create files in it, and those files must get the group (setgid folder)."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from facilitator.models.store import SessionError

SHARED_MODE = 0o660


def group_id(group: str) -> int:
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise SessionError(f"There is no Unix group {group!r} on this host; "
                           f"create it with `groupadd {group}` and add the co-facilitators.") from None


def share_with_group(path: Path, group: str) -> list[str]:
    """Give the session file (and its -wal/-shm, if there) to a group, read and
    write; returns the sentences about what else the folder needs (none if fine)."""
    gid = group_id(group)
    if not path.exists():
        raise SessionError(f"There is no session file at {path}.")
    for target in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not target.exists():
            continue
        try:
            os.chown(target, -1, gid)
            os.chmod(target, SHARED_MODE)
        except PermissionError:
            raise SessionError(f"{target} cannot be given to group {group}: only its owner "
                               f"(or root) can, and you must be in {group}.") from None
    return folder_advice(path.parent.absolute(), group, gid)


def folder_advice(folder: Path, group: str, gid: int) -> list[str]:
    info = folder.stat()
    if info.st_gid == gid and info.st_mode & stat.S_IWGRP and info.st_mode & stat.S_ISGID:
        return []
    return [f"The folder {folder} must let group {group} create the -wal and -shm files "
            f"beside the session: run `chgrp {group} {folder} && chmod g+rwxs {folder}`."]
