"""An article page's main text as plain paragraphs, without the site's boilerplate.

Order: configured selectors (`sources.selectors.body`), then the article containers WordPress
themes use (`.entry-content` ...), then a generic main-text extractor for pages without either:
trafilatura by default, our "densest block" (the element whose own <p> children hold the most
text) when trafilatura finds nothing. The translation disclaimer and feedback widget are
stripped from whatever was found (boilerplate.py). bench/bodies_eval.py measures the generic
step on trafilatura's public benchmark; see bench/README.md.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Literal

import trafilatura
from lxml.html import HtmlElement
from parsel import Selector

from icesco_watch.spiders.boilerplate import clean_paragraphs
from icesco_watch.spiders.dates import find_visible_date
from icesco_watch.spiders.nodes import NOISE, node_text, select_first

GenericMode = Literal["trafilatura", "densest"]
_DATE_LINE = 40  # characters: longer lines with a date in them are sentences
BODY_CONTAINERS = (
    "[itemprop=articleBody]",
    ".elementor-widget-theme-post-content",
    ".entry-content",
    ".td-post-content",
    ".post-content",
    "article .content",
)


def extract_body(
    sel: Selector, selectors: Sequence[str] = (), generic: GenericMode = "trafilatura"
) -> str:
    """The article's text: paragraphs separated by a blank line, boilerplate removed."""
    return "\n\n".join(clean_paragraphs(body_paragraphs(sel, selectors, generic)))


def body_paragraphs(
    sel: Selector, selectors: Sequence[str] = (), generic: GenericMode = "trafilatura"
) -> list[str]:
    container = select_first(sel, [*selectors, *BODY_CONTAINERS])
    if container:
        paragraphs = _paragraphs(container[0])
        if paragraphs:
            return paragraphs
    if generic == "trafilatura" and (found := trafilatura_paragraphs(sel)):
        return found
    return densest_block(sel)


def trafilatura_paragraphs(sel: Selector) -> list[str]:
    """trafilatura's main text of the page, one paragraph per line it returns. It is given a
    copy of the tree (it prunes what it is given), never a string (no chance of a download)."""
    root = sel.root
    if not isinstance(root, HtmlElement):
        return []
    try:
        text = trafilatura.extract(
            copy.deepcopy(root),
            include_comments=False,
            include_tables=False,
            with_metadata=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, RecursionError):  # a page too broken for it
        return []
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    return [line for line in lines if line and not _is_date_line(line)]


def _is_date_line(text: str) -> bool:
    """A short line holding a date ("February 10, 2022 March 1, 2022", a byline): page
    metadata that trafilatura keeps and a body should not start with."""
    return len(text) <= _DATE_LINE and find_visible_date(text) is not None


def _paragraphs(node: Selector) -> list[str]:
    blocks = node.xpath(".//p | .//li[not(.//p)] | .//h2 | .//h3 | .//blockquote[not(.//p)]")
    texts = [node_text(b) for b in blocks if not b.xpath(f"ancestor::*[{NOISE}]")]
    if not texts:
        texts = [t for t in (node_text(node),) if t]
    return [t for t in texts if t]


def densest_block(sel: Selector) -> list[str]:
    """Our generic extractor: the element whose own <p> children hold the most text."""
    best: list[str] = []
    best_size = 0
    for parent in sel.xpath(f"//*[p][not(ancestor-or-self::*[{NOISE}])]"):
        texts = [t for t in (node_text(p) for p in parent.xpath("./p")) if t]
        size = sum(len(t) for t in texts)
        if size > best_size:
            best, best_size = texts, size
    return best
