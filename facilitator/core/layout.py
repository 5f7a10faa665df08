"""The sociogram's shared layout, read, computed and written: what the network
screen and `facilitator network` both call.

The layout always follows the whole session's ties (every filter and replay step
then draws people in the same places). Computing it is pure (LayoutJob.run, in a
worker); reading and storing it is here."""

from __future__ import annotations

from facilitator.analysis.network import (
    DEFAULT_SEED, NetworkData, NetworkFilter, Ties, formal_grouping, tie_counts)
from facilitator.analysis.network_view import LayoutJob, Positions, Relayout, sociogram_specs
from facilitator.analysis.sociogram import Sociogram, render_sociogram
from facilitator.core.changes import Change
from facilitator.models.layout import layout_seed, replace_layout, save_layout, stored_layout
from facilitator.models.store import SessionError, SessionStore


def layout_job(store: SessionStore, data: NetworkData) -> LayoutJob:
    """What bringing the stored layout up to date with the whole session needs."""
    ties = tie_counts(data)
    stored, signature = stored_layout(store)
    return LayoutJob(ties.node_ids, frozenset(ties.pairs()), stored, signature,
                     layout_seed(store, DEFAULT_SEED))


def follow_job(store: SessionStore, whole: Ties, signature: str,
               stored: Positions, stored_signature: str | None) -> LayoutJob:
    """The job that updates the layout the screen last read (`stored`) for the whole
    session's ties, whose fingerprint the caller keeps up to date."""
    return LayoutJob(whole.node_ids, whole.pairs(), dict(stored), stored_signature,
                     layout_seed(store, DEFAULT_SEED), known_signature=signature)


def save_job(store: SessionStore, job: LayoutJob, positions: Positions) -> Positions:
    """Store a computed layout (unless read-only or someone stored a newer one first);
    returns the positions every co-facilitator will see. Keeping the layout in step
    is a courtesy to the others: when it cannot be stored, the picture still shows."""
    if store.read_only:
        return positions
    try:
        if save_layout(store, positions, job.signature, job.stored_signature):
            return positions
    except SessionError:
        return positions
    stored, _signature = stored_layout(store)
    return stored if all(pid in stored for pid in job.node_ids) else positions


def ensure_layout(store: SessionStore, data: NetworkData) -> Positions:
    """The stored layout, brought up to date with the log first if needed."""
    job = layout_job(store, data)
    if job.up_to_date:
        return job.stored
    return save_job(store, job, job.run())


def render_network(store: SessionStore, data: NetworkData, flt: NetworkFilter,
                   width: int, height: int, focus: int | None = None,
                   group_marks: bool = False) -> Sociogram:
    """The picture for a filter, drawn with the shared layout (group_marks: groups
    told apart by mark shapes, for output without colour)."""
    positions = ensure_layout(store, data)
    ties = tie_counts(data, flt)
    nodes, edges = sociogram_specs(data, ties, formal_grouping(data, flt.round_id), focus)
    return render_sociogram(nodes, edges, positions, width, height, group_marks=group_marks)


# ---------------------------------------------------------------- laying out afresh
def plan_relayout(store: SessionStore, ties: Ties, signature: str | None = None) -> Relayout:
    """What laying out afresh needs, read now; run `relayout.job.run()` in a worker."""
    previous, previous_signature = stored_layout(store)
    seed = layout_seed(store, DEFAULT_SEED)
    job = LayoutJob(ties.node_ids, ties.pairs(), {}, previous_signature, seed + 1,
                    known_signature=signature)
    return Relayout(job, previous, previous_signature, seed)


def apply_relayout(store: SessionStore, relayout: Relayout, positions: Positions) -> Change:
    """Store the fresh layout for every co-facilitator; the Change puts the previous
    one back, unless someone laid the network out afresh again since (then it says
    who, and writes nothing)."""
    replace_layout(store, positions, relayout.job.signature, relayout.job.seed)

    def undo() -> str:
        undo_relayout(store, relayout)
        return "The previous picture is back, for everyone."

    return Change("the new layout", undo)


def undo_relayout(store: SessionStore, relayout: Relayout) -> None:
    """Put the previous layout (and its seed) back, for everyone, if the stored seed
    is still the one the relayout wrote."""
    replace_layout(store, relayout.previous, relayout.previous_signature, relayout.previous_seed,
                   expected_seed=relayout.job.seed)
