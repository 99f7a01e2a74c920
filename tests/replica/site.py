"""Page generator of the icesco.org replica: pure data -> HTML bytes, deterministic per state."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from urllib.parse import quote

from .articles import ARTICLES, FEATURED_KEY, FEATURED_STATES, STATES, Article

HOST = "icesco.org"
ORIGIN = "http://icesco.org"
PER_PAGE = 6
AR_NEWS_SLUG = "%D8%A7%D9%84%D9%85%D8%B3%D8%AA%D8%AC%D8%AF%D8%A7%D8%AA"
LISTINGS: dict[str, str] = {
    "en": "/en/category/news/",
    "fr": "/fr/category/actualites/",
    "ar": f"/ar/category/{AR_NEWS_SLUG}/",
}
DEFAULT_TIME = "08:00"

ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\nDisallow: /en/private/\n"

DISCLAIMER = (
    "Disclaimer: You are using Google Translate. The ICESCO is not responsible for the accuracy "
    "of the information in the translated language ."
)

EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
FR_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
AR_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
    "نوفمبر", "ديسمبر",
)  # fmt: skip

# Interface strings per language. The feedback widget labels are the site's own UI text.
UI: dict[str, dict[str, str]] = {
    "en": {
        "html_lang": "en-US", "dir": "ltr", "og_locale": "en_US", "home": "Home",
        "news": "News", "read_more": "Read more »", "next": "Next »", "prev": "« Previous",
        "related": "Related posts", "share": "Share", "categories": "Categories",
        "comments": "No Comments", "featured": "Featured", "load_more": "Load more",
        "nf_title": "Page not found", "nf_text": "Oops! That page can’t be found.",
        "nf_hint": "It looks like nothing was found at this location. Maybe try a search?",
        "fb_open": "your opinion", "fb_title": "User Feedback",
        "fb_question": "Overall, how satisfied are you about the website?",
        "fb_low": "Extremely Dissatisfied", "fb_high": "Extremely Satisfied", "fb_send": "Send",
        "about": "About ICESCO", "contact": "Contact us", "search": "Search",
        "expertise": "Areas of expertise", "goals": "Our goals", "events": "Events",
        "downloads": "Publications", "follow": "Follow us", "rights": "All rights reserved",
    },
    "fr": {
        "html_lang": "fr-FR", "dir": "ltr", "og_locale": "fr_FR", "home": "Accueil",
        "news": "Actualités", "read_more": "Lire la suite", "next": "Suivant »",
        "prev": "« Précédent", "related": "Articles similaires", "share": "Partager",
        "categories": "Catégories", "comments": "Aucun commentaire", "featured": "À la une",
        "load_more": "Voir plus", "nf_title": "Page non trouvée",
        "nf_text": "Oups ! Cette page est introuvable.",
        "nf_hint": "Rien n'a été trouvé à cette adresse. Essayez une recherche ?",
        "fb_open": "votre avis", "fb_title": "Avis des utilisateurs",
        "fb_question": "Dans l'ensemble, quel est votre degré de satisfaction à l'égard du site ?",
        "fb_low": "Très insatisfait", "fb_high": "Très satisfait", "fb_send": "Envoyer",
        "about": "À propos de l'ICESCO", "contact": "Contact", "search": "Rechercher",
        "expertise": "Domaines d'expertise", "goals": "Nos objectifs", "events": "Événements",
        "downloads": "Publications", "follow": "Suivez-nous", "rights": "Tous droits réservés",
    },
    "ar": {
        "html_lang": "ar", "dir": "rtl", "og_locale": "ar_AR", "home": "الرئيسية",
        "news": "المستجدات", "read_more": "اقرأ المزيد »", "next": "التالي »",
        "prev": "« السابق", "related": "أخبار ذات صلة", "share": "شارك",
        "categories": "التصنيفات", "comments": "لا توجد تعليقات", "featured": "مميز",
        "load_more": "تحميل المزيد", "nf_title": "الصفحة غير موجودة",
        "nf_text": "عذرا، لم يتم العثور على هذه الصفحة.",
        "nf_hint": "يبدو أنه لا يوجد شيء في هذا الرابط. جرب البحث.",
        "fb_open": "رأيك", "fb_title": "تعليقات المستخدمين",
        "fb_question": "بشكل عام، ما مدى رضاك عن الموقع الإلكتروني؟",
        "fb_low": "غير راض على الإطلاق", "fb_high": "راض تماما", "fb_send": "إرسال",
        "about": "عن الإيسيسكو", "contact": "اتصل بنا", "search": "بحث",
        "expertise": "مجالات الاختصاص", "goals": "أهدافنا", "events": "الفعاليات",
        "downloads": "الإصدارات", "follow": "تابعونا", "rights": "جميع الحقوق محفوظة",
    },
}  # fmt: skip

# Links that are NOT articles, shown in sidebars of listing pages: (href, label).
SIDEBAR: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("/en/areas_of_expertise/education/", "Education"),
        ("/en/areas_of_expertise/science-and-technology/", "Science and Technology"),
        ("/en/goal/quality-education-for-all/", "Quality education for all"),
        ("/en/category/education/", "Education news"),
        ("/en/category/director-general/", "Director-General"),
        ("/en/category/front-pagenewsuncategorized/", "Front page"),
        ("http://events.example.org/en/2024/05/15/fake/", "ICESCO Week microsite"),
        ("/en/wp-content/uploads/2024/05/file.pdf", "Annual report (PDF)"),
    ),
    "fr": (
        ("/fr/areas_of_expertise/education/", "Éducation"),
        ("/fr/goal/education-de-qualite-pour-tous/", "Éducation de qualité pour tous"),
        ("/fr/category/a-la-une/", "À la une"),
        ("/fr/category/directeur-general/", "Directeur général"),
        ("/fr/category/a-la-uneactualites/", "À la une – Actualités"),
        ("http://events.example.org/fr/2024/05/15/fake/", "Semaine de l'ICESCO"),
        ("/fr/wp-content/uploads/2024/05/rapport.pdf", "Rapport annuel (PDF)"),
    ),
    "ar": (
        ("/ar/areas_of_expertise/education/", "التربية"),
        ("/ar/goal/quality-education/", "تعليم جيد للجميع"),
        ("/ar/category/%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3%D8%A9/", "الرئيسة"),
        ("/ar/category/%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D8%B1-%D8%A7%D9%84%D8%B9%D8%A7%D9%85/",
         "المدير العام"),
        ("http://events.example.org/ar/2024/05/15/fake/", "أسبوع الإيسيسكو"),
        ("/ar/wp-content/uploads/2024/05/file.pdf", "التقرير السنوي (PDF)"),
    ),
}  # fmt: skip

SOCIAL = (
    ("https://www.facebook.com/ICESCO.en", "Facebook"),
    ("https://x.com/ICESCO_en", "X"),
    ("https://www.youtube.com/@ICESCO", "YouTube"),
    ("https://www.instagram.com/icesco_en/", "Instagram"),
)


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=UTF-8"
    status: int = 200
    location: str | None = None
    etag: bool = True  # False: the server sends Last-Modified only (French listing pages)


# ---------------------------------------------------------------- helpers


def post_id(article: Article) -> int:
    """A stable WordPress-like post id (shared by the edited revision of an article)."""
    return 10000 + int(hashlib.sha1(article.expected_key.encode()).hexdigest()[:6], 16) % 90000


def lower_hex(path: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), path)


def visible_date(article: Article) -> str:
    d = article.date
    if article.lang == "fr":
        return f"{d.day} {FR_MONTHS[d.month - 1]} {d.year}"
    if article.lang == "ar":
        return f"{d.day} {AR_MONTHS[d.month - 1]} {d.year}"
    if article.theme == "classic":
        return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def published_iso(article: Article) -> str:
    return f"{article.date.isoformat()}T{article.time or DEFAULT_TIME}:00+00:00"


def modified_iso(article: Article) -> str:
    return f"{(article.date + timedelta(days=2)).isoformat()}T14:05:00+00:00"


def image_url(article: Article) -> str:
    folder = f"{ORIGIN}/{article.lang}/wp-content/uploads/{article.date:%Y/%m}"
    return f"{folder}/news-{post_id(article)}.jpg"


def link_forms(path: str) -> tuple[str, ...]:
    """Every spelling of the same article link seen on the real listings."""
    return (
        ORIGIN + path,
        f"http://www.{HOST}{path}",
        ORIGIN + path.rstrip("/"),
        path,
        f"{ORIGIN}{path}?utm_source=newsletter&utm_medium=email&utm_campaign=weekly",
        f"{path}#comments",
    )


def a(href: str, text: str, attrs: str = "") -> str:
    extra = f" {attrs}" if attrs else ""
    return f'<a href="{escape(href)}"{extra}>{escape(text)}</a>'


def excerpt(article: Article) -> tuple[str, ...]:
    first = article.paragraphs[0]
    return (first, article.paragraphs[1]) if len(first) < 160 else (first,)


def disclaimer_html() -> str:
    return (
        f'<div class="gt-disclaimer" id="google-translate-notice"><p>{escape(DISCLAIMER)}</p></div>'
    )


def feedback_html(lang: str) -> str:
    ui = UI[lang]
    radios = "".join(
        f'<input type="radio" name="fb_score" value="{n}" aria-label="{n}">' for n in range(1, 6)
    )
    return f"""<div class="feedback-widget" id="user-feedback">
