"""The help screen: what the words of the screen you came from mean (a sentence
each), then every key of that screen and of the app."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


KEY_NAMES = {"question_mark": "?", "space": "Space", "escape": "Escape", "enter": "Enter",
             "tab": "Tab", "slash": "/", "full_stop": ".", "minus": "-", "plus": "+",
             "left_square_bracket": "[", "right_square_bracket": "]", "tilde": "~",
             "comma": ",", "left": "Left", "right": "Right"}


#: Columns of text inside the help box (78 wide: a border, padding and the scrollbar).
BOX_TEXT_WIDTH = 71
#: Where descriptions start, after the keys.
KEY_COLUMN = 14

#: Per screen, its concepts in a sentence each: what a facilitator needs to read
#: the screen, not only to drive it. Shown first in help (?).
CONCEPTS: dict[str, tuple[tuple[str, str], ...]] = {
    "roster": (
        ("Code", "the two to four letters typed for a person on the tally screen; unique in"
                 " the session."),
        ("Here/absent", "present or absent: absent people are left out of groups, suggestions and"
                 " 'not spoken yet'."),
        ("Group now", "the group the person is in in the current round."),
        ("Spoke / Addressed", "entries with the person as speaker, and as the one spoken to,"
                              " in the whole session."),
        ("Tags", "what the roster says about a person (organisation, role ...); suggestions"
                 " can mix people by them."),
    ),
    "groups": (
        ("Round", "a stretch of the session with its own groups; the header shows the current"
                  " one and its time left."),
        ("Topic", "an open-space group, proposed by its convener, who is in it."),
        ("Ungrouped", "present people in no group of the round shown."),
        ("Opened with", "how the round started: kept groups (the round before's tables and"
                        " their unfinished goals), open space (nobody grouped) or suggested"
                        " groups."),
        ("Suggest", "two groupings for the next round side by side: new ties (people who"
                        " have not met), random, or mixed by a tag."),
        ("Keep together", "a pair the suggestions always put in one group."),
        ("Keep apart", "a pair the suggestions never put in one group."),
    ),
    "goals": (
        ("Goal", "what a group set out to do, in the group's own words; the facilitator only"
                 " records it."),
        ("Topic column", "an essential topic the organisers want covered: ● a group has a goal"
                         " linked to it, · not, ? an open challenge, ✓ answered; ! marks a"
                         " topic nobody covers or a group covering none."),
        ("Status", "open, in progress, done or dropped; the progress per round uses it."),
        ("Challenge", "a question to a group about a topic it neglects; the group answers in"
                      " its own words (r)."),
        ("Who reports", "the person the next goals are recorded as set by (empty: the group)."),
        ("Kept goal", "a goal carried into a new round with its group, as the group agreed;"
                      " its history says so."),
    ),
    "tally": (
        ("Turn", "one speaking turn: the speaker's full code, addressed to the previous"
                 " speaker."),
        ("Explicit entry", "/ then who, which kind, to whom and a note: any kind of the"
                           " codebook."),
        ("Observing", "the whole session, or one group ([ and ]): what the counts and the"
                      " codes refer to."),
        ("Gini", "how unevenly talk is shared: 0 everyone equally, near 1 one voice."),
        ("Not spoken", "present people with no turn in this round yet: someone to invite in."),
        ("Mutual pairs", "two people who address each other both ways."),
        ("Between rounds", "entries typed while no round runs; they count for the session."),
    ),
    "network": (
        ("Tie", "two people with at least one entry between them; the line is heavier the"
                " more entries."),
        ("Ties", "which ties are drawn: automatic (one-off ties hidden when busy), all,"
                        " or 2+ entries; the findings always count every tie."),
        ("Kind", "count only entries of one kind (asked, helped ...)."),
        ("Round", "count only entries of one round."),
        ("Group", "count only entries within one group."),
        ("Window", "count only the last 5, 15, 30 or 60 minutes: who talks with whom now."),
        ("Focus person", "one person's ties and figures; the others fade."),
        ("Replay", "the network as it grew, entry by entry; Live goes back to now."),
        ("Findings panel", "hubs (most ties), brokers (who links people who would be far apart),"
                     " isolated people and how spread out the talk is."),
    ),
}


def key_names(keys: str) -> str:
    """'question_mark,ctrl+z' -> '?, Ctrl+z': keys as a person reads them."""
    return ", ".join(KEY_NAMES.get(k, k.replace("ctrl+", "Ctrl+")) for k in keys.split(","))


def ours(klass: type) -> bool:
    """A class of this app (or one built on it), not Textual's or Python's."""
    return klass.__module__.split(".")[0] not in ("textual", "builtins", "typing")


def added_bindings(screen: Screen[object]) -> list[Binding]:
    """Keys a screen bound at run time (the tally screen's whole-group states,
    read from the codebook), described, and not Textual's own."""
    declared = {b.action if isinstance(b, Binding) else b[1]
                for klass in type(screen).__mro__ for b in vars(klass).get("BINDINGS", [])}
    textual_own = {b.action if isinstance(b, Binding) else b[1]
                   for klass in type(screen).__mro__ if not ours(klass)
                   for b in vars(klass).get("BINDINGS", [])}
    return [b for found in screen._bindings.key_to_bindings.values() for b in found
            if b.description and b.action not in declared and b.action not in textual_own]


