"""The card of one group on the goals screen: its goals and challenges in its
own words, with the topic under the matrix's column cursor named in the title.
It keeps the highlighted line across redraws; the screen hands it the records."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.analysis.coverage import STATUS_MARKS, Coverage
from facilitator.models.challenges import Challenge
from facilitator.models.goals import Essential, Goal
from facilitator.models.groups import Group


class GroupCard(Vertical):
    """Title (group · topic) above the list of goals, then challenges."""

    def compose(self) -> ComposeResult:
        yield Static("", id="goals-card-title")
        yield OptionList(id="goals-card")

    @property
    def options(self) -> OptionList:
        return self.query_one("#goals-card", OptionList)

    def show_nothing(self, sentence: str) -> None:
        self.query_one("#goals-card-title", Static).update(Content(sentence))
        self.options.clear_options()

    def show(self, group: Group, goals: Sequence[Goal], challenges: Sequence[Challenge],
             topics: Sequence[Essential], coverage: Coverage | None, topic: int | None,
             prefer: str | None = None) -> None:
        """Draw the card; highlight `prefer` (e.g. 'goal:12', just entered), else
        keep what was highlighted."""
        card = self.options
        keep = prefer or (card.highlighted_option.id if card.highlighted_option else None)
        topic_names = {t.id: t.name for t in topics}
        about: list[str | tuple[str, str]] = []
        if topic is not None and coverage is not None and topic in topic_names:
            flag = "!" if coverage.is_neglected(topic) else ""
            about = [" · topic ", (flag + topic_names[topic], "$error bold" if flag else "bold")]
        self.query_one("#goals-card-title", Static).update(
            Content.assemble((group.name, "bold"), " · goals, challenges", *about))
        options: list[Option] = []
        for goal in goals:
            covers = ", ".join(topic_names[e] for e in goal.essential_ids if e in topic_names)
            line = Content.assemble(f"{STATUS_MARKS[goal.status]} ", (f"{goal.status:<11} ", "bold"),
                                    goal.text, (f"  → {covers}" if covers else "", "$success"),
                                    (f"  (set by {goal.set_by})" if goal.set_by else "", "$text-muted"))
            if goal.progress:
                line = Content.assemble(line, "\n    ", ("progress: ", "$text-muted"), goal.progress)
            options.append(Option(line, id=f"goal:{goal.id}"))
        for challenge in challenges:
            on = topic_names.get(challenge.essential_id or -1, "")
            head = Content.assemble(
                ("? open     " if challenge.status == "open" else "✓ answered ",
                 "$warning bold" if challenge.status == "open" else "$success bold"),
                (f"challenge{' on ' + on if on else ''}: ", "italic"), challenge.text)
            if challenge.response:
                head = Content.assemble(head, "\n    ", ("their answer: ", "$text-muted"),
                                        challenge.response, (f" (noted by {challenge.noted_by})",
                                                             "$text-muted"))
            options.append(Option(head, id=f"challenge:{challenge.id}"))
        if not options:
            options.append(Option(Content("No goals yet: press a and type the group's first goal."),
                                  id="empty", disabled=True))
        card.set_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            card.highlighted = ids.index(keep)
        elif not options[0].disabled:
            card.highlighted = 0

    def highlighted(self, kind: str) -> int | None:
        """The id of the highlighted goal or challenge, if it is one of `kind`."""
        option = self.options.highlighted_option
        if option is None or not option.id or not option.id.startswith(kind + ":"):
            return None
        return int(option.id.split(":")[1])
