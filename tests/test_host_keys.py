"""Which keys `facilitator host` lets in, read from authorized_keys-style files."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from facilitator.host.keys import KeyRing, host_key_path, identity_for, load_host_key, read_key_file
from facilitator.models.store import SessionError


def public(comment: str) -> str:
    return asyncssh.generate_private_key("ssh-ed25519", comment=comment).export_public_key().decode().strip()


def test_keys_are_found_after_options_and_named_by_their_comment(tmp_path: Path) -> None:
    sam, lee = public("sam"), public("Lee Wong")
    keys = tmp_path / "authorized_keys"
    keys.write_text(f"# co-facilitators\n\ncommand=\"facilitator open x --as q\",restrict {sam}\n"
                    f"{lee}\nnot a key at all\n")
    found = read_key_file(keys, read_only=False)
    assert [k.comment for k in found.keys] == ["sam", "Lee Wong"]
    assert found.problems == [f"line 5 of {keys} is not a public key; it is ignored"]
    assert identity_for(found.keys[1], "whoever") == "Lee Wong"


def test_a_key_without_a_comment_is_named_by_the_user_name_and_never_raw(tmp_path: Path) -> None:
    bare = " ".join(public("x").split()[:2])
    keys = tmp_path / "keys"
    keys.write_text(bare + "\n")
    (key,) = read_key_file(keys, read_only=False).keys
    assert identity_for(key, "sam") == "sam"
    assert identity_for(key, "\x1b[31mred") == "␛[31mred"  # escape codes stay harmless


def test_a_key_in_the_read_only_file_is_read_only_even_if_listed_to_write(tmp_path: Path) -> None:
    private = asyncssh.generate_private_key("ssh-ed25519", comment="obs")
    line = private.export_public_key().decode()
    (tmp_path / "writers").write_text(line)
    (tmp_path / "observers").write_text(line)
    ring = KeyRing(tmp_path / "writers", tmp_path / "observers")
    found = ring.find(private.convert_to_public())
    assert found is not None and found.read_only
    other = asyncssh.generate_private_key("ssh-ed25519")
    assert ring.find(other.convert_to_public()) is None
    (tmp_path / "writers").unlink()  # a keys file vanished while the host runs: nobody in
    assert ring.find(private.convert_to_public()) is None


def test_the_host_key_is_made_once_private_and_kept(tmp_path: Path) -> None:
    session = tmp_path / "day.db"
    key, made = load_host_key(session)
    assert made and oct(host_key_path(session).stat().st_mode & 0o777) == "0o600"
    again, made_again = load_host_key(session)
    assert not made_again and again.get_fingerprint() == key.get_fingerprint()
    host_key_path(session).chmod(0o644)
    with pytest.raises(SessionError, match="readable by others"):
        load_host_key(session)
