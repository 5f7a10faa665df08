"""Who may come in: the authorized keys files, and the host's own key.

Keys are read from the files at every login attempt, so a facilitator can add or
remove a co-facilitator's key while the host runs. Options in front of a key
(`command=`, `from=`, `restrict`...) are ignored: every key gets the app on this one
session and nothing else, so there is nothing for an option to restrict."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from facilitator.models.store import SessionError
from facilitator.models.text import MAX_IDENTITY_LENGTH, clean_identity, visible

#: The key blob and its comment, after whatever options precede them.
KEY_LINE = re.compile(r"(?:^|\s)((?:ssh-|ecdsa-|sk-)[\w@.-]+)\s+([A-Za-z0-9+/]+={0,3})(?:\s+(.*))?$")


@dataclass(frozen=True)
class AllowedKey:
    """One key that may log in, and what it may do."""

    public_data: bytes
    comment: str
    fingerprint: str
    read_only: bool


@dataclass(frozen=True)
class KeyFile:
    """The keys one file lists, with the lines that were not keys."""

    keys: list[AllowedKey]
    problems: list[str]


def identity_for(key: AllowedKey, username: str) -> str:
    """The name a co-facilitator's entries are logged under: the key's comment
    (`ssh-keygen -C sam`), else the user name they typed (`ssh sam@host`), by the one
    text rule for identities (models.text); one longer than the limit is cut to it
    rather than refused (the co-facilitator cannot fix it from their side)."""
    name = visible(" ".join((key.comment or username or "").split()))[:MAX_IDENTITY_LENGTH].strip()
    return clean_identity(name, "the SSH key's comment") if name else "guest"


def read_key_file(path: Path, *, read_only: bool) -> KeyFile:
    """The public keys listed in an authorized_keys-style file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise SessionError(f"There is no keys file at {path}.") from None
    except PermissionError:
        raise SessionError(f"{path} cannot be read: permission denied.") from None
    keys: list[AllowedKey] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = KEY_LINE.search(line)
        try:
            if match is None:
                raise ValueError
            key = asyncssh.import_public_key(f"{match.group(1)} {match.group(2)}")
        except (ValueError, asyncssh.KeyImportError):
            problems.append(f"line {number} of {path} is not a public key; it is ignored")
            continue
        keys.append(AllowedKey(key.public_data, (match.group(3) or "").strip(),
                               key.get_fingerprint(), read_only))
    return KeyFile(keys, problems)


class KeyRing:
    """The writing keys and the read-only keys, re-read at each login."""

    def __init__(self, authorized: Path | None, read_only: Path | None) -> None:
        self.files = [(path, flag) for path, flag in ((authorized, False), (read_only, True))
                      if path is not None]

    def load(self) -> list[AllowedKey]:
        """Every listed key; a key in the read-only file is read-only even if it is
        in the other one too (the narrower right wins)."""
        found: dict[bytes, AllowedKey] = {}
        for path, read_only in self.files:
            for key in read_key_file(path, read_only=read_only).keys:
                if read_only or key.public_data not in found:
                    found[key.public_data] = key
        return list(found.values())

    def problems(self) -> list[str]:
        return [problem for path, flag in self.files
                for problem in read_key_file(path, read_only=flag).problems]

    def find(self, key: asyncssh.SSHKey) -> AllowedKey | None:
        try:
            keys = self.load()
        except SessionError:
            return None  # a file vanished while the host runs: let nobody in
        for allowed in keys:
            if allowed.public_data == key.public_data:
                return allowed
        return None


def host_key_path(session: Path) -> Path:
    """Beside the session, so the session and its host's identity travel together."""
    return session.with_name(session.name + ".host_key")


def load_host_key(session: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The host's private key, made on first use (ed25519, readable by the owner
    only); True when it was made now. A key others may read is refused, as sshd does."""
    path = host_key_path(session)
    if path.exists():
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SessionError(
                f"{path} is readable by others (mode {stat.filemode(mode)}); a host key must be "
                f"private: run `chmod 600 {path}`.")
        try:
            return asyncssh.read_private_key(str(path)), False
        except (OSError, asyncssh.KeyImportError) as error:
            raise SessionError(f"{path} is not a usable host key ({error}); move it away "
                               "and a new one is made (clients will then warn once).") from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment=f"facilitator host {session.name}")
    data = key.export_private_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except PermissionError:
        raise SessionError(f"The host key cannot be written to {path}: permission denied.") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return key, True