<button type="button" class="feedback-toggle">{escape(ui["fb_open"])}</button>
<div class="feedback-panel" hidden>
<h4 class="feedback-title">{escape(ui["fb_title"])}</h4>
<p class="feedback-question">{escape(ui["fb_question"])}</p>
<div class="feedback-scale">{radios}</div>
<div class="feedback-labels"><span>{escape(ui["fb_low"])}</span>
<span>{escape(ui["fb_high"])}</span></div>
<button type="submit" class="feedback-send">{escape(ui["fb_send"])}</button>
</div>
</div>"""


def nav_html(lang: str) -> str:
    ui = UI[lang]
    items = (
        (f"/{lang}/", ui["home"]),
        (f"/{lang}/about-icesco/", ui["about"]),
        (LISTINGS[lang], ui["news"]),
        (f"/{lang}/areas_of_expertise/education/", ui["expertise"]),
        (f"/{lang}/contact-us/", ui["contact"]),
    )
    menu = "".join(f'<li class="menu-item">{a(h, t)}</li>' for h, t in items)
    switch = " ".join(
        a(f"/{code}/", name, f'hreflang="{code}"')
        for code, name in (("en", "English"), ("fr", "Français"), ("ar", "العربية"))
        if code != lang
    )
    return f"""<nav class="main-navigation" aria-label="Menu"><ul class="menu">{menu}</ul></nav>
