"""One alert per story in the outbox: which deliveries join another's message, and their state.

When a version of a story is queued for a chat that already has an alert (pending or sent) for
another language's version, the routing core (`routing.join_story`) decides whether it joins
that alert; this module gathers what the core needs (the chat's alerts for the item's linked
versions, `item_links`) and keeps the decision in `story_alerts` (delivery -> root delivery).
The sender reads it back (`story_states`) to send one message listing the versions ("Also in"),
or to edit the message already sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, or_, select

from icesco_watch.routing import ChatStory, join_story
from icesco_watch.store.schema import deliveries, item_links, items, story_alerts

_LIVE = ("pending", "sent")


@dataclass(frozen=True, slots=True)
class Queued:
    """A delivery just added to the outbox."""

    id: int
    item_key: str
    chat: str
    thread: int = 0  # the forum topic; a story joins only within one (chat, topic)


@dataclass(frozen=True, slots=True)
class Version:
    """One delivery of a story: its language and address, and where it stands."""

    delivery_id: int
    lang: str
    url: str
    status: str


@dataclass(frozen=True, slots=True)
class StoryState:
    """A story's alert in one chat: the root delivery (whose item heads the message), how it
    stands, and the versions that joined it."""

    root: int
    item_key: str
    status: str
    message_id: int | None
    # The root went out inside a digest: its message lists other items and is not edited.
    in_digest: bool
    members: tuple[Version, ...]


def join_stories(conn: Connection, added: Sequence[Queued]) -> int:
    """Record, for each delivery just queued, whether it joins the alert of another version of
    its story in the same chat (the routing core decides); returns how many joined."""
    if not added:
        return 0
    keys = sorted({q.item_key for q in added})
    linked: dict[str, set[str]] = {}
    for start in range(0, len(keys), 500):
        query = select(item_links.c.item_key, item_links.c.other_key).where(
            item_links.c.item_key.in_(keys[start : start + 500])
        )
        for key, other in conn.execute(query):
            linked.setdefault(key, set()).add(other)
    wanted = [q for q in added if q.item_key in linked]
    if not wanted:
        return 0
    others = sorted({o for q in wanted for o in linked[q.item_key]})
    chats_ = sorted({q.chat for q in wanted})
    # The chats' deliveries of the linked versions, with the story each belongs to.
    query = (
        select(
            deliveries.c.id,
            deliveries.c.item_key,
            deliveries.c.chat,
            deliveries.c.thread,
            story_alerts.c.root_id,
        )
        .outerjoin(story_alerts, story_alerts.c.delivery_id == deliveries.c.id)
        .where(deliveries.c.item_key.in_(others), deliveries.c.chat.in_(chats_))
    )
    # (chat, topic, item key) -> root delivery
    root_of: dict[tuple[str, int, str], int] = {}
    for row in conn.execute(query):
        where = (row.chat, row.thread, row.item_key)
        root_of[where] = row.root_id if row.root_id is not None else row.id
    roots = sorted(set(root_of.values()))
    langs, live = _stories(conn, roots)
    item_langs = dict(
        conn.execute(select(items.c.key, items.c.lang).where(items.c.key.in_(keys))).all()
    )
    joined: list[dict[str, int]] = []
    for queued in sorted(wanted, key=lambda q: q.id):
        found = {
            root_of[(queued.chat, queued.thread, o)]
            for o in linked[queued.item_key]
            if (queued.chat, queued.thread, o) in root_of
        }
        # Only an older delivery can be a root: two versions queued together never join each
        # other both ways.
        stories = [
            ChatStory(root, frozenset(langs.get(root, ())), live.get(root, False))
            for root in found
            if root < queued.id
        ]
        root = join_story(item_langs[queued.item_key], stories)
        if root is None:
            continue
        joined.append({"delivery_id": queued.id, "root_id": root})
        langs.setdefault(root, set()).add(item_langs[queued.item_key])
    if joined:
        conn.execute(insert(story_alerts), joined)
    return len(joined)


def _stories(conn: Connection, roots: Sequence[int]) -> tuple[dict[int, set[str]], dict[int, bool]]:
    """Each root's languages (its own and its members') and whether its alert is alive."""
    langs: dict[int, set[str]] = {}
    live: dict[int, bool] = {}
    if not roots:
        return langs, live
    query = (
        select(deliveries.c.id, deliveries.c.status, items.c.lang, story_alerts.c.root_id)
        .join(items, items.c.key == deliveries.c.item_key)
        .outerjoin(story_alerts, story_alerts.c.delivery_id == deliveries.c.id)
        .where(or_(deliveries.c.id.in_(roots), story_alerts.c.root_id.in_(roots)))
    )
    for row in conn.execute(query):
        root = row.root_id if row.root_id is not None else row.id
        if row.root_id is None:
            live[root] = row.status in _LIVE
        if row.root_id is None or row.status in _LIVE:
            langs.setdefault(root, set()).add(row.lang)
    return langs, live


def story_states(
    conn: Connection, ids: Sequence[int]
) -> tuple[dict[int, int], dict[int, StoryState]]:
    """For deliveries `ids`: which of them joined another's alert (delivery -> root), and the
    state of every story they head or joined, by root."""
    root_of: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        query = select(story_alerts.c.delivery_id, story_alerts.c.root_id).where(
            story_alerts.c.delivery_id.in_(list(ids[start : start + 500]))
        )
        root_of.update((d, r) for d, r in conn.execute(query))
    candidates = sorted(set(root_of.values()) | (set(ids) - set(root_of)))
    members: dict[int, list[Version]] = {}
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        query = (
            select(
                story_alerts.c.root_id,
                deliveries.c.id,
                deliveries.c.status,
                items.c.lang,
                items.c.url,
            )
            .join(deliveries, deliveries.c.id == story_alerts.c.delivery_id)
            .join(items, items.c.key == deliveries.c.item_key)
            .where(story_alerts.c.root_id.in_(chunk))
            .order_by(items.c.lang, deliveries.c.id)
        )
        for row in conn.execute(query):
            members.setdefault(row.root_id, []).append(
                Version(row.id, row.lang, row.url, row.status)
            )
    heads = sorted(members)
    states: dict[int, StoryState] = {}
    for start in range(0, len(heads), 500):
        query = select(
            deliveries.c.id,
            deliveries.c.item_key,
            deliveries.c.chat,
            deliveries.c.status,
            deliveries.c.message_id,
        ).where(deliveries.c.id.in_(heads[start : start + 500]))
        for row in conn.execute(query):
            states[row.id] = StoryState(
                row.id,
                row.item_key,
                row.status,
                row.message_id,
                _in_digest(conn, row.chat, row.message_id),
                tuple(members[row.id]),
            )
    return root_of, states


def _in_digest(conn: Connection, chat: str, message_id: int | None) -> bool:
    if message_id is None:
        return False
    query = select(deliveries.c.id).where(
        deliveries.c.chat == chat,
        deliveries.c.message_id == message_id,
        deliveries.c.id.not_in(select(story_alerts.c.delivery_id)),
    )
    return len(conn.execute(query.limit(2)).all()) > 1
