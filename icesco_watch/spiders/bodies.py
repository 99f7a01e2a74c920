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
from icesco_watch.spiders.nodes import NOISE, first_match, node_text

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
    return extract_body_from(sel, selectors, generic)[0]


def extract_body_from(
    sel: Selector, selectors: Sequence[str] = (), generic: GenericMode = "trafilatura"
) -> tuple[str, str]:
    """The article's text (as `extract_body`) and which step gave it (see `body_source`)."""
    paragraphs, source = body_source(sel, selectors, generic)
    return "\n\n".join(clean_paragraphs(paragraphs)), source


def body_paragraphs(
    sel: Selector, selectors: Sequence[str] = (), generic: GenericMode = "trafilatura"
) -> list[str]:
    return body_source(sel, selectors, generic)[0]


def body_source(
    sel: Selector, selectors: Sequence[str] = (), generic: GenericMode = "trafilatura"
) -> tuple[list[str], str]:
    """The body's paragraphs and which step gave them: "configured selector '.x'", the
    container ("container .entry-content"), "trafilatura", "densest block", or "none"."""
    container = first_match(sel, [*selectors, *BODY_CONTAINERS])
    if container:
        css, nodes = container
        paragraphs = _paragraphs(nodes[0])
        if paragraphs:
            configured = css in selectors
            return paragraphs, f"configured selector {css!r}" if configured else f"container {css}"
    if generic == "trafilatura" and (found := trafilatura_paragraphs(sel)):
        return found, "trafilatura"
    densest = densest_block(sel)
    return densest, "densest block" if densest else "none"


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
