"""One suggested grouping with its figures, for the groups screen's side-by-side view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

from facilitator.analysis.grouping import Proposal
from facilitator.models.records import Participant


def short_name(person: Participant) -> str:
    return (person.name.split() or ["?"])[0]


class ProposalPanel(Static):
    """Method, figures (new / repeated / met pairs, sizes, tag diversity), then the groups."""

    def waiting(self, method: str) -> None:
        """Shown while a worker forms this proposal."""
        text = Text()
        text.append(method, style="bold")
        text.append("\ncomputing…", style="italic")
        self.update(text)

    def show(self, proposal: Proposal | str, people: Mapping[int, Participant], size: int,
             key_hint: str) -> None:
        if isinstance(proposal, str):
            self.update(Text(proposal))
            return
        q = proposal.quality
        text = Text()
        text.append(f"{proposal.method}", style="bold")
        text.append(f"  size {size}, seed {proposal.seed}  ({key_hint})\n", style="dim")
        text.append(f"new pairs {q.new_pairs}", style="bold")
        text.append(f"  repeated {q.repeat_pairs}  talked {q.interacted_pairs}\n")
        text.append(f"sizes {' '.join(map(str, q.sizes))}\n")
        if q.tag_diversity:
            text.append("mix " + " ".join(f"{k} {v:.0%}" for k, v in q.tag_diversity.items()) + "\n")
        for note in q.notes:
            text.append(note + "\n", style="italic")
        # First names keep the panel short; one that several people share (two
        # Annas) gets the person's code too, which is also what j and k take.
        firsts = Counter(short_name(p) for p in people.values())
        for number, group in enumerate(proposal.groups, 1):
            names = ", ".join(short_name(people[i]) if firsts[short_name(people[i])] == 1
                              else f"{short_name(people[i])} ({people[i].code})"
                              for i in group if i in people)
            text.append(f"{number} ", style="bold")
            text.append(names + "\n")
        self.update(text)
