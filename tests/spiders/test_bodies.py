"""Article bodies: containers first, trafilatura for unknown layouts, our densest block last."""

from __future__ import annotations

from parsel import Selector

from icesco_watch.spiders.bodies import body_paragraphs, extract_body

STORY = [
    "The Islamic World Educational, Scientific and Cultural Organization opened a training "
    "course for teachers of Arabic in Rabat on Monday, with forty participants.",
    "The course covers curriculum design, digital tools and assessment, and runs for two weeks "
    "with sessions every morning and workshops in the afternoon.",
    "Participants will receive certificates at a closing ceremony attended by partners.",
]
UNKNOWN_LAYOUT = (
    "<html><body><nav><a href='/'>Home</a> <a href='/en/'>News</a></nav>"
    "<div class='x-main'><h1>Course opens</h1><div class='x-meta'>March 3, 2025</div>"
    + "".join(f"<p>{p}</p>" for p in STORY)
    + "</div><footer><p>Copyright ICESCO. All rights reserved.</p></footer></body></html>"
)


def test_a_known_container_wins() -> None:
    page = Selector(
        text=f"<html><body><div class='entry-content'><p>{STORY[0]}</p></div>"
        f"<div><p>{STORY[1]}</p><p>{STORY[2]}</p></div></body></html>"
    )
    assert body_paragraphs(page) == [STORY[0]]


def test_trafilatura_reads_an_unknown_layout_without_chrome_or_date_lines() -> None:
    body = extract_body(Selector(text=UNKNOWN_LAYOUT))
    assert body.split("\n\n") == STORY


def test_the_densest_block_is_the_last_resort() -> None:
    assert body_paragraphs(Selector(text=UNKNOWN_LAYOUT), generic="densest") == STORY
    # Too little text for trafilatura: the densest block still finds it.
    tiny = Selector(text="<html><body><div><p>One line.</p></div></body></html>")
    assert body_paragraphs(tiny) == ["One line."]


def test_boilerplate_is_stripped_from_what_trafilatura_found() -> None:
    page = UNKNOWN_LAYOUT.replace(
        "</div><footer>",
        "<p>Overall, how satisfied are you about the website?</p></div><footer>",
    )
    assert "satisfied" not in extract_body(Selector(text=page))
