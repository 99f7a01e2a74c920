"""A feed entry's other-language versions of its story, for feed readers (feedgen extension).

Atom: one `<link rel="alternate" hreflang="ar" type="text/html" href="…"/>` per linked version.
RSS 2.0 has one link per item, so each version is an `<atom:link>` of the same shape (the Atom
namespace feedgen declares on every RSS feed; feedparser reads it into the entry's links), and
the description ends with a line of links for readers that show only the description.

The extension, not feedgen's own `entry.link(hreflang=…)`: feedgen 1.0 writes an entry's links
without their `rel`, `type` or `hreflang` attributes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

from icesco_watch.notifiers.telegram.format import ALSO_IN, LANG_NAMES

NAMESPACE = "icesco_versions"
ATOM = "http://www.w3.org/2005/Atom"

Versions = Sequence[tuple[str, str]]  # (lang, url) of each other version


class VersionsFeed(BaseExtension):  # type: ignore[misc]
    """Nothing at the feed level: the versions belong to entries."""


class VersionsEntry(BaseEntryExtension):  # type: ignore[misc]
    """Holds an entry's versions and writes them into its Atom entry or RSS item."""

    def __init__(self) -> None:
        self.versions: Versions = ()

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        # feedgen writes Atom elements without a namespace under a default-namespace root.
        _links(entry, "link", self.versions)
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        _links(item, f"{{{ATOM}}}link", self.versions)
        return item


def _links(parent: etree._Element, tag: str, versions: Versions) -> None:
    # Before the entry's own <link>: readers (feedparser) take the last alternate as the link.
    own = next((child for child in parent if child.tag == "link"), None)
    at = len(parent) if own is None else parent.index(own)
    for offset, (lang, url) in enumerate(versions):
        link = etree.Element(tag, href=url, rel="alternate", type="text/html", hreflang=lang)
        parent.insert(at + offset, link)


def versions_line(versions: Versions) -> str:
    """The description's last line, as HTML: "Also in: <a href=…>العربية</a> · …"."""
    links = [
        f'<a href="{html.escape(url)}" hreflang="{html.escape(lang)}">'
        f"{html.escape(LANG_NAMES.get(lang, lang))}</a>"
        for lang, url in versions
    ]
    return ALSO_IN.format(links=" · ".join(links)) if links else ""
