"""The OPML subscription list (`/feeds.opml`): every feed, grouped by language, for import."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.build import clean_line
from icesco_watch.feeds.catalog import FEED_LANGS, LANG_LABELS, feed_specs

OPML_TITLE = "ICESCO news feeds (icesco-watch)"


def render_opml(settings: Settings, base: str) -> bytes:
    """OPML 2.0 listing each feed's RSS version (an Atom twin of every feed exists at the same
    path with `.atom`; listing both would subscribe an importing reader twice)."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = OPML_TITLE
    body = ET.SubElement(opml, "body")
    specs = feed_specs(settings)
    for lang in FEED_LANGS:
        group = ET.SubElement(body, "outline", text=LANG_LABELS["en"][lang].capitalize())
        for spec in specs:
            if spec.lang != lang:
                continue
            title = clean_line(spec.title(settings))
            attributes = {
                "type": "rss",
                "text": title,
                "title": title,
                "xmlUrl": f"{base}/{spec.path('rss')}",
                "htmlUrl": f"{base}/",
            }
            if spec.lang != "all":
                attributes["language"] = spec.lang
            ET.SubElement(group, "outline", attributes)
    ET.indent(opml)
    document: bytes = ET.tostring(opml, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