<div class="lang-switcher">{switch}</div>
<form class="search-form" action="/{lang}/" method="get">
<input type="search" name="s" placeholder="{escape(ui["search"])}"></form>"""


def social_html(lang: str) -> str:
    attrs = 'target="_blank" rel="noopener"'
    links = "".join(f"<li>{a(h, t, attrs)}</li>" for h, t in SOCIAL)
    label = escape(UI[lang]["follow"])
    return f'<div class="social-links"><span>{label}</span><ul>{links}</ul></div>'


def sidebar_html(lang: str, with_events: bool = True) -> str:
    ui = UI[lang]
    links = "".join(
        f"<li>{a(h, t)}</li>"
        for h, t in SIDEBAR[lang]
        if with_events or "events.example.org" not in h
    )
    return f"""<aside class="sidebar widget-area" role="complementary">
<section class="widget widget_links"><h2 class="widget-title">{escape(ui["expertise"])}</h2>
<ul>{links}</ul></section>
{social_html(lang)}
</aside>"""


def footer_html(lang: str) -> str:
    ui = UI[lang]
    return f"""<footer class="site-footer">
<ul class="footer-menu"><li>{a(f"/{lang}/contact-us/", ui["contact"])}</li>
<li>{a(f"/{lang}/privacy-policy/", "Privacy")}</li>
<li>{a(f"/{lang}/private/staff/", "Intranet")}</li></ul>
{social_html(lang)}
<p class="copyright">© 2025 ICESCO. {escape(ui["rights"])}.</p>
</footer>"""


def document(lang: str, title: str, head: str, body_class: str, body: str) -> bytes:
    ui = UI[lang]
    return f"""<!DOCTYPE html>
