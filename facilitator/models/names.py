"""Names as people type them: who is the same person, and who a search means.

Three keys, one module, so every front end agrees:

- identity_key: NFC, case-folded, invisible characters removed. Two names with one
  identity key look the same on every screen ("Zoë" typed with a combining
  diaeresis, "ANA" and "Ana", "Ana" with a zero-width space): the second is refused
  as a look-alike wherever a name comes in (roster --add, CSV/YAML import, the
  roster screen, a rename). So is a name that mixes alphabets within a word
  ("Аna" with a Cyrillic А) and spells another one's letters.
- search_key: accent-insensitive and transliterated (anyascii: Ł -> L, Ø -> O,
  Þ -> Th, ß -> ss, Æ -> Ae, Œ -> Oe), lower case, only letters, digits and single
  spaces. "zoe" finds Zoë Müller, "luk" Łukasz Wójcik, "asa" Åsa.
- sort_key: the transliterated name, case-folded, first (a locale-independent
  collation: Åsa sorts with the A's, Łukasz with the L's), then the identity key
  and the name as typed, so the order is total and the same on every machine.

anyascii (ISC licence, no dependencies) was taken over unidecode (GPL-2.0+, which
this MIT project cannot ship) for the same results on Latin names; it also reads
Greek and Cyrillic names the way their owners spell them in Latin letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Generic, Iterable, TypeVar

from anyascii import anyascii

#: Characters that show as nothing (or as a plain space) but make two strings differ:
#: zero-width space/joiners, word joiner, soft hyphen, BOM, bidi marks and isolates,
#: the Mongolian vowel separator, invisible operators, variation selectors.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_NOT_SEARCHABLE = re.compile(r"[^a-z0-9]+")


def without_invisibles(text: str) -> str:
    """The text with characters that show as nothing removed, and every kind of
    space as a plain one, blanks collapsed."""
    return " ".join(_INVISIBLE.sub("", text).split())


def identity_key(name: str) -> str:
    """What makes two names the same name to a reader: NFC, case-folded, invisible
    characters removed, blanks collapsed."""
    return unicodedata.normalize("NFC", without_invisibles(
        unicodedata.normalize("NFC", name)).casefold())


def search_key(text: str) -> str:
    """The name (or what someone typed to find it) without accents, case or
    punctuation, transliterated to a-z and 0-9: words separated by single spaces."""
    plain = anyascii(unicodedata.normalize("NFKC", without_invisibles(text))).lower()
    return " ".join(_NOT_SEARCHABLE.sub(" ", plain).split())


def search_words(text: str) -> list[str]:
    return search_key(text).split()


def sort_key(name: str) -> tuple[str, str, str]:
    """Locale-independent order of names: by the transliterated name, case-folded.
    Punctuation is kept, before the letters, as in Unicode's root collation."""
    plain = " ".join(anyascii(unicodedata.normalize("NFKC", without_invisibles(name))).split())
    return (plain.casefold(), identity_key(name), name)


def _script(ch: str) -> str:
    """LATIN, CYRILLIC, GREEK ... for a letter (the first word of its Unicode name)."""
    try:
        return unicodedata.name(ch).split(" ")[0]
    except ValueError:
        return ""


def mixes_scripts(name: str) -> bool:
    """A word with letters of two scripts ("Аna" with a Cyrillic А): how a look-alike
    of another name is made, never how a person writes their own name."""
    return any(len({_script(ch) for ch in word if ch.isalpha()}) > 1 for word in name.split())


def lookalike(name: str, others: Iterable[str]) -> str | None:
    """The name among others that looks the same as name, if any: the same identity
    key, or the same letters where one of the two mixes scripts within a word."""
    key = identity_key(name)
    mixed = mixes_scripts(name)
    plain = search_key(name) if mixed else ""
    for other in others:
        if identity_key(other) == key:
            return other
        if (mixed or mixes_scripts(other)) and search_key(other) == (plain or search_key(name)):
            return other
    return None


class NameIndex:
    """The roster's names by their keys, to find a look-alike of a new name without
    comparing it with every name again (an import of thousands stays linear)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.by_identity: dict[str, str] = {}
        self.by_search: dict[str, str] = {}
        self.mixed_by_search: dict[str, str] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        self.by_identity.setdefault(identity_key(name), name)
        key = search_key(name)
        self.by_search.setdefault(key, name)
        if mixes_scripts(name):
            self.mixed_by_search.setdefault(key, name)

    def lookalike(self, name: str) -> str | None:
        """As lookalike(name, the names added)."""
        found = self.by_identity.get(identity_key(name))
        if found is not None:
            return found
        key = search_key(name)
        if mixes_scripts(name):
            return self.by_search.get(key)
        return self.mixed_by_search.get(key)


def lookalike_sentence(name: str, existing: str) -> str:
    """The one sentence that refuses a look-alike."""
    if name == existing:
        return f"{name} is already on the roster."
    return (f"{name} looks the same as {existing}, already on the roster (it differs only"
            " in case, accents written another way, invisible characters or letters of"
            " another alphabet that look alike); use that entry or type the name differently.")


# ---------------------------------------------------------------------- lookups
T = TypeVar("T")


@dataclass(frozen=True)
class Match(Generic[T]):
    """What a typed name or code found: exactly one thing, several, or nothing."""

    found: list[T]
    #: How it matched: "code", "name" (the whole name), "prefix" (starts of words).
    how: str = ""


def words_start(typed: list[str], name: list[str], whole: bool = False) -> bool:
    """Each typed word starts a word of the name (with whole: is one), in the name's
    order ("zoe mu" starts "zoe muller"; "mu" starts it too)."""
    position = 0
    for word in typed:
        while position < len(name) and not (
                name[position] == word if whole else name[position].startswith(word)):
            position += 1
        if position == len(name):
            return False
        position += 1
    return True


def match_name(typed: str, items: Iterable[T], name_of, code_of=None) -> Match[T]:  # type: ignore[no-untyped-def]
    """The items a person means by `typed`: an exact code, else the name as typed
    (same identity key), else the same name without accents or case, else names
    whose words start with the typed words. The first rule that finds anything wins,
    so "Ann" finds Ann Nolan even when Anne-Marie Nöel exists."""
    items = list(items)
    text = " ".join(typed.split())
    if code_of is not None:
        code = text.lower()
        found = [item for item in items if code_of(item) == code]
        if found:
            return Match(found, "code")
    wanted = identity_key(text)
    found = [item for item in items if identity_key(name_of(item)) == wanted]
    if found:
        return Match(found, "name")
    words = search_words(text)
    if not words:
        return Match([], "")
    key = " ".join(words)
    found = [item for item in items if search_key(name_of(item)) == key]
    if found:
        return Match(found, "name")
    found = [item for item in items if words_start(words, search_words(name_of(item)))]
    if len(found) > 1:
        # "ann" is Ann Nolan when Anne-Marie is the other: whole words first.
        whole = [item for item in found if words_start(words, search_words(name_of(item)), whole=True)]
        if whole:
            found = whole
    return Match(found, "prefix" if found else "")
