"""Article bodies: containers first, trafilatura for unknown layouts, our densest block last."""

from __future__ import annotations

import pytest
from parsel import Selector

from icesco_watch.spiders.bodies import body_paragraphs, extract_body
from icesco_watch.spiders.boilerplate import clean_paragraphs

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


AR_STORY = [
    "افتتحت المنظمة في الرباط ورشة تدريبية لفائدة أمناء المكتبات من عشر دول أعضاء.",
    "وتتناول الورشة رقمنة المخطوطات وفهرستها وإتاحتها للباحثين عبر الإنترنت.",
]
# The feedback widget's lines (the site's UI labels), as icesco.org shows them in each language,
# and as the replica's Arabic classic layout words them.
WIDGETS = {
    "en, icesco.org": (
        "your opinion",
        "User Feedback",
        "Overall, how satisfied are you about the website?",
        "Extremely dissatisfied Extremely satisfied",
    ),
    "fr, icesco.org": (
        "votre avis",
        "Commentaires des utilisateurs",
        "Dans l’ensemble, dans quelle mesure êtes-vous satisfait du site Web ?",
        "Très insatisfait Très Satisfait",
    ),
    "ar, icesco.org": (
        "رأيك",
        "تعليقات المستخدمين",
        "بشكل عام، ما مدى رضاك عن الموقع؟",
        "غير راض للغاية راض لأقصى درجة",
    ),
    "ar, replica": (
        "رأيك",
        "تعليقات المستخدمين",
        "بشكل عام، ما مدى رضاك عن الموقع الإلكتروني؟",
        "غير راض على الإطلاق راض تماما",
    ),
    "ar, latin question mark": ("بشكل عام, ما مدى رضاك عن الموقع?", "غير راضٍ تماماً راضٍ تماماً"),
}


@pytest.mark.parametrize("widget", WIDGETS.values(), ids=WIDGETS.keys())
def test_the_feedback_widget_inside_a_classic_article_is_stripped(widget: tuple[str, ...]) -> None:
    page = (
        "<html><body><div class='td-post-content tagdiv-type'>"
        + "".join(f"<p>{p}</p>" for p in [*AR_STORY, *widget])
        + "</div></body></html>"
    )
    assert extract_body(Selector(text=page)).split("\n\n") == AR_STORY


def test_the_arabic_widget_run_together_with_a_paragraph_is_cut_out_of_it() -> None:
    run = f"{AR_STORY[1]} بشكل عام، ما مدى رضاك عن الموقع؟ غير راض للغاية راض لأقصى درجة"
    assert clean_paragraphs([AR_STORY[0], run]) == AR_STORY


def test_arabic_sentences_about_a_website_or_an_opinion_are_kept() -> None:
    story = [
        "أطلقت المنظمة الموقع الإلكتروني الجديد للمسابقة.",
        "وقال رئيس اللجنة مخاطبا المشاركين: رأيك في برنامج الدورة يهمنا.",
        "بشكل عام، حققت الدورة أهدافها، وأبدى المشاركون رضاهم عن الموقع المختار لها.",
    ]
    assert clean_paragraphs(story) == story