<html lang="{ui["html_lang"]}" dir="{ui["dir"]}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="alternate" type="application/rss+xml" title="ICESCO » Feed" href="{ORIGIN}/{lang}/feed/">
<link rel="https://api.w.org/" href="{ORIGIN}/{lang}/wp-json/">
{head}
</head>
<body class="{body_class}">
{disclaimer_html()}
<header class="site-header" id="masthead">
<div class="site-branding">{a(f"/{lang}/", "ICESCO", 'rel="home"')}</div>
{nav_html(lang)}
</header>
{body}
{footer_html(lang)}
<script src="/{lang}/wp-includes/js/jquery/jquery.min.js"></script>
</body>
</html>
""".encode()


# ---------------------------------------------------------------- listings


def modern_card(article: Article, index: int, sticky: bool = False) -> str:
    ui = UI[article.lang]
    title_forms = link_forms(article.path)
    # Arabic: the "Read more" link spells the slug with lower-case hex.
    more_path = lower_hex(article.path) if article.lang == "ar" else article.path
    more_forms = link_forms(more_path)
    title_href = title_forms[index % len(title_forms)]
    more_href = more_forms[(index + 3) % len(more_forms)]
    cls = "elementor-post elementor-grid-item post type-post status-publish format-standard"
    if sticky:
        cls += " sticky elementor-post--sticky"
    badge = f'<div class="elementor-post__badge">{escape(ui["featured"])}</div>' if sticky else ""
    comments = ""
    if index % 2 == 0:
        comments = (
            '<div class="elementor-post__meta-data"><span class="elementor-post-comments">'
            f"{a(article.path + '#comments', ui['comments'])}</span></div>"
        )
    paras = "".join(f"<p>{escape(p)}</p>" for p in excerpt(article))
    return f"""<article class="{cls} post-{post_id(article)}">
<a class="elementor-post__thumbnail__link" href="{escape(article.path)}" tabindex="-1">
<div class="elementor-post__thumbnail">
<img width="768" height="432" src="{image_url(article)}" alt="" loading="lazy"></div></a>
<div class="elementor-post__text">{badge}
<h3 class="elementor-post__title">{a(title_href, article.title)}</h3>
{comments}
<div class="elementor-post__excerpt">{paras}</div>
{a(more_href, ui["read_more"], 'class="elementor-post__read-more" aria-hidden="true"')}
</div>
</article>"""


def page_url(lang: str, number: int) -> str:
    base = ORIGIN + LISTINGS[lang]
    return base if number == 1 else f"{base}page/{number}/"


def modern_pagination(lang: str, number: int, last: int) -> str:
    ui = UI[lang]
    parts: list[str] = []
    if number > 1:
        parts.append(a(page_url(lang, number - 1), ui["prev"], 'class="prev page-numbers"'))
    for n in range(1, last + 1):
        if n == number:
            parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            parts.append(a(page_url(lang, n), str(n), 'class="page-numbers"'))
    if number < last:
        parts.append(a(page_url(lang, number + 1), ui["next"], 'class="next page-numbers"'))
    return (
        '<nav class="elementor-pagination" role="navigation" aria-label="Pagination">'
        + "\n".join(parts)
        + "</nav>"
    )


def modern_listing(
    lang: str, items: Sequence[Article], number: int, last: int, sticky: Article | None
) -> bytes:
    ui = UI[lang]
    cards = [modern_card(sticky, 0, sticky=True)] if sticky else []
    cards += [modern_card(art, i) for i, art in enumerate(items)]
    body = f"""<div class="elementor-location-archive">
{feedback_html(lang)}
<main class="site-main" id="content">
<div class="elementor-widget-theme-archive-title">
<h1 class="elementor-heading-title">{escape(ui["news"])}</h1></div>
<div class="elementor-posts-container elementor-posts elementor-grid elementor-posts--skin-classic">
{"".join(cards)}
</div>
{modern_pagination(lang, number, last)}
</main>
{sidebar_html(lang)}
</div>"""
    title = f"{ui['news']} - ICESCO" if number == 1 else f"{ui['news']} - Page {number} - ICESCO"
    head = f'<link rel="canonical" href="{escape(page_url(lang, number))}">'
    return document(lang, title, head, f"archive category category-news paged-{number}", body)


def classic_listing(lang: str, items: Sequence[Article], number: int, last: int) -> bytes:
    ui = UI[lang]
    blocks: list[str] = []
    for i, art in enumerate(items):
        forms = link_forms(art.path)
        title_href, thumb_href = forms[i % len(forms)], forms[(i + 2) % len(forms)]
        blocks.append(f"""<div class="td_module_10 td_module_wrap td-animation-stack">
