"""The one failure path of workers: a failed worker, wherever it ran (a screen or
a widget), reaches the app's one handler as a WorkerFailed message, which the app
turns into one sentence while it keeps running. Every worker runs with
exit_on_error=False."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.worker import Worker, WorkerState


@dataclass
class WorkerFailed(Message):
    """A worker of a screen or widget raised: the app says so in one sentence and
    keeps running (every worker runs with exit_on_error=False)."""

    name: str
    error: BaseException


def forward_worker_failure(node: object, event: Worker.StateChanged) -> None:
    """Worker.StateChanged does not bubble: a node running workers calls this from
    its on_worker_state_changed, and the failure reaches the app's one handler."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        post = getattr(node, "post_message")
        post(WorkerFailed(event.worker.name or "a background task", event.worker.error))
