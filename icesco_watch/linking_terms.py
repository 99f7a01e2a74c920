"""The trilingual word tables of the cross-language linker: places, notions, numbers in words.

Written after reading the real corpus (tests/tagging/data/real); `icesco_watch.linking` compiles
and weighs them.
"""

from __future__ import annotations

# One concept per row: English, French and Arabic forms (Latin forms match a word prefix; Arabic
# forms match anywhere in the folded text, since Arabic glues prepositions and articles on; a
# trailing "$" asks for the end of the word, a leading "^" for an Arabic word's start, one glued
# letter allowed: "بدبي" is in Dubai, "الأدبية" literary). Places and countries other than
# ICESCO's own city tell stories apart: two titles naming different ones are different stories
# (`linking.score`).
CITIES: dict[str, tuple[str, ...]] = {
    "cairo": ("cairo", "caire", "القاهره"),
    "riyadh": ("riyadh", "riyad", "الرياض$"),
    "baku": ("baku", "bakou", "باكو"),
    "samarkand": ("samarkand", "samarcande", "سمرقند"),
    "tashkent": ("tashkent", "tachkent", "طشقند"),
    "london": ("london", "londres", "لندن"),
    "barcelona": ("barcelona", "barcelone", "برشلونه"),
    "paris": ("paris", "باريس"),
    "doha": ("doha", "الدوحه"),
    "jeddah": ("jeddah", "djeddah", "جده"),
    "muscat": ("muscat", "mascate", "مسقط"),
    "amman": ("amman", "عمان"),
    "kampala": ("kampala", "كمبالا"),
    "ndjamena": ("n'djamena", "ndjamena", "انجامينا", "نجامينا"),
    "bujumbura": ("bujumbura", "بوجمبورا"),
    "nouakchott": ("nouakchott", "نواكشوط"),
    "geneva": ("geneva", "geneve", "جنيف"),
    "asilah": ("asilah", "assilah", "اصيله"),
    "marrakech": ("marrakech", "marrakesh", "مراكش"),
    "islamabad": ("islamabad", "اسلام اباد"),
    "sharjah": ("sharjah", "charjah", "الشارقه"),
    "istanbul": ("istanbul", "اسطنبول"),
    "tunis": ("tunis$", "تونس$"),
    "aleppo": ("aleppo", "alep$", "حلب$"),
    "dhaka": ("dhaka", "dacca", "دكا$"),
    "martil": ("martil", "مرتيل"),
    "tetouan": ("tetouan", "tetuan", "تطوان"),
    "dubai": ("dubai", "^دبي$"),
}
# States other than Morocco (ICESCO's seat, GENERIC). A state both headlines name, by its name
# or its adjective in any script (Gabon, gabonais, الغابوني), is what one ambassador's or
# partner's audience is about, and two audiences on one day name two (`linking_contradictions`).
STATES: dict[str, tuple[str, ...]] = {
    "egypt": ("egypt", "egypte", "مصر", "المصري"),
    "saudi": ("saudi", "saoudi", "السعودي"),
    "syria": ("syria", "syrie", "syrien", "سوري"),
    "iraq": ("iraq", "irak", "العراق"),
    "libya": ("libya", "liby", "ليبي"),
    "lebanon": ("leban", "liban", "لبنان", "اللبناني"),
    "qatar": ("qatar", "قطر"),
    "kuwait": ("kuwait", "koweit", "الكويت"),
    "austria": ("austria", "autrich", "نمسا"),
    "burkina": ("burkina", "بوركينا"),
    "chad": ("chad", "tchad", "تشاد"),
    "malaysia": ("malaysia", "malais", "ماليزيا"),
    "indonesia": ("indonesia", "indones", "اندونيسيا"),
    "gabon": ("gabon", "الغابون"),
    "palestine": ("palestin", "فلسطين"),
    "bahrain": ("bahrain", "bahrein", "البحرين"),
    "algeria": ("algeria", "alger", "الجزائر"),
    "mali": ("mali$", "malien", "مالي$"),
    "senegal": ("senegal", "السنغال"),
    "guinea": ("guinea", "guinee", "غينيا"),
    "mauritania": ("mauritan", "موريتانيا"),
    "pakistan": ("pakistan", "باكستان"),
    "uzbekistan": ("uzbek", "ouzbek", "اوزبكستان"),
    "azerbaijan": ("azerbaijan", "azerbaidjan", "اذربيجان"),
    "tunisia": ("tunisia", "tunisie", "التونسي"),
    "oman": ("oman$", "omani", "سلطنه عمان"),
    "jordan": ("jordan", "jordanie", "الاردن"),
    "uganda": ("uganda", "ouganda", "اوغندا"),
    "brunei": ("brunei", "بروناي"),
    "kazakhstan": ("kazakh", "كازاخستان"),
    "tajikistan": ("tajik", "tadjik", "طاجيكستان"),
    "china": ("china", "chinese", "chine", "الصين"),
    "bangladesh": ("bangladesh", "بنغلاديش", "بنغلادش"),
    # States the corpus's headlines name beside ICESCO (an ambassador's audience, a partner's
    # centre), in the adjective forms too (Latin forms are word prefixes: "ukrain" is
    # Ukrainian and ukrainien; Arabic forms match inside words: البرازيلية).
    "ukraine": ("ukrain", "اوكران"),
    "brazil": ("brazil", "bresil", "برازيل"),
    "benin": ("benin", "بنين$"),
    "sudan": ("sudan", "soudan", "سودان"),
    "niger": ("niger$", "nigerien", "النيجر$"),
    "nigeria": ("nigeria", "نيجيريا"),
    "ivory-coast": ("cote d'ivoire", "ivoir", "ivory coast", "كوت ديفوار", "ساحل العاج"),
    "japan": ("japan", "japon", "اليابان"),
    "greece": ("greece", "greek", "grece", "grec$", "grecque", "اليونان"),
    "korea": ("korea", "coree", "coreen", "كوريا"),
    "mexico": ("mexic", "mexique", "المكسيك"),
    "cameroon": ("cameroon", "cameroun", "الكاميرون"),
    "emirates": ("emirates", "emirati", "uae$", "emirats", "الامارات"),
    "sweden": ("sweden", "swedish", "suede$", "suedois", "السويد"),
    "turkey": (
        "turkey",
        "turkiye",
        "turkish",
        "turquie",
        "turc$",
        "turque",
        "تركيا",
        "التركي$",
        "التركيه$",
    ),
    "comoros": ("comoro", "comores", "جزر القمر"),
    "australia": ("australia", "australie", "استراليا"),
    "gambia": ("gambia", "gambie", "غامبيا"),
    "iran": ("iran", "ايران"),
    "russia": ("russia", "russie", "russe$", "روسيا", "الروسي"),
    "sierra-leone": ("sierra leone", "سيراليون"),
}
PLACES: dict[str, tuple[str, ...]] = {**CITIES, **STATES}
NOTIONS: dict[str, tuple[str, ...]] = {
    "unesco": ("unesco", "اليونسكو"),
    "arab-league": ("arab league", "ligue arabe", "الجامعه العربيه"),
    "unaoc": ("unaoc", "alliance of civilizations", "alliance des civilisations", "تحالف الحضارات"),
    "mondiacult": ("mondiacult", "موندياكولت"),
    "cultural-rights": ("cultural rights", "droits culturels", "الحقوق الثقافيه"),
    "scholarship": ("scholarship", "bourse", "منح"),
    "calligraphy": ("calligraph", "الخط العربي"),
    "choreography": ("choreograph", "choregraph", "الحركه الجسديه"),
    "teacher": ("teacher", "enseignant", "المعلم"),
    "islamophobia": ("islamophob", "الاسلاموفوبيا"),
    "sport": ("sport", "football", "رياضه", "رياضي"),
    "gender": ("gender", "genre", "femmes et hommes", "المساواه بين الجنسين"),
    "anniversary": ("anniversary", "anniversaire", "ذكري"),
    "satellite": ("cansat", "satellite", "كان سات"),
    "ministerial": ("ministerial", "ministeriel", "الوزاري"),
    "capital-culture": ("capital of culture", "culture capital", "capitale de la culture", "عاصمه"),
    "mishkat": ("mishkat", "مشكاه"),
    "cop": ("cop2", "cop 2", "مؤتمر الاطراف"),
    "pisa": ("pisa", "بيزا"),
    "peace-ambassadors": ("ambassadors of peace", "ambassadeurs de l'icesco pour la paix", "سفراء"),
    "ai": ("artificial intelligence", "intelligence artificielle", "الذكاء الاصطناعي"),
    "climate": ("climat", "المناخ"),
    "foresight": ("foresight", "prospective", "الاستشراف"),
    "condolence": ("condolence", "condoleance", "تعزي"),
    "youth": ("youth", "jeunesse", "jeunes", "الشباب"),
    "space": ("aerospace", "space science", "spatial", "علوم الفضاء", "رواد فضاء", "رواد الفضاء"),
    "biodiversity": ("biodivers", "biological diversity", "diversite biolog", "التنوع البيولوجي"),
    "media-literacy": (
        "media and information literacy",
        "education aux medias",
        "litteratie mediatique",
        "درايه الاعلاميه",
    ),
    "oic": ("oic$", "oci$", "islamic cooperation", "cooperation islamique", "التعاون الاسلامي"),
    "arabic-day": (
        "arabic language day",
        "journee mondiale de la langue arabe",
        "اليوم العالمي للغه العربيه",
    ),
    "africa-cup": ("africa cup", "coupe d'afrique", "can 20", "امم افريقيا", "الامم الافريقيه"),
    "diplomacy": ("diplomat", "الدبلوماسي"),
    "women": ("women", "femmes", "النساء", "المراه"),
    # A meeting held online (National Commissions "meet virtually", "réunion en ligne"): one
    # story's versions say so, a same-day story of the same body in the hall does not.
    "online": ("online", "virtual", "en ligne", "visioconference", "virtuel", "عن بعد", "افتراضي"),
}
# Everyday words of ICESCO news: they agree across most same-day items, so they weigh little.
GENERIC: dict[str, tuple[str, ...]] = {
    "rabat": ("rabat", "الرباط"),
    "morocco": ("morocc", "maroc", "المغرب"),
    "heritage": ("heritage", "patrimoin", "التراث"),
    "ambassador": ("ambassador", "ambassadeur", "سفير"),
    "minister": ("minister", "ministre", "وزير"),
    "deputy-dg": ("deputy director-general", "directeur general adjoint", "نائب المدير العام"),
}
# The day of a several-day event a headline reports (forms as in `PLACES`): a conference's
# opening, its second day and its closing are three articles sharing place, names and numbers.
PHASES: dict[str, tuple[str, ...]] = {
    "opening": (
        "opens", "opening", "begins", "ouverture", "s'ouvre", "ouvre", "debute", "افتتاح", "يفتتح",
        "تفتتح", "انطلاق", "تبدا", "يبدا",
    ),
    "second-day": ("second day", "day two", "deuxieme journee", "2e journee", "اليوم الثاني"),
    "closing": (
        "closes", "closing", "concludes", "ends$", "wraps up", "cloture", "s'acheve", "prend fin",
        "se termine", "fin d", "ختام", "اختتام", "يختتم", "تختتم",
    ),
}  # fmt: skip
# What a headline reports someone doing, beside the day of an event (`PHASES`): one event's
# stories differ in it (a visit to the pavilion, the opening, a signing), its versions rarely do.
# A visit and an audience are one act seen from either side ("X visits ICESCO", "the DG receives
# X"), and launching something is opening it.
ACTS: dict[str, tuple[str, ...]] = {
    "meeting": (
        "visit", "tours", "receives", "received", "meets", "talks with", "holds talks", "discuss",
        "recoit", "recu$", "recue$", "rencontre", "s'entretien", "entretien", "visite", "discute",
        "parlent$",
        "زياره", "يزور", "تزور", "يستقبل", "تستقبل", "استقبال", "يلتقي", "تلتقي", "لقاء",
        "يبحث", "تبحث", "مباحثات", "يناقش",
    ),
    "signing": (
        "signs", "signed", "signing", "sign$", "signe", "signature", "memorandum", "protocole",
        "توقيع", "يوقع", "توقع", "مذكره تفاهم",
    ),
    "opening": ("launch", "lance", "lancement", "يطلق", "تطلق", "اطلاق"),
    "award": ("award", "prize", "prix", "جائزه", "جوائز", "medal", "medaille", "وسام"),
    # Asking for something (to join as an observer, a day against Islamophobia): a state's
    # request and, months later, its ambassador's audience are two stories of one partner.
    "request": (
        "calls for", "calls on", "urges", "asks", "demande", "appelle", "plaide", "exhorte",
        "يطالب", "تطالب", "يدعو", "تدعو",
    ),
    # Speaking to the press: a visit's talks on its first day and the joint press conference
    # that closes it days later are two stories of one visit (the Director-General in Baku).
    "press": (
        "press conference", "press briefing", "conference de presse", "point de presse",
        "مؤتمر صحفي", "مؤتمرا صحفيا", "مؤتمر صحافي", "مؤتمرا صحافيا",
    ),
    # A body adopting its accounts, a declaration, its resolutions.
    "adoption": ("adopts", "adopted", "adopte", "تعتمد", "يعتمد", "اعتماد"),
}  # fmt: skip
# Capitalised words every ICESCO item may carry (the organisation, its seat, its
# Director-General, its bodies), and the calendar: a shared month or "Africa" is not a shared name.
COMMON_NAMES: tuple[str, ...] = (
    "ICESCO", "ISESCO", "Director", "General", "Directeur", "Islamic", "World", "Rabat",
    "Salim", "AlMalik", "Malik", "Culture", "Sciences", "Centre", "Forum", "President",
    "Education", "Organization", "Organisation", "Sector", "Secteur", "Arabic", "Morocco",
    "Abdelilah", "Benarafa", "Conference", "Council", "Al-Malik", "Director-General",
    # ICESCO's own officials, named in many items of every year (a sector head, a centre's
    # director, the Director-General before 2019).
    "Ramata", "Almamy", "Mbaye", "Kais", "Hammami", "Abdulaziz", "Othman", "Altwaijri",
    "Mohammed", "Mohamed", "Muhammad", "Africa", "Afrique", "African", "Africain", "Asia", "Asie",
    "Europe", "Arab", "Arabe", "Islam", "COVID", "Member", "States", "Ministry", "Minister",
    "Ministre", "International", "National", "Commission", "University", "Universite", "Center",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
    "January", "February", "March", "April", "June", "July", "August", "September", "October",
    "November", "December", "Janvier", "Fevrier", "Mars", "Avril", "Juin", "Juillet", "Aout",
    "Septembre", "Octobre", "Novembre", "Decembre",
)  # fmt: skip
# Consonant skeletons of Arabic words every item may carry: the Director-General's names
# (Salim, Mohammed, AlMalik; "slm" is also Islamic and peace), ICESCO, UNESCO, the months,
# an official named in many items (Ramata).
COMMON_SOUNDS: frozenset[str] = frozenset(
    {"slm", "mhmd", "mlk", "ksks", "nsk", "frk", "fbr", "ktbr", "nfmbr", "dsmbr", "sbtmbr", "rmt"}
)
NUMBER_WORDS: dict[str, str] = {
    "thirty": "30",
    "trente": "30",
    "ثلاثون": "30",
    "ninety": "90",
    "quatre-vingt-dix": "90",
    "تسعون": "90",
}
# The months as a story states its day ("on 14 May", "le 11 septembre", "يوم 14 مايو"): Arabic
# editions write them the Egyptian, the Levantine or the Maghreb way.
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "janvier", "يناير", "كانون الثاني", "جانفي"),
    2: ("february", "fevrier", "فبراير", "شباط", "فيفري"),
    3: ("march", "mars", "مارس", "آذار"),
    4: ("april", "avril", "أبريل", "ابريل", "نيسان", "أفريل"),
    5: ("may", "mai", "مايو", "ماي", "أيار"),
    6: ("june", "juin", "يونيو", "حزيران", "جوان"),
    7: ("july", "juillet", "يوليو", "يوليوز", "تموز", "جويلية"),
    8: ("august", "aout", "أغسطس", "غشت", "آب", "أوت"),
    9: ("september", "septembre", "سبتمبر", "شتنبر", "أيلول"),
    10: ("october", "octobre", "أكتوبر", "تشرين الأول"),
    11: ("november", "novembre", "نوفمبر", "نونبر", "تشرين الثاني"),
    12: ("december", "decembre", "ديسمبر", "دجنبر", "كانون الأول"),
}  # fmt: skip
# Ordinals in words, the way Arabic (and often the headline) writes a session or edition number.
ORDINAL_WORDS: dict[int, tuple[str, ...]] = {
    2: ("second", "deuxieme", "الثاني"),
    3: ("third", "troisieme", "الثالث"),
    4: ("fourth", "quatrieme", "الرابع"),
    5: ("fifth", "cinquieme", "الخامس"),
    6: ("sixth", "sixieme", "السادس"),
    7: ("seventh", "septieme", "السابع"),
    8: ("eighth", "huitieme", "الثامن"),
    9: ("ninth", "neuvieme", "التاسع"),
    10: ("tenth", "dixieme", "العاشر"),
}