<div class="td-module-thumb">
<a href="{escape(thumb_href)}" rel="bookmark" class="td-image-wrap" title="{escape(art.title)}">
<img class="entry-thumb" src="{image_url(art)}" alt="" width="218" height="150"></a></div>
<div class="item-details">
<h3 class="entry-title td-module-title">{a(title_href, art.title, 'rel="bookmark"')}</h3>
<div class="td-excerpt">{escape(" ".join(excerpt(art)))}</div>
</div>
</div>""")
    nav = []
    for n in range(1, last + 1):
        if n == number:
            nav.append(f'<span class="current">{n}</span>')
        else:
            nav.append(f'<a href="{escape(page_url(lang, n))}" class="page" title="{n}">{n}</a>')
    body = f"""<div class="td-main-content-wrap td-container-wrap">
{feedback_html(lang)}
<div class="td-category-header">
<h1 class="entry-title td-page-title">{escape(ui["news"])}</h1></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">
{"".join(blocks)}
<div class="page-nav td-pb-padding-side">{"".join(nav)}</div>
</div></div>
<div class="td-pb-span4 td-main-sidebar">{sidebar_html(lang)}</div></div>
</div>"""
    title = f"{ui['news']} Archives - ICESCO"
    if number > 1:
        title = f"{ui['news']} Archives - Page {number} of {last} - ICESCO"
    return document(lang, title, "", f"archive category td-standard-pack paged-{number}", body)


def redesign_listing(lang: str, items: Sequence[Article], number: int, last: int) -> bytes:
    """New front-end: cards link to ``/?p=ID`` and the list is also shipped as JS data."""
    ui = UI[lang]
    cards = "".join(
        f"""<div class="news-card" data-post-id="{post_id(art)}"
 onclick="location.href='/?p={post_id(art)}'">
