"""A small trilingual concept lexicon: one model feature per sector notion, whatever the language.

The learned model's word features are language-bound: what it learns from 170 English items
about "teachers" says nothing about "enseignants" or "المعلمين", and French and Arabic have half
as many examples each. Here each notion of the labelling guide (docs/sectors.md, the "covers"
column and the hard kinds) is one concept with its English, French and Arabic forms; an item's
concepts in its title and lead become features (`k:teacher`, and `tk:teacher` in the title), so
French and Arabic items borrow the weight English items taught. The lexicon is language
knowledge written from the guide, not from corpus errors: which sector a concept counts for is
learned by the model, per fold, never set here. Forms are matched as token phrases after the
same folding and stemming as the rules (text.py), on the text the context rules have already
masked (a "Minister of Culture" is no culture concept).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from icesco_watch.tagging.text import phrase

# concept -> forms (EN; FR; AR). Singular and plural where the stemmer does not join them.
LEXICON: dict[str, tuple[str, ...]] = {
    # education
    "education": ("education", "éducation", "enseignement", "التعليم", "التربية", "تعليمي"),
    "teacher": (
        "teacher",
        "teachers",
        "enseignant",
        "enseignants",
        "enseignante",
        "professeurs",
        "معلم",
        "المعلمين",
        "المعلمون",
        "المدرسين",
        "معلمي",
    ),
    "school": (
        "school",
        "schools",
        "pupils",
        "students",
        "école",
        "écoles",
        "élèves",
        "scolaire",
        "étudiants",
        "مدرسة",
        "المدارس",
        "التلاميذ",
        "الطلاب",
        "الطلبة",
        "المدرسية",
    ),
    "curriculum": ("curriculum", "curricula", "programmes scolaires", "المناهج", "مناهج"),
    "literacy": ("literacy", "illiteracy", "alphabétisation", "محو الأمية", "الأمية"),
    "higher-education": (
        "higher education",
        "university",
        "universities",
        "enseignement supérieur",
        "université",
        "universitaire",
        "التعليم العالي",
        "الجامعات",
        "الجامعية",
    ),
    "scholarship": ("scholarship", "scholarships", "bourses", "bourse", "منح", "المنح الدراسية"),
    "training": (
        "training",
        "capacity building",
        "formation",
        "renforcement des capacités",
        "تدريب",
        "التدريبية",
        "بناء القدرات",
        "تكوين",
    ),
    # science
    "science": (
        "science",
        "scientific research",
        "scientists",
        "recherche scientifique",
        "scientifique",
        "العلوم",
        "البحث العلمي",
        "العلماء",
        "العلمية",
    ),
    "technology": ("technology", "innovation", "technologie", "التكنولوجيا", "الابتكار"),
    "environment": (
        "environment",
        "climate",
        "biodiversity",
        "desertification",
        "environnement",
        "climat",
        "climatique",
        "biodiversité",
        "البيئة",
        "المناخ",
        "المناخية",
        "التنوع البيولوجي",
        "التصحر",
    ),
    "water": ("water", "sanitation", "eau", "assainissement", "المياه", "الصرف الصحي"),
    "health": ("health", "pandemic", "santé", "sanitaire", "الصحة", "الصحية", "الجائحة"),
    "space": ("space", "satellite", "spatial", "espace", "الفضاء"),
    "energy": ("energy", "renewable", "énergie", "renouvelables", "الطاقة", "المتجددة"),
    # culture
    "culture": ("culture", "cultural", "culturel", "culturelle", "الثقافة", "الثقافي", "الثقافية"),
    "heritage": ("heritage", "patrimoine", "التراث", "تراث"),
    "arts": (
        "art",
        "arts",
        "artists",
        "exhibition",
        "calligraphy",
        "artistes",
        "exposition",
        "calligraphie",
        "الفنون",
        "الفنانين",
        "معرض",
        "الخط العربي",
    ),
    "manuscript": ("manuscripts", "manuscript", "manuscrits", "المخطوطات", "مخطوطات"),
    "museum": ("museum", "museums", "musée", "musées", "المتحف", "متحف", "المتاحف"),
    "crafts": (
        "crafts",
        "handicrafts",
        "cultural industries",
        "artisanat",
        "industries culturelles",
        "الحرف",
        "الصناعات الثقافية",
        "الصناعات الإبداعية",
    ),
    "culture-capital": ("capital of culture", "capitale de la culture", "عاصمة الثقافة"),
    # media
    "media": (
        "media",
        "journalists",
        "journalism",
        "press",
        "médias",
        "journalistes",
        "presse",
        "الإعلام",
        "الإعلامية",
        "الصحفيين",
        "الصحافة",
        "الإعلاميين",
    ),
    "disinformation": (
        "disinformation",
        "misinformation",
        "fake news",
        "désinformation",
        "التضليل",
        "الأخبار الزائفة",
        "الشائعات",
    ),
    # social sciences
    "youth": ("youth", "young people", "jeunes", "jeunesse", "الشباب", "الشبابية"),
    "women": ("women", "girls", "gender", "femmes", "filles", "المرأة", "النساء", "الفتيات"),
    "family": (
        "children",
        "family",
        "childhood",
        "enfants",
        "famille",
        "enfance",
        "الأطفال",
        "الأسرة",
        "الطفولة",
        "الطفل",
    ),
    "sport": ("sport", "sports", "volunteering", "volunteers", "bénévolat", "الرياضة", "التطوع"),
    "ethics": ("philosophy", "ethics", "philosophie", "éthique", "الفلسفة", "الأخلاقيات"),
    "social": ("social", "sociale", "الاجتماعية", "الاجتماعي"),
    # partnerships
    "agreement": (
        "memorandum of understanding",
        "memorandum",
        "mou",
        "agreement",
        "protocole d'accord",
        "mémorandum",
        "accord",
        "مذكرة تفاهم",
        "اتفاقية",
        "اتفاق",
    ),
    "cooperation": (
        "cooperation",
        "partnership",
        "coopération",
        "partenariat",
        "التعاون",
        "تعاون",
        "الشراكة",
        "شراكة",
    ),
    "signing": (
        "signed",
        "signing",
        "sign",
        "signé",
        "signature",
        "signent",
        "توقيع",
        "وقع",
        "وقعت",
    ),
    "ambassador": ("ambassador", "ambassadeur", "ambassadrice", "سفير", "سفيرة"),
    "joint": ("joint", "commun", "communs", "conjoint", "مشترك", "المشتركة", "المشترك"),
    "funding": ("funding", "donors", "financement", "bailleurs", "تمويل", "المانحة"),
    # dialogue
    "dialogue": ("dialogue", "الحوار", "حوار"),
    "coexistence": (
        "coexistence",
        "tolerance",
        "peace",
        "tolérance",
        "paix",
        "التعايش",
        "التسامح",
        "السلام",
    ),
    "hate": (
        "islamophobia",
        "hate speech",
        "extremism",
        "racism",
        "islamophobie",
        "haine",
        "extrémisme",
        "الإسلاموفوبيا",
        "الكراهية",
        "التطرف",
        "العنصرية",
    ),
    "religions": ("interfaith", "religions", "interreligieux", "الأديان", "الديانات"),
    # foresight and AI
    "ai": ("artificial intelligence", "ai", "intelligence artificielle", "ia", "الذكاء الاصطناعي"),
    "foresight": (
        "foresight",
        "future",
        "futures",
        "prospective",
        "avenir",
        "الاستشراف",
        "المستقبل",
        "المستقبلية",
    ),
    "digital": ("digital", "numérique", "الرقمي", "الرقمية", "الرقمنة"),
    # Arabic language
    "arabic": (
        "arabic language",
        "non-arabic speakers",
        "langue arabe",
        "non arabophones",
        "اللغة العربية",
        "الناطقين بغيرها",
        "الناطقين بغير العربية",
    ),
    # governance and what acts
    "governing-body": (
        "executive council",
        "general conference",
        "conseil exécutif",
        "conférence générale",
        "المجلس التنفيذي",
        "المؤتمر العام",
    ),
    "condolences": ("condolences", "condoléances", "التعازي", "تعزية", "يعزي"),
    "minister": ("minister", "ministre", "وزير", "وزيرة"),
    "receives": ("receives", "received", "reçoit", "reçu", "يستقبل", "استقبل", "تستقبل"),
    "visit": ("visit", "visite", "زيارة"),
    "day": (
        "international day",
        "world day",
        "journée internationale",
        "journée mondiale",
        "اليوم العالمي",
        "اليوم الدولي",
    ),
    # strategy
    "excellence": (
        "institutional excellence",
        "strategic planning",
        "excellence institutionnelle",
        "planification stratégique",
        "التميز المؤسسي",
        "التخطيط الاستراتيجي",
    ),
}


class Concepts:
    """The lexicon compiled to token phrases, looked up by their first token."""

    def __init__(self, lexicon: dict[str, tuple[str, ...]] = LEXICON) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for concept, forms in lexicon.items():
            for form in forms:
                words = phrase(form)
                if words:
                    self.by_first.setdefault(words[0], []).append((words, concept))

    def sectors_of(self, keywords: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
        """Per concept, the sectors (of `keywords`: sector -> its keywords, any language) that
        list one of its forms as a keyword, in sector order."""
        out: dict[str, list[str]] = {}
        for sector, words in keywords.items():
            for word in words:
                folded = phrase(word)
                for form, concept in self.by_first.get(folded[0] if folded else "", ()):
                    if form == folded and sector not in out.setdefault(concept, []):
                        out[concept].append(sector)
        return out

    def found(self, words: Sequence[str]) -> set[str]:
        """The concepts whose forms occur in `words` (stemmed tokens)."""
        out: set[str] = set()
        for i, word in enumerate(words):
            for form, concept in self.by_first.get(word, ()):
                if tuple(words[i : i + len(form)]) == form:
                    out.add(concept)
        return out
