"""The network screen: the live sociogram, its findings in sentences, filters, a
replayable timeline and a focus on one person.

Thin: the figures and the drawing come from facilitator.analysis, the log and the
shared layout from facilitator.core. The layout and the metrics run in thread
workers (exit_on_error=False: a failure reaches the app's one handler and the app
keeps running) that post a message back, so the screen never freezes; the log
itself is read by a worker too (the stored layout is drawn first), and every
picture a key asks for (filter, focus, ties, replay step) is worked out by a
worker, the latest only; only a live update that adds ties is drawn on the UI
thread (just those ties). The timeline bar owns the replay; the screen hears
where it went."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from facilitator.analysis.layout import NetworkFingerprint
from facilitator.analysis.network import (
    FormalGroup, NetworkData, NetworkFilter, Ties, formal_grouping, round_choices, round_name,
    selected_entries, tie_counts)
from facilitator.analysis.network_view import (
    LayoutJob, Relayout, edge_spec, min_tie_weight, node_specs, shows, sociogram_specs)
from facilitator.analysis.sociogram import group_legend
from facilitator.core.layout import apply_relayout, follow_job, plan_relayout, save_job
from facilitator.core.network import LiveNetwork, Snapshot, load_context, read_snapshot
from facilitator.models.layout import layout_stamp, stored_layout
from facilitator.models.store import SessionError, SessionStore
from facilitator.screens.base import SessionScreen, forward_worker_failure
from facilitator.widgets.network_canvas import NetworkCanvas
from facilitator.widgets.network_panels import FilterBar, GroupLegend, NetworkSide
from facilitator.widgets.network_timeline import TimelineBar

WINDOWS = (None, 5, 15, 30, 60)
#: The lightest tie drawn: automatic (one-off ties hidden when busy), all, 2 or more.
TIE_WEIGHTS = (None, 1, 2)
#: After a live update, the layout and the findings start this much later.
FOLLOW_UP_SECONDS = 0.05


@dataclass
class LayoutReady(Message):
    """A layout computed in a worker."""

    job: LayoutJob
    positions: dict[int, tuple[float, float]]


@dataclass
class RelayoutReady(Message):
    """A fresh layout computed in a worker, to store for everyone."""

    relayout: Relayout
    positions: dict[int, tuple[float, float]]


@dataclass
class NetworkRead(Message):
    """The whole log, read in a worker, with the whole session's ties counted."""

    snapshot: Snapshot
    whole: Ties
    fingerprint: NetworkFingerprint


@dataclass
class ViewReady(Message):
    """The picture for one filter, focus and replay point, worked out in a worker."""

    generation: int
    data: NetworkData
    flt: NetworkFilter
    ties: Ties
    groups: tuple[FormalGroup, ...]
    weight: int
    nodes: list  # type: ignore[type-arg]
    edges: list  # type: ignore[type-arg]
    total: int


@dataclass
class AnalysisReady(Message):
    """Findings (or one person's figures) computed in a worker."""

    generation: int
    title: str
    lines: list[str]