<h3 class="news-card__title"><a href="/?p={post_id(art)}">{escape(art.title)}</a></h3>
<p class="news-card__summary">{escape(art.paragraphs[0])}</p>
</div>"""
        for art in items
    )
    data = {
        "page": number,
        "pages": last,
        "items": [{"id": post_id(art), "title": art.title} for art in items],
    }
    blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    body = f"""<div id="news-app" class="news-app">
{feedback_html(lang)}
<main class="news-app__main"><h1 class="news-app__title">{escape(ui["news"])}</h1>
<div class="news-grid">{cards}</div>
<button type="button" class="news-app__more" data-next-page="{number + 1 if number < last else ""}">
{escape(ui["load_more"])}</button>
</main>
{sidebar_html(lang, with_events=False)}
</div>
<script>window.__ICESCO_NEWS__ = {blob};</script>
<script src="/{lang}/wp-content/themes/icesco-2025/app.js" defer></script>"""
    return document(lang, f"{ui['news']} - ICESCO", "", "news-app-page", body)


def listing_pages(lang: str, items: Sequence[Article], state: str) -> dict[str, Page]:
    chunks = [items[i : i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
    last = len(chunks)
    sticky = None
    if lang == "en" and state in FEATURED_STATES:
        sticky = next(art for art in items if art.expected_key == FEATURED_KEY)
    pages: dict[str, Page] = {}
    for number, chunk in enumerate(chunks, 1):
        path = LISTINGS[lang] if number == 1 else f"{LISTINGS[lang]}page/{number}/"
        if state == "redesign":
            body = redesign_listing(lang, chunk, number, last)
        elif lang == "fr":
            body = classic_listing(lang, chunk, number, last)
        else:
            body = modern_listing(lang, chunk, number, last, sticky if number == 1 else None)
        pages[path] = Page(body, etag=lang != "fr")
    pages[f"{LISTINGS[lang]}page/1/"] = Page(b"", status=301, location=page_url(lang, 1))
    return pages


# ---------------------------------------------------------------- articles


def category_links(article: Article) -> str:
    return ", ".join(
        a(f"/{article.lang}/category/{slug}/", label, 'rel="category tag"')
        for slug, label in article.categories
    )


def share_html(article: Article) -> str:
    u = quote(article.url, safe="")
    t = quote(article.title, safe="")
    links = (
        (f"https://www.facebook.com/sharer.php?u={u}", "Facebook"),
        (f"https://twitter.com/intent/tweet?text={t}&url={u}", "X"),
        (f"https://api.whatsapp.com/send?text={t}%20{u}", "WhatsApp"),
        (f"mailto:?subject={t}&body={u}", "Email"),
    )
    buttons = "".join(a(h, n, 'class="share-button" rel="nofollow noopener"') for h, n in links)
    label = escape(UI[article.lang]["share"])
    return f'<div class="post-share"><span>{label}</span>{buttons}</div>'


def related_html(article: Article, related: Sequence[Article]) -> str:
    ui = UI[article.lang]
    attrs = 'rel="bookmark"'
    items = "".join(f'<li class="related-post">{a(r.url, r.title, attrs)}</li>' for r in related)
    title = f'<h4 class="related-title">{escape(ui["related"])}</h4>'
    return f'<div class="related-posts">{title}<ul>{items}</ul></div>'


def comments_html(article: Article) -> str:
    text = escape(UI[article.lang]["comments"])
    return f'<div id="comments" class="comments-area"><p class="no-comments">{text}</p></div>'


def modern_article(article: Article, related: Sequence[Article]) -> bytes:
    ui = UI[article.lang]
    host = f"www.{HOST}" if article.canonical_www else HOST
    canonical = f"http://{host}{article.path}"
    dated = article.date_markup == "full"
    head = [
        f'<link rel="canonical" href="{escape(canonical)}">',
        f'<meta property="og:locale" content="{ui["og_locale"]}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta property="og:description" content="{escape(article.paragraphs[0])}">',
        f'<meta property="og:url" content="{escape(canonical)}">',
        '<meta property="og:site_name" content="ICESCO">',
    ]
    if dated:
        head.append(f'<meta property="article:published_time" content="{published_iso(article)}">')
        head.append(f'<meta property="article:modified_time" content="{modified_iso(article)}">')
    head.append(f'<meta property="og:image" content="{image_url(article)}">')
    news: dict[str, object] = {
        "@type": "NewsArticle",
        "@id": f"{canonical}#article",
        "isPartOf": {"@id": canonical},
        "headline": article.title,
        "mainEntityOfPage": {"@id": canonical},
        "image": {"@id": f"{canonical}#primaryimage"},
        "articleSection": [label for _, label in article.categories],
        "inLanguage": ui["html_lang"],
        "publisher": {"@id": f"{ORIGIN}/#organization"},
    }
    page: dict[str, object] = {"@type": "WebPage", "@id": canonical, "url": canonical}
    page["name"] = f"{article.title} - ICESCO"
    if dated:
        news["datePublished"] = page["datePublished"] = published_iso(article)
        news["dateModified"] = page["dateModified"] = modified_iso(article)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            news,
            page,
            {"@type": "ImageObject", "@id": f"{canonical}#primaryimage", "url": image_url(article)},
            {"@type": "Organization", "@id": f"{ORIGIN}/#organization", "name": "ICESCO"},
        ],
    }
    ld = json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
    head.append(f'<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>')
    date_html = ""
    if article.date_markup != "none":
        date_html = (
            '<li class="elementor-icon-list-item elementor-post-info__item--type-date">'
            '<span class="elementor-icon-list-text elementor-post-info__item">'
            f"{escape(visible_date(article))}</span></li>"
        )
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    body = f"""<div class="elementor elementor-location-single post-{post_id(article)}">
{feedback_html(article.lang)}
<nav class="breadcrumbs">{a(f"/{article.lang}/", ui["home"])} »
{a(LISTINGS[article.lang], ui["news"])} » <span>{escape(article.title)}</span></nav>
<div class="elementor-widget-theme-post-title">
<h1 class="elementor-heading-title elementor-size-default">{escape(article.title)}</h1></div>
<ul class="elementor-icon-list-items elementor-post-info">{date_html}
<li class="elementor-icon-list-item">
<span class="elementor-post-info__terms-list">{category_links(article)}</span></li></ul>
<div class="elementor-widget-theme-post-featured-image">
<img src="{image_url(article)}" alt="{escape(article.title)}" width="1200" height="675"></div>
<div class="elementor-widget-theme-post-content"><div class="elementor-widget-container">
{paras}
</div></div>
{share_html(article)}
{related_html(article, related)}
{comments_html(article)}
</div>"""
    title = f"{article.title} - ICESCO"
    return document(article.lang, title, "\n".join(head), "single single-post", body)


def classic_article(article: Article, related: Sequence[Article]) -> bytes:
    ui = UI[article.lang]
    shown = escape(visible_date(article))
    if article.date_markup == "full":
        date_html = (
            '<span class="td-post-date"><time class="entry-date updated td-module-date" '
            f'datetime="{published_iso(article)}">{shown}</time></span>'
        )
    elif article.date_markup == "text":
        date_html = f'<span class="td-post-date">{shown}</span>'
    else:
        date_html = ""
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    first_cat = article.categories[0]
    body = f"""<div class="td-main-content-wrap td-container-wrap">
