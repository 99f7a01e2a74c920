"""Cross-validation folds: a story's versions, or a week's items, never straddle two folds."""

from __future__ import annotations

from icesco_watch.tagging.corpus import RealItem
from icesco_watch.tagging.folds import assign, group_keys, read_links, week_key


def item(n: int, url: str, published: str) -> RealItem:
    return RealItem(f"en-{n:04d}", url, "en", published, "t", "l", "", (), frozenset(), "", (), "")


def test_linked_versions_share_a_fold_whatever_the_order_of_links() -> None:
    items = [item(n, f"https://x/{n}", "2024-05-1{n}") for n in range(8)]
    links = [("https://x/3", "https://x/1"), ("https://x/5", "https://x/3"), ("https://x/9", "y")]
    keys = group_keys(items, "story", links)
    assert keys[1] == keys[3] == keys[5] == "https://x/1"
    assert len(set(keys)) == 6  # 0, {1, 3, 5}, 2, 4, 6, 7
    for k in (2, 3, 5, 7):
        folds = assign(keys, k)
        assert folds[1] == folds[3] == folds[5]
        assert set(folds) <= set(range(k))
    assert group_keys(items, "story", reversed(links)) == keys


def test_a_week_is_one_group_and_an_unknown_date_its_own() -> None:
    monday, sunday, next_monday = (
        item(1, "a", "2024-05-13"),
        item(2, "b", "2024-05-19"),
        item(3, "c", "2024-05-20"),
    )
    assert week_key(monday) == week_key(sunday) == "2024-W20" != week_key(next_monday)
    assert week_key(item(4, "d", "")) == "en-0004"
    assert group_keys([monday, sunday], "item") == ["en-0001", "en-0002"]


def test_the_shipped_links_are_read() -> None:
    links = read_links()
    assert links
    assert all(a.startswith("https://") and b.startswith("https://") for a, b in links)
