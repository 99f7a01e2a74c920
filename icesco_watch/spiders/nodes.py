"""Helpers over parsel nodes that every extractor shares: a node's text, the first matching
configured selector (and which one it was), and the XPath test for page chrome (menus,
headers, scripts)."""

from __future__ import annotations

from collections.abc import Sequence

from parsel import Selector, SelectorList

_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
)
NOISE = " or ".join(f"self::{tag}" for tag in _NOISE_TAGS)  # an XPath test: "is page chrome"


def select_first(sel: Selector, selectors: Sequence[str]) -> SelectorList[Selector] | None:
    """The nodes of the first selector in `selectors` that matches anything."""
    first = first_match(sel, selectors)
    return first[1] if first else None


def first_match(
    sel: Selector, selectors: Sequence[str]
) -> tuple[str, SelectorList[Selector]] | None:
    """The first selector in `selectors` that matches anything, and its nodes (so a caller
    can say which selector gave a field)."""
    for css in selectors:
        found = sel.css(css)
        if found:
            return css, found
    return None


def node_text(node: Selector) -> str:
    """All the text under `node`, whitespace collapsed."""
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())
