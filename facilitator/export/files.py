"""Writing an export's files safely: all or nothing.

Every file is written under a temporary name in its own folder (".name.part-XXXX",
so a reader never takes it for the real thing) and the whole set is renamed into
place only once every file is complete. A failure or an interruption (a full disk,
an unwritable folder, Ctrl+C) removes the temporary files: nothing partial is
left, and files from an earlier export are untouched. What only a SIGKILL (or a
power cut) can leave, the temporary files of an export that never finished, the
next export into the same folder removes (their names carry the process id, so
an export still running elsewhere keeps its own). Existing files are replaced
only with force=True, and that is checked before anything is written. Like the
session file, the files are private to you (mode 0600): they name people."""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from facilitator.models.store import SessionError


class ExportFiles:
    """The files of one export, under one folder, committed together."""

    def __init__(self, out_dir: Path, names: list[str], force: bool = False) -> None:
        self.out_dir = out_dir
        self.names = names
        self._temps: dict[str, Path] = {}
        self._made_dirs: list[Path] = []
        if out_dir.exists() and not out_dir.is_dir():
            raise SessionError(f"{out_dir} is a file, not a folder; choose another --out.")
        existing = [n for n in names if (out_dir / n).exists()]
        if existing and not force:
            shown = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
            raise SessionError(f"{out_dir} already has {shown}; use --force to replace them"
                               " or --out to choose another folder.")
        for name in names:
            sweep_left_behind(out_dir / name)

    def path(self, name: str) -> Path:
        return self.out_dir / name

    def temp_path(self, name: str) -> Path:
        """A fresh temporary file beside `name`, removed again unless committed."""
        final = self.out_dir / name
        missing = [d for d in (final.parent, *final.parent.parents) if not d.exists()]
        final.parent.mkdir(parents=True, exist_ok=True)
        self._made_dirs.extend(reversed(missing))
        handle, temp = tempfile.mkstemp(prefix=f".{final.name}.part-{os.getpid()}-",
                                        dir=final.parent)
        os.close(handle)
        self._temps[name] = Path(temp)
        return Path(temp)

    @contextmanager
    def open_text(self, name: str, bom: bool = True) -> Iterator[IO[str]]:
        """A text file to write `name` into (UTF-8, newline as the writer puts it)."""
        temp = self.temp_path(name)
        with open(temp, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
            yield handle

    @contextmanager
    def open_binary(self, name: str) -> Iterator[IO[bytes]]:
        """A binary file to write `name` into (for text already encoded)."""
        with open(self.temp_path(name), "wb") as handle:
            yield handle

    def commit(self) -> list[Path]:
        """Rename every finished file into place; returns them in order."""
        written = []
        for name in self.names:
            temp = self._temps.pop(name, None)
            if temp is None:
                continue
            os.replace(temp, self.out_dir / name)
            written.append(self.out_dir / name)
        return written

    def discard(self) -> None:
        """Remove every temporary file (and folders this export made and left empty)."""
        for temp in self._temps.values():
            temp.unlink(missing_ok=True)
        self._temps.clear()
        for folder in reversed(self._made_dirs):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty or not ours to remove
        self._made_dirs.clear()


def plain_oserror(error: OSError) -> SessionError:
    """A file system failure during an export, as one sentence."""
    import errno

    where = error.filename or "the export folder"
    if error.errno == errno.ENOSPC:
        return SessionError(f"The disk is full while writing {where}; nothing was exported.")
    if isinstance(error, PermissionError):
        return SessionError(f"{where} cannot be written: permission denied; nothing was exported.")
    return SessionError(f"{where}: {error.strerror or error}; nothing was exported.")


#: A temporary file without a process id in its name (an older version's) is
#: taken as left behind once it is this old.
STALE_SECONDS = 3600


def sweep_left_behind(final: Path) -> None:
    """Remove the temporary files of `final` that an export killed before it could
    clean up left beside it: their process is gone (or, for an older version's
    names, they are over an hour old). Nothing else is touched."""
    import time

    folder = final.parent
    if not folder.is_dir():
        return
    for temp in folder.glob(f".{glob.escape(final.name)}.part-*"):
        rest = temp.name[len(f".{final.name}.part-"):]
        pid, dash, _random = rest.partition("-")
        try:
            if pid.isdigit() and dash:
                if _process_alive(int(pid)):
                    continue
            elif time.time() - temp.stat().st_mtime < STALE_SECONDS:
                continue
            temp.unlink()
        except OSError:
            continue  # not ours to remove, or gone already


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its files alone
    return True