class NetworkScreen(SessionScreen):
    """Who talks with whom, drawn, and what it means."""

    SCREEN_NAME = "network"
    WRITES = SessionScreen.WRITES | {"relayout"}
    AUTO_FOCUS = "#network-canvas"
    CSS_PATH = "../styles/network.tcss"
    BINDINGS = [
        Binding("k", "cycle_kind", "Kind", id="network.kind"),
        Binding("r", "cycle_round", "Round", id="network.round"),
        Binding("g", "cycle_group", "Group", id="network.group"),
        Binding("w", "cycle_window", "Window", id="network.window"),
        Binding("t", "cycle_ties", "Ties", id="network.ties"),
        Binding("c", "clear_filters", "Clear", id="network.clear"),
        Binding("p", "play", "Replay", id="network.play"),
        Binding("left", "scrub(-1)", "Back", id="network.back"),
        Binding("right", "scrub(1)", "Forward", id="network.forward"),
        Binding("comma", "step(-1)", "One back", show=False, key_display=",",
                id="network.step_back"),
        Binding("full_stop", "step(1)", "One forward", show=False, key_display=".",
                id="network.step_forward"),
        Binding("l", "live", "Live", id="network.live"),
        Binding("f", "find", "Focus person", id="network.find"),
        Binding("right_square_bracket", "next_person(1)", "Next person", show=False,
                key_display="]", id="network.next_person"),
        Binding("left_square_bracket", "next_person(-1)", "Previous person", show=False,
                key_display="[", id="network.previous_person"),
        Binding("escape", "unfocus", "Unfocus", show=False, id="network.unfocus"),
        Binding("v", "toggle_side", "Findings panel", id="network.side"),
        Binding("n", "relayout", "New layout", show=False, id="network.relayout"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="network.undo"),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.data: NetworkData | None = None
        #: The log as last read; only new entries are fetched when the file changes.
        self.live = LiveNetwork()
        #: The ties the picture shows now, so new ones can be drawn on top.
        self.drawn_ties: Ties | None = None
        self.layout_stamp: tuple[object, ...] = ()
        self.stored: dict[int, tuple[float, float]] = {}
        self.stored_signature: str | None = None
        self.findings_due: tuple | None = None  # type: ignore[type-arg]
        #: Lightest tie drawn: None = automatic (see min_tie_weight); display only.
        self.tie_weight: int | None = None
        self.drawn_weight = 1
        self.filter = NetworkFilter()
        self.focus_id: int | None = None
        self.positions: dict[int, tuple[float, float]] = {}
        self.layout_pending: str | None = None
        self.generation = 0
        #: The generation of the picture a worker is working out (None: none is).
        self.view_pending: int | None = None
        self.reading = False  # a worker is reading the whole log
        #: Workers whose last run failed: said once, not again on every live update.
        self.failing: set[str] = set()

    def compose(self) -> ComposeResult:
        yield FilterBar(id="network-filters")
        canvas = NetworkCanvas(id="network-canvas")
        # Without colour (NO_COLOR), the shape of a mark tells the groups apart.
        canvas.group_marks = bool(getattr(self.app, "no_color", False))
        with Horizontal(id="network-body"):
            with Vertical(id="network-picture"):
                yield canvas
                yield GroupLegend(id="network-legend")
            yield NetworkSide(id="network-side")
        yield TimelineBar(id="network-timeline")
        yield Input(placeholder="Focus on: name or code, Enter; Escape cancels",
                    id="network-find")

    @property
    def canvas(self) -> NetworkCanvas:
        return self.query_one(NetworkCanvas)

    @property
    def timeline(self) -> TimelineBar:
        """The replay (it owns the cursor: entries shown, None = live)."""
        return self.query_one(TimelineBar)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker reaches the app's one handler, once until it works again
        (findings and layout rerun on every live update: one sentence, not a flood)."""
        event.prevent_default()  # instead of the base screen's forwarding, not as well
        name = event.worker.name
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            if event.worker.group == "network-read":
                self.reading = False  # the next refresh tries again
            elif event.worker.group == "network-view" and event.state == WorkerState.ERROR:
                self.view_pending = None
        if event.state == WorkerState.SUCCESS:
            self.failing.discard(name)
        elif event.state == WorkerState.ERROR and name not in self.failing:
            self.failing.add(name)
            forward_worker_failure(self, event)

    # ------------------------------------------------------------ data
    def refresh_data(self) -> None:
        """Fetch what is new in the log (not the whole log), follow the shared layout,
        and draw only what changed: a new interaction is painted within a frame.
        The whole log (at first, and after an undo of a drawn entry) is read by a
        worker; until the first read is back the stored layout is drawn, no ties."""
        live = self.live
        changed = live.refresh(self.store, load=False)
        if live.data is None or live.stale:
            if live.data is None:
                self.draw_stored_layout()
                # Once that is painted: a thread started now would compete with the
                # first paint for the interpreter.
                self.call_after_refresh(self.read_network)
            else:
                self.read_network()
            return
        self.data = live.data
        moved = self.sync_layout()
        if changed or moved or self.drawn_ties is None:
            self.redraw(grow=not moved)

    def read_network(self) -> None:
        """Read the whole log in a thread; NetworkRead brings it back."""
        if self.reading:
            return
        self.reading = True
        store = self.store

        def run() -> None:
            snapshot = read_snapshot(store)
            whole = tie_counts(snapshot.data)
            self.post_message(NetworkRead(snapshot, whole,
                                          NetworkFingerprint(whole.node_ids, whole.pairs())))

        self.run_worker(run, thread=True, exclusive=True, group="network-read",
                        name="reading the log", description="network log",
                        exit_on_error=False)

    def _gone(self) -> bool:
        """A worker's result came back after the screen was taken down."""
        return not self.is_mounted or not self.query(TimelineBar)

    @on(NetworkRead)
    def network_read(self, message: NetworkRead) -> None:
        self.reading = False
        if self._gone():
            return
        snapshot = message.snapshot
        self.live.take(snapshot)
        self.live.seed(snapshot.data, NetworkFilter(), message.whole, message.fingerprint)
        self.drawn_ties = None  # everything is drawn afresh from the new snapshot
        self.refresh_data()

    def draw_stored_layout(self) -> None:
        """Before the log is read: everyone at their stored place, no ties yet."""
        context = load_context(self.store)
        stamp = layout_stamp(self.store)
        if stamp != self.layout_stamp:
            self.layout_stamp = stamp
            self.stored, self.stored_signature = stored_layout(self.store)
        groups = formal_grouping(context, self.filter.round_id)
        nodes, _edges = sociogram_specs(context, tie_counts(context), groups, None)
        self.canvas.show(nodes, [], {pid: p for pid, p in self.stored.items()
                                     if any(n.id == pid for n in nodes)})
        self.show_filters(groups, context)
        self.show_legend(groups)
        self.query_one(NetworkSide).show("Findings", ["Reading the session's log…"])

    def sync_layout(self) -> bool:
        """Take the stored layout when it fits the network, else ask a worker to
        update it; True if the positions to draw changed."""
        stamp = layout_stamp(self.store)
        if stamp != self.layout_stamp:  # someone stored a layout: read it once
            self.layout_stamp = stamp
            self.stored, self.stored_signature = stored_layout(self.store)
        whole = self.live.view().ties
        signature = self.live.signature()
        if self.stored_signature == signature and all(pid in self.stored for pid in whole.node_ids):
            positions = self.stored
            self.layout_pending = None
        else:
            # Until the worker is back, draw the people already placed.
            nodes = set(whole.node_ids)
            positions = {pid: p for pid, p in self.stored.items() if pid in nodes}
            if self.layout_pending != signature:
                self.layout_pending = signature
                job = follow_job(self.store, whole, signature, self.stored,
                                 self.stored_signature)
                self._after_paint(self.compute_layout, job, soon=self.drawn_ties is None)
        moved = positions != self.positions
        self.positions = positions
        return moved

    def compute_layout(self, job: LayoutJob) -> None:
        """Lay the network out in a thread; LayoutReady brings the result back."""
        def run() -> None:
            self.post_message(LayoutReady(job, job.run()))

        self.run_worker(run, thread=True, exclusive=True, group="network-layout",
                        name="the network layout", description="network layout",
                        exit_on_error=False)

    @on(LayoutReady)
    def layout_ready(self, message: LayoutReady) -> None:
        if message.job.signature != self.layout_pending or self._gone():
            return  # a newer layout is on its way
        self.layout_pending = None
        self.positions = save_job(self.store, message.job, message.positions)
        canvas = self.canvas
        if self.view_pending is None and canvas.nodes:  # same picture, people moved
            canvas.show(list(canvas.nodes), list(canvas.edges.values()), self.positions)
        else:
            self.redraw()

    def current_filter(self) -> NetworkFilter:
        return self.filter.with_(until=self.timeline.cursor)

    def redraw(self, grow: bool = False) -> None:
        """Draw the picture for the filters and replay point, then ask the worker
        for the findings. grow: only new ties arrived; then, if this filter's ties
        are kept, just the new ties are drawn here (within a frame). Anything else
        (a filter, focus, tie weight or replay step) is worked out by a worker and
        painted when it is back, the latest only."""
        if self.data is None:
            return
        flt = self.current_filter()
        if grow and self.view_pending is None and self.live.has_view(flt) and self._grow(flt):
            return
        self.compute_view(flt)

    def _grow(self, flt: NetworkFilter) -> bool:
        """Draw just the ties new entries touched; False if that is not enough."""
        assert self.data is not None
        data = self.data
        view = self.live.view(flt)
        ties = view.ties
        if ties is self.drawn_ties:
            return True  # nothing this filter shows has changed
        groups = formal_grouping(data, self.filter.round_id)
        weight = min_tie_weight(self.tie_weight, ties)
        if not (view.previous is not None and view.previous is self.drawn_ties
                and weight == self.drawn_weight):
            return False
        edges = [e for e in (edge_spec(ties, u, v, self.focus_id) for u, v in sorted(view.touched))
                 if shows(e, weight, self.focus_id)]
        if not self.canvas.grow(node_specs(data, ties, groups, self.focus_id), edges,
                                self.positions):
            return False
        self.drawn_ties, self.drawn_weight = ties, weight
        self.show_filters(groups)
        self.show_legend(groups)
        self.timeline.show(self.live.total(self.filter), ties.last_at)
        self.generation += 1
        self._findings_after(self.generation, data, ties, groups, soon=False)
        return True

    def compute_view(self, flt: NetworkFilter) -> None:
        """Count the ties and work out the picture in a thread; ViewReady paints it
        (only the latest: a newer key makes older results void)."""
        assert self.data is not None
        self.generation += 1
        generation = self.view_pending = self.generation
        data, focus, tie_weight, base = self.data, self.focus_id, self.tie_weight, self.filter
        kept = self.live.view(flt).ties if self.live.has_view(flt) else None

        def run() -> None:
            worker = get_current_worker()
            ties = kept if kept is not None else tie_counts(data, flt)
            if worker.is_cancelled:
                return
            groups = formal_grouping(data, base.round_id)
            weight = min_tie_weight(tie_weight, ties)
            nodes, edges = sociogram_specs(data, ties, groups, focus, min_weight=weight)
            if worker.is_cancelled:
                return
            total = len(selected_entries(data, base.with_(until=None, window_minutes=None)))
            self.post_message(ViewReady(generation, data, flt, ties, groups, weight,
                                        nodes, edges, total))

        self.run_worker(run, thread=True, exclusive=True, group="network-view",
                        name="the network picture", description="network picture",
                        exit_on_error=False)

    @on(ViewReady)
    def view_ready(self, message: ViewReady) -> None:
        if self._gone() or message.generation != self.generation or message.data is not self.data:
            return  # a newer picture is on its way
        self.view_pending = None
        self.live.seed(message.data, message.flt, message.ties)
        self.canvas.show(message.nodes, message.edges, self.positions)
        self.drawn_ties, self.drawn_weight = message.ties, message.weight
        self.show_filters(message.groups)
        self.show_legend(message.groups)
        self.timeline.show(message.total, message.ties.last_at)
        self._findings_after(message.generation, message.data, message.ties, message.groups,
                             soon=True)

    def _findings_after(self, generation: int, data: NetworkData, ties: Ties,
                        groups: tuple[FormalGroup, ...], *, soon: bool) -> None:
        if self.findings_due is None:  # start the findings once this frame is painted
            self._after_paint(self._start_findings, soon=soon)
        self.findings_due = (generation, data, ties, groups, self.focus_id)

    def _after_paint(self, callback, *args, soon: bool) -> None:  # type: ignore[no-untyped-def]
        """Start slow follow-up work once the picture is on screen (a big network's
        is drawn in a worker: then once that drawing is painted). After a live
        update, wait a moment: a worker thread started at once competes with the
        paint for the interpreter, and a burst of entries then needs one start."""
        if soon:
            self.canvas.after_drawn(partial(callback, *args))
        else:
            self.set_timer(FOLLOW_UP_SECONDS, partial(callback, *args))

    def _start_findings(self) -> None:
        due, self.findings_due = self.findings_due, None
        if due is not None:
            self.compute_findings(*due)

    def compute_findings(self, generation: int, data: NetworkData, ties: Ties,
                         groups: tuple[FormalGroup, ...], focus: int | None) -> None:
        """Metrics in a thread (betweenness is slow on big networks); AnalysisReady
        brings the sentences back. Arguments are plain data, never the store."""
        def run() -> None:
            from facilitator.analysis.network import analyse
            from facilitator.analysis.network_findings import findings, focus_lines

            analysis = analyse(data, ties)
            if focus is not None and focus in analysis.figures:
                lines = focus_lines(data, analysis, ties, focus, groups)
                self.post_message(AnalysisReady(generation, "Focus", lines))
            else:
                self.post_message(AnalysisReady(generation, "Findings",
                                                findings(data, analysis, ties, groups)))

        self.run_worker(run, thread=True, exclusive=True, group="network-findings",
                        name="the network findings", description="network findings",
                        exit_on_error=False)

    @on(AnalysisReady)
    def analysis_ready(self, message: AnalysisReady) -> None:
        if message.generation == self.generation:
            self.query_one(NetworkSide).show(message.title, message.lines)

    def show_legend(self, groups: tuple[FormalGroup, ...]) -> None:
        canvas = self.canvas
        entries = [(mark, name, canvas.group_style(index)) for mark, name, index
                   in group_legend([g.name for g in groups], canvas.group_marks)]
        self.query_one(GroupLegend).show(entries)

    def show_filters(self, groups, data: NetworkData | None = None) -> None:  # type: ignore[no-untyped-def]
        data, flt = data or self.data, self.filter
        assert data is not None
        kind = ", ".join(sorted(flt.kinds)) if flt.kinds else "all"
        round_text = round_name(data, flt.round_id)
        group = next((g.name for g in data.groups if g.id == flt.group_id), "all")
        window = f"last {flt.window_minutes} min" if flt.window_minutes else "all"
        focus = data.name(self.focus_id) if self.focus_id is not None else "none"
        ties = "all"
        if self.drawn_weight > 1 and self.drawn_ties is not None:
            every = len(self.drawn_ties.pairs())
            drawn = len(self.canvas.edges)
            ties = f"{self.drawn_weight}+ ({drawn} of {every})"
        self.query_one(FilterBar).show([("kind", kind), ("round", round_text), ("group", group),
                                        ("time", window), ("ties", ties), ("focus", focus)])

    # ------------------------------------------------------------ filters
    def _cycle(self, options: list, current):  # type: ignore[no-untyped-def]
        index = options.index(current) if current in options else 0
        return options[(index + 1) % len(options)]

    def action_cycle_kind(self) -> None:
        if self.data is None:
            return
        options = [None] + [frozenset([name]) for name, _l, _d in self.data.kinds]
        self.filter = self.filter.with_(kinds=self._cycle(options, self.filter.kinds))
        self._filter_changed()

    def action_cycle_round(self) -> None:
        if self.data is None:
            return
        options = round_choices(self.data)
        self.filter = self.filter.with_(round_id=self._cycle(options, self.filter.round_id),
                                        group_id=None)
        self._filter_changed()

    def action_cycle_group(self) -> None:
        if self.data is None:
            return
        options = [None] + [g.id for g in self.data.groups
                            if self.filter.round_id is None or g.round_id == self.filter.round_id]
        self.filter = self.filter.with_(group_id=self._cycle(options, self.filter.group_id))
        self._filter_changed()

    def action_cycle_window(self) -> None:
        self.filter = self.filter.with_(
            window_minutes=self._cycle(list(WINDOWS), self.filter.window_minutes))
        self._filter_changed()

    def action_cycle_ties(self) -> None:
        """Automatic (one-off ties hidden when the picture is busy), all, or 2+; the
        findings always count every tie."""
        self.tie_weight = self._cycle(list(TIE_WEIGHTS), self.tie_weight)
        self.redraw()

    def action_clear_filters(self) -> None:
        self.filter = NetworkFilter()
        self.tie_weight = None
        self._filter_changed()

    def _filter_changed(self) -> None:
        self.timeline.go_live(quiet=True)
        self.redraw()

    # ------------------------------------------------------------ timeline
    @on(TimelineBar.Moved)
    def timeline_moved(self, message: TimelineBar.Moved) -> None:
        self.redraw()

    def action_scrub(self, direction: int) -> None:
        self.timeline.scrub(direction)

    def action_step(self, delta: int) -> None:
        self.timeline.step(delta)

    def action_play(self) -> None:
        self.timeline.toggle_play()

    def action_live(self) -> None:
        self.timeline.go_live()

    # ------------------------------------------------------------ focus
    def action_find(self) -> None:
        box = self.query_one("#network-find", Input)
        box.value = ""
        box.display = True
        box.focus()

    @on(Input.Submitted, "#network-find")
    def find_submitted(self, event: Input.Submitted) -> None:
        from facilitator.models.roster import find_participant

        text = event.value.strip()
        event.input.display = False
        self.canvas.focus()
        if not text:
            return
        try:
            self.focus_id = find_participant(self.store, text).id
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self.redraw()

    def action_unfocus(self) -> None:
        box = self.query_one("#network-find", Input)
        if box.display:
            box.display = False
            self.canvas.focus()
            return
        if self.focus_id is not None:
            self.focus_id = None
            self.redraw()

    def action_next_person(self, delta: int) -> None:
        if self.data is None or not self.data.people:
            return
        people = sorted(self.data.people, key=lambda p: (p.name.lower(), p.id))
        ids = [p.id for p in people]
        if self.focus_id in ids:
            index = (ids.index(self.focus_id) + delta) % len(ids)
        else:
            index = 0 if delta > 0 else len(ids) - 1
        self.focus_id = ids[index]
        self.redraw()

    # ------------------------------------------------------------ layout afresh
    def action_relayout(self) -> None:
        """Lay the network out from scratch (a new arrangement each time) for every
        co-facilitator; ctrl+z puts the previous picture back."""
        if self.data is None or self.refuse_if_read_only():
            return
        relayout = plan_relayout(self.store, self.live.view().ties, self.live.signature())

        def run() -> None:
            self.post_message(RelayoutReady(relayout, relayout.job.run()))

        self.hint("Laying the network out afresh…")
        self.run_worker(run, thread=True, exclusive=True, group="network-relayout",
                        name="the new layout", description="network relayout",
                        exit_on_error=False)

    @on(RelayoutReady)
    def relayout_ready(self, message: RelayoutReady) -> None:
        self.write(lambda: apply_relayout(self.store, message.relayout, message.positions),
                   done="New layout, for everyone on this session; ctrl+z brings the old one back.")

    def action_toggle_side(self) -> None:
        side = self.query_one(NetworkSide)
        side.display = not side.display
        self.call_after_refresh(self.redraw)