def _describe(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys, description = binding.key, binding.description
        else:
            keys, description = binding[0], binding[2] if len(binding) > 2 else binding[1]
        if description:
            rows.append((key_names(keys), description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys; Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen .extra { margin-top: 1; }
    HelpScreen .keys { margin-bottom: 1; }
    """

    def __init__(self, app_bindings: list[BindingType], screen: Screen[object] | None,
                 extra: str = "") -> None:
        super().__init__()
        self.app_bindings = app_bindings
        self.origin = screen
        self.extra = extra

    def compose(self) -> ComposeResult:
        name = getattr(self.origin, "SCREEN_NAME", "") if self.origin is not None else ""
        concepts = dict(CONCEPTS.get(name, ()))
        explained: set[str] = set()

        def rows_text(rows: list[tuple[str, str, str]], column: int) -> Text:
            """Key (or word) in bold, then its description and sentence wrapping
            beside it: a hanging indent, no ragged second lines. Plain Text, so
            user-facing text never becomes markup."""
            text = Text()
            width = max(20, BOX_TEXT_WIDTH - column)
            for keys, description, meaning in rows:
                said = f"{description}: {meaning}" if meaning and description else (
                    description or meaning)
                lines = textwrap.wrap(said, width) or [""]
                text.append(f"  {keys}".ljust(column), style="bold")
                text.append(f"{lines[0]}\n")
                for more in lines[1:]:
                    text.append(" " * column + f"{more}\n")
            text.rstrip()
            return text

        def section(title: str, rows: list[tuple[str, str]]) -> ComposeResult:
            """A heading, then key and description; a word the screen uses gets its
            sentence beside its key."""
            found = []
            for keys, description in rows:
                meaning = concepts.get(description, "")
                if meaning:
                    explained.add(description)
                found.append((keys, description, meaning))
            yield Static(Text(title, style="bold underline"))
            yield Static(rows_text(found, KEY_COLUMN), classes="keys")

        with VerticalScroll():
            if self.origin is not None:
                keyed = _describe(list(type(self.origin).BINDINGS) + added_bindings(self.origin))
                described = {d for _, d in keyed}
                words = [(w, "", m) for w, m in concepts.items() if w not in described]
                if words:
                    column = 4 + max(len(w) for w, _, _ in words)
                    yield Static(Text(f"What the {name} screen shows", style="bold underline"))
                    yield Static(rows_text(words, column), classes="keys")
                yield from section(f"On the {name or 'this'} screen", keyed)
            yield from section("Everywhere", _describe(self.app_bindings) + [
                ("Ctrl+P", "Command palette: every action of every screen, by name")])
            if self.extra:
                # A paragraph hard-wrapped in the source (88 columns) wrapped again
                # raggedly in a 76-column box: let the box wrap each paragraph.
                paragraphs = (" ".join(p.split()) for p in self.extra.split("\n\n"))
                yield Static("\n\n".join(paragraphs), markup=False, classes="extra")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
