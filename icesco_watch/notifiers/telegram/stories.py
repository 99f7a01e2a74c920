"""The sender's plan for a chat's due deliveries when some are versions of one story (pure).

The routing core decided at enqueue time which deliveries join another's alert
(`store/stories.py`); here those decisions become messages: a root alert due now carries the
versions that joined it ("Also in", one message settling all their deliveries); a version that
joined an alert already sent becomes an edit of that message (editMessageText, paced and
retried like any send, so a failure is reported and never turns into a second alert). A version
whose root is still pending elsewhere waits; one whose root went out inside a digest (a
message listing other items, which an edit would overwrite) is skipped, saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from icesco_watch.models import NewsItem
from icesco_watch.store.outbox import DueDelivery
from icesco_watch.store.stories import StoryState

IN_DIGEST = "its story's alert went out inside a digest, which an edit would overwrite"


@dataclass(frozen=True, slots=True)
class Planned:
    """One alert to send (or, with `edit_of`, the message to edit), headed by `item`."""

    item: NewsItem
    ids: tuple[int, ...]  # the deliveries it settles
    also_in: tuple[tuple[str, str], ...] = ()  # (lang, url) of the story's other versions
    edit_of: int | None = None
    attempts: int = 0
    unconfirmed: int = 0
    thread: int | None = None  # the forum topic it goes to (None: the chat itself)


@dataclass(slots=True)
class ChatPlan:
    """What to do with one chat's due deliveries."""

    planned: list[Planned] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)  # their root is pending, not due here
    skipped: list[int] = field(default_factory=list)  # their root went out in a digest


def plan_chat(
    entries: Sequence[DueDelivery],
    root_of: Mapping[int, int],
    states: Mapping[int, StoryState],
    root_items: Mapping[str, NewsItem],
) -> ChatPlan:
    """One chat's due deliveries (oldest first) as alerts and edits, one per story."""
    due = {entry.delivery.id: entry for entry in entries}
    plan = ChatPlan()
    edits: dict[int, list[DueDelivery]] = {}
    for entry in entries:
        delivery = entry.delivery
        root = root_of.get(delivery.id)
        if root is None:
            state = states.get(delivery.id)
            joined = (
                [due[v.delivery_id] for v in state.members if v.delivery_id in due] if state else []
            )
            plan.planned.append(_planned(entry.item, [entry, *joined]))
            continue
        if root in due:
            continue  # carried by its root's message
        state = states.get(root)
        if state is None or state.status not in ("pending", "sent"):
            plan.planned.append(_planned(entry.item, [entry]))  # the root carries nothing
        elif state.status == "pending":
            plan.waiting.append(delivery.id)
        elif state.in_digest or state.message_id is None or state.item_key not in root_items:
            plan.skipped.append(delivery.id)
        else:
            edits.setdefault(root, []).append(entry)
    for root, joined in edits.items():
        state = states[root]
        sent = tuple((v.lang, v.url) for v in state.members if v.status == "sent")
        edit = _planned(root_items[state.item_key], joined, head=False)
        versions = tuple(sorted({*sent, *edit.also_in}))
        plan.planned.append(
            Planned(
                edit.item,
                edit.ids,
                versions,
                state.message_id,
                edit.attempts,
                edit.unconfirmed,
                edit.thread,
            )
        )
    return plan


def _planned(item: NewsItem, entries: Sequence[DueDelivery], head: bool = True) -> Planned:
    """`item`'s alert settling `entries`; the versions listed are the entries' items, but the
    first when it is the head (`item` itself)."""
    listed = entries[1:] if head else entries
    versions = tuple(sorted((e.item.lang, e.item.url) for e in listed))
    return Planned(
        item,
        tuple(e.delivery.id for e in entries),
        versions,
        attempts=max(e.delivery.attempts for e in entries),
        unconfirmed=max(e.delivery.unconfirmed for e in entries),
        thread=entries[0].delivery.thread,
    )