<article id="post-{post_id(article)}"
 class="post-{post_id(article)} post type-post status-publish format-standard has-post-thumbnail">
<div class="td-post-header">
<ul class="td-category"><li class="entry-category">
{a(f"/{article.lang}/category/{first_cat[0]}/", first_cat[1])}</li></ul>
<header class="td-post-title">
<h1 class="entry-title">{escape(article.title)}</h1>
<div class="td-module-meta-info"><div class="td-post-author-name">ICESCO</div>{date_html}</div>
</header>
</div>
<div class="td-post-featured-image">
<img class="entry-thumb" src="{image_url(article)}" alt="" width="696" height="392"></div>
<div class="td-post-content tagdiv-type">
{paras}
{feedback_html(article.lang)}
</div>
<footer>
<div class="td-post-source-tags"><ul class="td-tags td-post-small-box">
<li><span>{escape(ui["categories"])}</span></li><li>{category_links(article)}</li></ul></div>
<div class="td-post-sharing-bottom">{share_html(article)}</div>
</footer>
</article>
<div class="td_block_wrap td_block_related_posts">{related_html(article, related)}</div>
{comments_html(article)}
<div class="td-main-sidebar">{social_html(article.lang)}</div>
</div>"""
    title = f"{article.title} - ICESCO"
    return document(article.lang, title, "", "single single-post td-standard-pack", body)


def article_page(article: Article, related: Sequence[Article]) -> Page:
    render = modern_article if article.theme == "modern" else classic_article
    return Page(render(article, related))


def related_for(items: Sequence[Article], index: int) -> list[Article]:
    """Three neighbours, older ones first (so that news added on top rarely changes them)."""
    order = list(range(index + 1, len(items))) + list(range(index - 1, -1, -1))
    return [items[i] for i in order[:3]]


# ---------------------------------------------------------------- site


def not_found_page(lang: str = "en") -> Page:
    lang = lang if lang in UI else "en"
    ui = UI[lang]
    body = f"""<div class="error-404 not-found">
{feedback_html(lang)}
<main class="site-main">
<header class="page-header"><h1 class="page-title">{escape(ui["nf_text"])}</h1></header>
<div class="page-content"><p>{escape(ui["nf_hint"])}</p></div></main>
{sidebar_html(lang, with_events=False)}
</div>"""
    return Page(document(lang, f"{ui['nf_title']} - ICESCO", "", "error404", body), status=404)


def articles_in(state: str, lang: str | None = None) -> list[Article]:
    """Articles of a state (one language or all), newest first, as the listings order them."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}; expected one of {STATES}")
    chosen = [art for art in ARTICLES if state in art.states and lang in (None, art.lang)]
    return sorted(chosen, key=lambda art: (art.date, art.time or DEFAULT_TIME), reverse=True)


def build_site(state: str) -> dict[str, Page]:
    """Every page of the site in ``state``, keyed by URL path (percent-encoding upper-case)."""
    site: dict[str, Page] = {"/robots.txt": Page(ROBOTS, "text/plain; charset=UTF-8")}
    for lang in LISTINGS:
        items = articles_in(state, lang)
        keys = [art.expected_key for art in items]
        if len(set(keys)) != len(keys):
            raise AssertionError(f"duplicate article in state {state!r}")
        site.update(listing_pages(lang, items, state))
        for index, art in enumerate(items):
            site[art.path] = article_page(art, related_for(items, index))
    return site
