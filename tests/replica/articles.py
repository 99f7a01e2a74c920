"""Data of the icesco.org replica: every article of every state, written for the tests.

All titles and paragraphs are original text written for this fixture; names, dates and sector
names follow public ICESCO news. ``expected_key`` is written out literally on purpose: it is the
value the crawler must produce, so it is never derived from the other fields here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATES: tuple[str, ...] = ("before", "after", "after-more", "redesign", "edited")

# Which states an article exists in.
BASE = frozenset({"before", "after", "after-more", "redesign", "edited"})
NEW = frozenset({"after", "after-more", "edited"})
MORE = frozenset({"after-more"})

# Category (slug, label) pairs as they appear in the category links.
EN_NEWS = ("news", "News")
EN_DG = ("director-general", "Director-General")
EN_EDU = ("education", "Education")
EN_SCI = ("science-technology", "Science & Technology")
EN_CULTURE = ("culture", "Culture")
EN_FORESIGHT = ("strategic-foresight-center", "Strategic Foresight Center")
EN_FRONT = ("front-pagenewsuncategorized", "Front pageNewsUncategorized")
FR_NEWS = ("actualites", "Actualités")
FR_UNE = ("a-la-une", "À la une")
FR_DG = ("directeur-general", "Directeur général")
FR_GLUED = ("a-la-uneactualites", "À la uneActualités")
AR_NEWS = ("%D8%A7%D9%84%D9%85%D8%B3%D8%AA%D8%AC%D8%AF%D8%A7%D8%AA", "المستجدات")
AR_DG = ("%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D8%B1-%D8%A7%D9%84%D8%B9%D8%A7%D9%85", "المدير العام")
AR_FRONT = ("%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3%D8%A9", "الرئيسة")


@dataclass(frozen=True)
class Article:
    """One news item. Two records may share ``expected_key`` (an edit in another state)."""

    lang: str
    date: date
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    categories: tuple[tuple[str, str], ...]
    theme: str
    expected_key: str
    states: frozenset[str] = BASE
    time: str | None = None
    # Extra page variants: "full" (all date markup of the theme), "text" (visible date only),
    # "none" (no date anywhere on the page except the URL).
    date_markup: str = "full"
    # Modern theme only: canonical link on the www. host instead of the bare host.
    canonical_www: bool = False

    @property
    def path(self) -> str:
        return f"/{self.lang}/{self.date:%Y/%m/%d}/{self.slug}/"

    @property
    def url(self) -> str:
        return "http://icesco.org" + self.path


EN: tuple[Article, ...] = (
    Article(
        lang="en",
        date=date(2024, 2, 21),
        slug="icesco-marks-international-mother-language-day-with-a-call-to-protect-linguistic-diversity",
        title="ICESCO Marks International Mother Language Day with a Call to Protect "
        "Linguistic Diversity",
        paragraphs=(
            "The Islamic World Educational, Scientific and Cultural Organization (ICESCO) joined "
            "the world in observing International Mother Language Day, urging its Member States "
            "to give every child the chance to learn first in the language spoken at home.",
            "In a statement issued for the occasion, the Organization noted that dozens of "
            "languages in the Islamic world are spoken by shrinking communities. It warned that "
            "each language that falls silent takes with it stories, know-how and ways of seeing "
            "the world.",
            "ICESCO recalled its programmes for writing African languages in the Arabic script "
            "and for producing school readers in local languages.",
            "The Organization also invited universities and publishers to document endangered "
            "languages before the last fluent speakers are gone.",
        ),
        categories=(EN_NEWS, EN_CULTURE),
        theme="classic",
        expected_key="icesco.org/en/2024/02/21/icesco-marks-international-mother-language-day-"
        "with-a-call-to-protect-linguistic-diversity",
    ),
    Article(
        lang="en",
        date=date(2024, 4, 7),
        slug="icesco-marks-world-health-day-by-urging-support-for-young-health-workers",
        title="ICESCO Marks World Health Day by Urging Support for Young Health Workers",
        paragraphs=(
            "Marking World Health Day, ICESCO asked governments in the Islamic world to put "
            "young doctors, nurses and community health workers at the centre of their plans "
            "for stronger health systems.",
            "The Organization observed that women make up most of the health workforce in many "
            "Member States yet remain rare in decision-making posts. Training and fair careers, "
            "it said, are the surest way to keep skilled staff at home.",
            "ICESCO pointed to its scholarships in medical sciences and its partnerships with "
            "faculties of medicine as part of its contribution.",
        ),
        categories=(EN_NEWS, EN_SCI),
        theme="classic",
        date_markup="text",
        expected_key="icesco.org/en/2024/04/07/icesco-marks-world-health-day-by-urging-support-"
        "for-young-health-workers",
    ),
    Article(
        lang="en",
        date=date(2024, 5, 14),
        slug="second-ministerial-conference-on-student-assessment-concludes-in-baku",
        title="Second Ministerial Conference on Student Assessment Concludes in Baku",
        paragraphs=(
            "Ministers and education experts wrapped up two days of talks in Baku on how "
            "countries of the Islamic world can learn from the results of the OECD's "
            "Programme for International Student Assessment (PISA).",
            "The meeting was co-organised by ICESCO and Azerbaijan's Ministry of Science and "
            "Education with the OECD. Delegations compared what their pupils achieved in the "
            "2022 round and how reforms could lift reading and mathematics scores.",
            "Dr. Koumbou Boly Barry, Head of ICESCO's Education Sector, chaired a session on "
            "adapting large-scale assessment to national priorities and cultural contexts.",
            "Participants agreed to keep sharing data and expertise and to meet again to "
            "follow up on the commitments made in Baku.",
        ),
        categories=(EN_NEWS, EN_EDU),
        theme="modern",
        time="17:20",
        expected_key="icesco.org/en/2024/05/14/second-ministerial-conference-on-student-"
        "assessment-concludes-in-baku",
    ),
    Article(
        lang="en",
        date=date(2024, 5, 15),
        slug="american-university-delegation-visits-icesco-headquarters-and-seerah-exhibition",
        title="American University Delegation Visits ICESCO Headquarters and Seerah Exhibition",
        paragraphs=(
            "Students and teachers from an American university, accompanied by a Washington "
            "foundation working on civilizational exchange, spent a day at ICESCO headquarters "
            "in Rabat.",
            "Dr. Abdelilah Benarafa, Deputy Director-General, welcomed the group and outlined "
            "the Organization's priorities, from leadership training for young people to "
            "dialogue between cultures.",
            "Amb. Khalid Fathalrahman, Head of the Center for Civilizational Dialogue, and Ms. "
            "Ramata Almamy Mbaye, Head of the Human and Social Sciences Sector, answered "
            "questions on joint research and student exchanges.",
            "The visitors then toured the Mishkat hall for Arabic teaching and the exhibition "
            "on the Prophet's Seerah hosted at the headquarters.",
        ),
        categories=(EN_NEWS,),
        theme="modern",
        time="10:30",
        expected_key="icesco.org/en/2024/05/15/american-university-delegation-visits-icesco-"
        "headquarters-and-seerah-exhibition",
    ),
    Article(
        lang="en",
        date=date(2024, 7, 11),
        slug="twelve-new-sites-join-the-islamic-world-heritage-list",
        title="Twelve New Sites Join the Islamic World Heritage List",
        paragraphs=(
            "ICESCO's Islamic World Heritage Committee has added twelve monuments, historic "
            "districts and living traditions to its list, bringing the register to several "
            "hundred elements across the Member States.",
            "Among the newly listed sites are a caravan city in Central Asia, a coastal mosque "
            "built of coral stone and a centuries-old craft of hand-woven carpets.",
            "Dr. Webber Ndoro, Director of the Islamic World Heritage Center, said listing is "
            "only a first step and that the Center will help the countries concerned draw up "
            "management and conservation plans.",
        ),
        categories=(EN_NEWS, EN_CULTURE),
        theme="modern",
        expected_key="icesco.org/en/2024/07/11/twelve-new-sites-join-the-islamic-world-heritage-"
        "list",
    ),
    Article(
        lang="en",
        date=date(2024, 8, 2),
        slug="icesco-arabic-language-center-opens-summer-intensive-course-for-non-arabic-speakers",
        title="ICESCO Arabic Language Center Opens Summer Intensive Course for Non-Arabic Speakers",
        paragraphs=(
            "Forty learners from eighteen countries started a four-week intensive Arabic "
            "course run by the ICESCO Arabic Language Center for Non-Arabic Speakers.",
            "The programme combines morning classes with afternoon workshops on calligraphy, "
            "media Arabic and everyday conversation.",
            "Dr. Majdi Haj Ibrahim, Head of the Center, told the participants that the course "
            "relies on the Mishkat curriculum and on teachers trained by ICESCO.",
            "Graduates will receive a certificate and access to the Center's online library "
            "to keep practising after they return home.",
        ),
        categories=(EN_NEWS, EN_EDU),
        theme="modern",
        time="12:00",
        expected_key="icesco.org/en/2024/08/02/icesco-arabic-language-center-opens-summer-"
        "intensive-course-for-non-arabic-speakers",
    ),
    Article(
        lang="en",
        date=date(2024, 9, 21),
        slug="icesco-statement-on-the-international-day-of-peace",
        title="ICESCO Statement on the International Day of Peace",
        paragraphs=(
            "On the International Day of Peace, ICESCO renews its appeal to end armed conflicts "
            "that keep millions of children out of school and destroy the heritage of entire "
            "peoples.",
            "The Organization believes that peace is learnt. It calls for curricula that teach "
            "mutual respect and for media that refuse to spread hatred.",
            "ICESCO reaffirms its readiness to work with its partners so that young people "
            "become builders of peace in their communities.",
        ),
        categories=(EN_NEWS, EN_FRONT),
        theme="modern",
        date_markup="none",
        expected_key="icesco.org/en/2024/09/21/icesco-statement-on-the-international-day-of-peace",
    ),
    Article(
        lang="en",
        date=date(2024, 11, 5),
        slug="forum-on-foresight-and-artificial-intelligence-brings-experts-together-in-rabat",
        title="Forum on Foresight and Artificial Intelligence Brings Experts Together in Rabat",
        paragraphs=(
            "Researchers, policymakers and entrepreneurs met at ICESCO headquarters for a forum "
            "on how foresight methods and artificial intelligence can help plan education and "
            "employment in the coming decade.",
            "Dr. Kais Hammami, Head of the Center of Foresight and Artificial Intelligence, "
            "presented scenarios on the jobs most exposed to automation in the Member States.",
            "Speakers called for national AI strategies that protect personal data and for "
            "investment in Arabic and African language technologies.",
            "The forum closed with the launch of a network of foresight units to exchange "
            "methods and studies.",
        ),
        categories=(EN_NEWS, EN_FORESIGHT),
        theme="modern",
        expected_key="icesco.org/en/2024/11/05/forum-on-foresight-and-artificial-intelligence-"
        "brings-experts-together-in-rabat",
    ),
    Article(
        lang="en",
        date=date(2024, 12, 10),
        slug="icesco-science-olympiad-honours-young-innovators-from-fifteen-member-states",
        title="ICESCO Science Olympiad Honours Young Innovators from Fifteen Member States",
        paragraphs=(
            "Secondary school pupils from fifteen Member States competed in the final round of "
            "the ICESCO Science Olympiad, presenting projects on clean water, renewable energy "
            "and early disease detection.",
            "A jury chaired by Dr. Raheel Qamar, Head of the Science and Technology Sector, "
            "awarded gold medals to teams from Indonesia, Morocco and Nigeria.",
            "The winners will take part in a research summer school hosted by a partner "
            "university next year.",
        ),
        categories=(EN_NEWS, EN_SCI),
        theme="modern",
        time="15:45",
        canonical_www=True,
        expected_key="icesco.org/en/2024/12/10/icesco-science-olympiad-honours-young-innovators-"
        "from-fifteen-member-states",
    ),
    Article(
        lang="en",
        date=date(2025, 1, 20),
        slug="icesco-and-the-islamic-development-bank-sign-memorandum-of-understanding-on-digital-skills",
        title="ICESCO and the Islamic Development Bank Sign Memorandum of Understanding on "
        "Digital Skills",
        paragraphs=(
            "ICESCO and the Islamic Development Bank signed a memorandum of understanding to "
            "train young people and teachers in digital skills in the least developed Member "
            "States.",
            "Dr. Salim M. AlMalik, Director-General of ICESCO, said the agreement turns years "
            "of informal cooperation into a multi-year programme with clear targets.",
            "Under the memorandum, the two institutions will equip learning centres, produce "
            "open courses and fund pilot projects selected through calls for proposals.",
            "Ms. Amira El Fadil, Head of the Partnerships and International Cooperation "
            "Sector, will coordinate the follow-up committee.",
        ),
        categories=(EN_NEWS, EN_DG),
        theme="modern",
        expected_key="icesco.org/en/2025/01/20/icesco-and-the-islamic-development-bank-sign-"
        "memorandum-of-understanding-on-digital-skills",
    ),
    Article(
        lang="en",
        date=date(2025, 2, 17),
        slug="icesco-regional-office-in-baku-hold-first-workshop-on-heritage-cooperation",
        title="ICESCO Regional Office in Baku Hold First Workshop on Heritage Cooperation",
        paragraphs=(
            "The ICESCO Regional Office in Baku held its first workshop for heritage "
            "professionals from Azerbaijan, Kazakhstan, Kyrgyzstan and Uzbekistan.",
            "Participants reviewed how to prepare nomination files for the Islamic World "
            "Heritage List and how to involve local communities in safeguarding.",
            "The office plans to make the workshop a yearly meeting for the region.",
        ),
        categories=(EN_NEWS, EN_CULTURE),
        theme="modern",
        states=BASE - {"edited"},
        expected_key="icesco.org/en/2025/02/17/icesco-regional-office-in-baku-hold-first-"
        "workshop-on-heritage-cooperation",
    ),
    Article(
        lang="en",
        date=date(2025, 2, 17),
        slug="icesco-regional-office-in-baku-hold-first-workshop-on-heritage-cooperation",
        title="ICESCO Regional Office in Baku Holds First Workshop on Intangible Heritage "
        "Cooperation",
        paragraphs=(
            "The ICESCO Regional Office in Baku held its first workshop for heritage "
            "professionals from Azerbaijan, Kazakhstan, Kyrgyzstan and Uzbekistan.",
            "Participants reviewed how to prepare nomination files for the Islamic World "
            "Heritage List and how to involve local communities in safeguarding.",
            "Sessions focused on living traditions such as epic poetry, music and crafts, "
            "which the organisers said are more fragile than monuments.",
            "The office plans to make the workshop a yearly meeting for the region.",
        ),
        categories=(EN_NEWS, EN_CULTURE),
        theme="modern",
        states=frozenset({"edited"}),
        expected_key="icesco.org/en/2025/02/17/icesco-regional-office-in-baku-hold-first-"
        "workshop-on-heritage-cooperation",
    ),
    Article(
        lang="en",
        date=date(2025, 3, 18),
        slug="icesco-director-general-receives-minister-of-basic-and-secondary-education-of-the-gambia",
        title="ICESCO Director-General Receives Minister of Basic and Secondary Education of "
        "The Gambia",
        paragraphs=(
            "Dr. Salim M. AlMalik, Director-General of ICESCO, received the Minister of Basic "
            "and Secondary Education of The Gambia at the Organization's headquarters in Rabat.",
            "The two sides discussed teacher training, the integration of Quranic schools into "
            "the national system and the digitisation of school textbooks.",
            "The Director-General announced that ICESCO will support a national conference on "
            "girls' education later this year.",
        ),
        categories=(EN_NEWS, EN_DG, ("member-state/gambia", "Gambia")),
        theme="modern",
        time="11:15",
        expected_key="icesco.org/en/2025/03/18/icesco-director-general-receives-minister-of-"
        "basic-and-secondary-education-of-the-gambia",
    ),
    # --- new in "after" ---
    Article(
        lang="en",
        date=date(2025, 4, 8),
        slug="icesco-opens-entries-for-most-innovative-youth-projects-for-peace-contest",
        title="ICESCO Opens Entries for Most Innovative Youth Projects for Peace Contest",
        paragraphs=(
            "ICESCO has invited the graduates of its Leadership Training in Peace and Security "
            "programme to submit projects to the Most Innovative Youth Projects for Peace "
            "contest.",
            "Entries must address a real need in the applicant's community, such as "
            "reconciliation, climate resilience or access to education for displaced children.",
            "A panel of ICESCO experts will judge the proposals on their impact, originality "
            "and ability to last beyond the first year.",
            "The three best projects will receive seed funding and mentoring.",
        ),
        categories=(EN_NEWS,),
        theme="modern",
        time="09:45",
        states=NEW,
        expected_key="icesco.org/en/2025/04/08/icesco-opens-entries-for-most-innovative-youth-"
        "projects-for-peace-contest",
    ),
    Article(
        lang="en",
        date=date(2025, 4, 15),
        slug="conference-of-education-ministers-adopts-rabat-declaration-on-teacher-training",
        title="Conference of Education Ministers Adopts Rabat Declaration on Teacher Training",
        paragraphs=(
            "Education ministers of the Islamic world closed their conference in Rabat by "
            "adopting a declaration that makes teacher training the first priority of the "
            "coming years.",
            "The text commits the signatories to raise the share of qualified teachers in "
            "primary schools and to recognise each other's training diplomas.",
            "Ms. Haddy Jatou Sey, Head of ICESCO's Education Sector, presented a regional "
            "report showing large gaps between urban and rural schools.",
            "ICESCO will publish an annual progress review based on data supplied by the "
            "ministries.",
        ),
        categories=(EN_NEWS, EN_EDU),
        theme="classic",
        states=NEW,
        expected_key="icesco.org/en/2025/04/15/conference-of-education-ministers-adopts-rabat-"
        "declaration-on-teacher-training",
    ),
    # --- new in "after-more" ---
    Article(
        lang="en",
        date=date(2025, 6, 3),
        slug="icesco-trains-west-african-archivists-in-manuscript-conservation",
        title="ICESCO Trains West African Archivists in Manuscript Conservation",
        paragraphs=(
            "Twenty archivists and librarians from West Africa completed an ICESCO course on "
            "conserving and digitising Arabic-script manuscripts.",
            "The trainees practised cleaning, repairing and rehousing fragile folios and "
            "learnt to describe them in shared online catalogues.",
            "The Culture Sector said the course answers requests from private libraries that "
            "hold thousands of unrecorded texts.",
        ),
        categories=(EN_NEWS, EN_CULTURE),
        theme="modern",
        states=MORE,
        expected_key="icesco.org/en/2025/06/03/icesco-trains-west-african-archivists-in-"
        "manuscript-conservation",
    ),
    Article(
        lang="en",
        date=date(2025, 6, 19),
        slug="mishkat-programme-graduates-first-cohort-of-arabic-teachers-in-malaysia",
        title="Mishkat Programme Graduates First Cohort of Arabic Teachers in Malaysia",
        paragraphs=(
            "Sixty teachers of Arabic from Malaysia, Indonesia and Brunei received their "
            "certificates after a year of training under ICESCO's Mishkat programme.",
            "The course was delivered by the ICESCO educational centre in Malaysia together "
            "with the Arabic Language Center for Non-Arabic Speakers.",
            "Graduates will now train colleagues in their own schools, multiplying the reach "
            "of the programme across Southeast Asia.",
            "A second cohort is due to start after the summer break.",
        ),
        categories=(EN_NEWS, EN_EDU),
        theme="modern",
        states=MORE,
        expected_key="icesco.org/en/2025/06/19/mishkat-programme-graduates-first-cohort-of-"
        "arabic-teachers-in-malaysia",
    ),
    Article(
        lang="en",
        date=date(2025, 7, 2),
        slug="young-media-professionals-complete-icesco-content-creation-programme-in-cairo",
        title="Young Media Professionals Complete ICESCO Content Creation Programme in Cairo",
        paragraphs=(
            "A first group of young journalists and video makers completed a content creation "
            "programme organised by ICESCO's Media and Communication Sector in Cairo.",
            "For six weeks, participants produced short documentaries, podcasts and social "
            "media series on cultural heritage and science.",
            "Trainers from the Media and Communication Sector of the League of Arab States "
            "also took part as guest speakers.",
            "Mr. Osama Heikal, Head of ICESCO's Media and Communication Sector, said the best "
            "productions will be broadcast on the Organization's channels.",
        ),
        categories=(EN_NEWS,),
        theme="classic",
        date_markup="text",
        states=MORE,
        expected_key="icesco.org/en/2025/07/02/young-media-professionals-complete-icesco-content-"
        "creation-programme-in-cairo",
    ),
    Article(
        lang="en",
        date=date(2025, 7, 16),
        slug="moroccos-foreign-minister-and-icesco-director-general-review-model-partnership",
        title="Morocco's Foreign Minister and ICESCO Director-General Review Model Partnership",
        paragraphs=(
            "Morocco's Minister of Foreign Affairs met Dr. Salim M. AlMalik, Director-General "
            "of ICESCO, to take stock of cooperation between the Kingdom and the Organization, "
            "its host country.",
            "The Director-General thanked Morocco for its support and briefed the minister on "
            "the preparations for the next General Conference.",
            "Both sides agreed to extend joint programmes on heritage, youth and the Arabic "
            "language to more African Member States.",
        ),
        categories=(EN_NEWS, EN_DG),
        theme="modern",
        states=MORE,
        expected_key="icesco.org/en/2025/07/16/moroccos-foreign-minister-and-icesco-director-"
        "general-review-model-partnership",
    ),
    Article(
        lang="en",
        date=date(2025, 8, 5),
        slug="icesco-stands-with-pakistan-as-floods-devastate-several-provinces",
        title="ICESCO Stands with Pakistan as Floods Devastate Several Provinces",
        paragraphs=(
            "ICESCO expressed its solidarity with the government and people of Pakistan after "
            "monsoon floods swept away homes, schools and farmland in several provinces.",
            "The Organization offered its condolences to the families of the victims and "
            "wished a quick recovery to the injured.",
            "ICESCO said it is ready to help rebuild damaged schools and to support "
            "psychological care for affected children.",
        ),
        categories=(EN_NEWS, EN_FRONT),
        theme="modern",
        states=MORE,
        expected_key="icesco.org/en/2025/08/05/icesco-stands-with-pakistan-as-floods-devastate-"
        "several-provinces",
    ),
    Article(
        lang="en",
        date=date(2025, 8, 26),
        slug="arts-and-storytelling-at-the-heart-of-an-icesco-workshop-on-social-development",
        title="Arts and Storytelling at the Heart of an ICESCO Workshop on Social Development",
        paragraphs=(
            "Artists, social workers and researchers gathered at ICESCO for a workshop on how "
            "theatre, music and storytelling can help communities heal and change.",
            "The Human and Social Sciences Sector presented case studies from refugee camps and "
            "poor urban neighbourhoods where arts projects reduced violence.",
            "Participants drafted a guide for local authorities who want to fund such projects.",
        ),
        categories=(EN_NEWS,),
        theme="modern",
        states=MORE,
        expected_key="icesco.org/en/2025/08/26/arts-and-storytelling-at-the-heart-of-an-icesco-"
        "workshop-on-social-development",
    ),
    Article(
        lang="en",
        date=date(2025, 9, 9),
        slug="central-asian-farmers-see-results-of-icesco-smart-agriculture-projects",
        title="Central Asian Farmers See Results of ICESCO Smart Agriculture Projects",
        paragraphs=(
            "Two ICESCO projects on connected sensors and biochar were showcased to farmers "
            "and researchers during an agricultural week in Almaty, Kazakhstan.",
            "Launched with the Islamic Organization for Food Security and a Kazakh agrarian "
            "university, the projects tested low-cost tools on pilot farms.",
            "Organisers reported water savings and better yields on the test plots and "
            "presented two practical guides for the region.",
            "ICESCO's Science and Environment Sector plans to extend the pilots to other "
            "Central Asian countries.",
        ),
        categories=(EN_NEWS, EN_SCI),
        theme="modern",
        states=MORE,
        expected_key="icesco.org/en/2025/09/09/central-asian-farmers-see-results-of-icesco-"
        "smart-agriculture-projects",
    ),
    Article(
        lang="en",
        date=date(2025, 9, 18),
        slug="director-general-calls-for-religious-diplomacy-at-astana-congress-of-religious-leaders",
        title="Director-General Calls for Religious Diplomacy at Astana Congress of Religious "
        "Leaders",
        paragraphs=(
            "Dr. Salim M. AlMalik, Director-General of ICESCO, spoke at the opening of the "
            "Congress of Leaders of World and Traditional Religions in Astana.",
            "He argued that faith leaders can calm conflicts where politics has failed and "
            "proposed an observatory to support their work with data and analysis.",
            "Mr. Anar Karimov, Head of the Partnerships and International Cooperation Sector, "
            "accompanied the Director-General.",
        ),
        categories=(EN_NEWS, EN_DG),
        theme="modern",
        time="16:05",
        states=MORE,
        expected_key="icesco.org/en/2025/09/18/director-general-calls-for-religious-diplomacy-at-"
        "astana-congress-of-religious-leaders",
    ),
)

FR: tuple[Article, ...] = (
    Article(
        lang="fr",
        date=date(2024, 2, 22),
        slug="licesco-celebre-la-journee-internationale-de-la-langue-maternelle",
        title="L'ICESCO célèbre la Journée internationale de la langue maternelle",
        paragraphs=(
            "L'Organisation du monde islamique pour l'éducation, les sciences et la culture "
            "(ICESCO) a appelé ses États membres à permettre à chaque enfant d'apprendre "
            "d'abord dans la langue parlée à la maison.",
            "Dans une déclaration, l'Organisation rappelle que de nombreuses langues du monde "
            "islamique ne sont plus parlées que par de petites communautés.",
            "Elle invite les universités et les éditeurs à documenter ces langues tant qu'il "
            "reste des locuteurs pour les transmettre.",
        ),
        categories=(FR_NEWS,),
        theme="classic",
        expected_key="icesco.org/fr/2024/02/22/licesco-celebre-la-journee-internationale-de-la-"
        "langue-maternelle",
    ),
    Article(
        lang="fr",
        date=date(2024, 5, 16),
        slug="bakou-cloture-de-la-deuxieme-conference-ministerielle-sur-le-programme-pisa",
        title="Bakou : clôture de la deuxième Conférence ministérielle sur le programme PISA",
        paragraphs=(
            "La deuxième Conférence ministérielle sur le Programme international pour le suivi "
            "des acquis des élèves (PISA) s'est achevée à Bakou.",
            "Organisée par l'ICESCO et le ministère azerbaïdjanais de la Science et de "
            "l'Éducation avec l'OCDE, elle a permis de comparer les résultats de l'édition "
            "2022.",
            "Les délégations ont plaidé pour des évaluations adaptées aux priorités de chaque "
            "pays. Elles ont aussi demandé un meilleur partage des données.",
        ),
        categories=(FR_NEWS, FR_UNE),
        theme="classic",
        date_markup="text",
        expected_key="icesco.org/fr/2024/05/16/bakou-cloture-de-la-deuxieme-conference-"
        "ministerielle-sur-le-programme-pisa",
    ),
    Article(
        lang="fr",
        date=date(2024, 7, 12),
        slug="douze-nouveaux-sites-inscrits-sur-la-liste-du-patrimoine-du-monde-islamique",
        title="Douze nouveaux sites inscrits sur la Liste du patrimoine du monde islamique",
        paragraphs=(
            "Le Comité du patrimoine du monde islamique de l'ICESCO a inscrit douze nouveaux "
            "éléments sur sa liste, parmi lesquels des monuments, des quartiers anciens et des "
            "savoir-faire vivants.",
            "Le Centre du patrimoine du monde islamique accompagnera les pays concernés dans "
            "l'élaboration de plans de gestion.",
            "Selon le Centre, l'inscription n'est qu'une première étape vers une protection "
            "durable.",
            "Les dossiers retenus seront présentés lors d'une exposition au siège de "
            "l'Organisation.",
        ),
        categories=(FR_NEWS, FR_GLUED),
        theme="modern",
        time="10:00",
        expected_key="icesco.org/fr/2024/07/12/douze-nouveaux-sites-inscrits-sur-la-liste-du-"
        "patrimoine-du-monde-islamique",
    ),
    Article(
        lang="fr",
        date=date(2024, 9, 8),
        slug="signature-dun-accord-de-cooperation-entre-licesco-et-luniversite-de-nouakchott",
        title="Signature d'un accord de coopération entre l'ICESCO et l'Université de Nouakchott",
        paragraphs=(
            "L'ICESCO et l'Université de Nouakchott ont signé un accord de coopération dans "
            "les domaines de la recherche, de la formation des enseignants et de la langue "
            "arabe.",
            "L'accord prévoit des bourses pour des doctorants et l'organisation conjointe de "
            "colloques scientifiques.",
            "Le Secteur des Partenariats et de la Coopération internationale assurera le suivi "
            "de sa mise en œuvre.",
        ),
        categories=(FR_NEWS, FR_DG),
        theme="classic",
        expected_key="icesco.org/fr/2024/09/08/signature-dun-accord-de-cooperation-entre-licesco-"
        "et-luniversite-de-nouakchott",
    ),
    Article(
        lang="fr",
        date=date(2024, 11, 6),
        slug="rabat-accueille-un-forum-sur-la-prospective-et-lintelligence-artificielle",
        title="Rabat accueille un forum sur la prospective et l'intelligence artificielle",
        paragraphs=(
            "Chercheurs, décideurs et entrepreneurs se sont réunis au siège de l'ICESCO pour "
            "un forum consacré à la prospective et à l'intelligence artificielle.",
            "Le Centre de Prospective et d'Intelligence artificielle a présenté des scénarios "
            "sur l'avenir de l'emploi dans les États membres.",
            "Les intervenants ont plaidé pour des stratégies nationales protégeant les données "
            "personnelles.",
        ),
        categories=(FR_NEWS,),
        theme="classic",
        date_markup="text",
        expected_key="icesco.org/fr/2024/11/06/rabat-accueille-un-forum-sur-la-prospective-et-"
        "lintelligence-artificielle",
    ),
    Article(
        lang="fr",
        date=date(2025, 1, 21),
        slug="licesco-et-la-banque-islamique-de-developpement-signent-un-memorandum-dentente",
        title="L'ICESCO et la Banque islamique de développement signent un mémorandum d'entente",
        paragraphs=(
            "L'ICESCO et la Banque islamique de développement ont conclu un mémorandum "
            "d'entente pour former les jeunes et les enseignants aux compétences numériques.",
            "Le Directeur général, Dr Salim M. AlMalik, a salué un programme pluriannuel aux "
            "objectifs précis.",
            "Les deux institutions équiperont des centres d'apprentissage et financeront des "
            "projets pilotes.",
            "Un comité conjoint se réunira deux fois par an pour évaluer les résultats.",
        ),
        categories=(FR_NEWS, FR_DG),
        theme="classic",
        expected_key="icesco.org/fr/2025/01/21/licesco-et-la-banque-islamique-de-developpement-"
        "signent-un-memorandum-dentente",
    ),
    Article(
        lang="fr",
        date=date(2025, 3, 19),
        slug="le-directeur-general-recoit-le-ministre-de-leducation-de-la-gambie",
        title="Le Directeur général reçoit le ministre de l'Éducation de la Gambie",
        paragraphs=(
            "Le Directeur général de l'ICESCO a reçu à Rabat le ministre gambien de "
            "l'Éducation de base et secondaire.",
            "Les entretiens ont porté sur la formation des enseignants et la numérisation des "
            "manuels scolaires.",
            "L'ICESCO soutiendra une conférence nationale sur la scolarisation des filles.",
        ),
        categories=(FR_NEWS, FR_DG),
        theme="modern",
        expected_key="icesco.org/fr/2025/03/19/le-directeur-general-recoit-le-ministre-de-"
        "leducation-de-la-gambie",
    ),
    # --- new in "after" ---
    Article(
        lang="fr",
        date=date(2025, 4, 10),
        slug="licesco-lance-le-concours-des-projets-de-jeunes-les-plus-innovants-pour-la-paix",
        title="L'ICESCO lance le concours des projets de jeunes les plus innovants pour la paix",
        paragraphs=(
            "L'ICESCO invite les anciens participants de son programme de leadership pour la "
            "paix et la sécurité à présenter un projet au concours.",
            "Les propositions doivent répondre à un besoin réel de leur communauté, comme la "
            "réconciliation ou l'accès à l'école des enfants déplacés.",
            "Les trois meilleurs projets recevront un financement de démarrage et un "
            "accompagnement.",
        ),
        categories=(FR_NEWS, FR_UNE),
        theme="classic",
        date_markup="text",
        states=NEW,
        expected_key="icesco.org/fr/2025/04/10/licesco-lance-le-concours-des-projets-de-jeunes-"
        "les-plus-innovants-pour-la-paix",
    ),
)

AR: tuple[Article, ...] = (
    Article(
        lang="ar",
        date=date(2024, 2, 21),
        slug="%D8%A7%D9%84%D8%A5%D9%8A%D8%B3%D9%8A%D8%B3%D9%83%D9%88-%D8%AA%D8%AD%D8%AA%D9%81"
        "%D9%8A-%D8%A8%D8%A7%D9%84%D9%8A%D9%88%D9%85-%D8%A7%D9%84%D8%AF%D9%88%D9%84%D9%8A-"
        "%D9%84%D9%84%D8%BA%D8%A9-%D8%A7%D9%84",
        title="الإيسيسكو تحتفي باليوم الدولي للغة الأم وتدعو إلى صون التنوع اللغوي",
        paragraphs=(
            "دعت منظمة العالم الإسلامي للتربية والعلوم والثقافة (إيسيسكو) دولها الأعضاء إلى "
            "تمكين كل طفل من التعلم أولا باللغة التي يتحدث بها في بيته.",
            "وأوضحت المنظمة في بيان بهذه المناسبة أن لغات كثيرة في العالم الإسلامي لم يعد "
            "يتحدثها إلا عدد قليل من الناس.",
            "كما دعت الجامعات ودور النشر إلى توثيق هذه اللغات قبل أن يرحل آخر المتحدثين بها.",
        ),
        categories=(AR_NEWS,),
        theme="modern",
        expected_key="icesco.org/ar/2024/02/21/%D8%A7%D9%84%D8%A5%D9%8A%D8%B3%D9%8A%D8%B3%D9%83"
        "%D9%88-%D8%AA%D8%AD%D8%AA%D9%81%D9%8A-%D8%A8%D8%A7%D9%84%D9%8A%D9%88%D9%85-%D8%A7%D9"
        "%84%D8%AF%D9%88%D9%84%D9%8A-%D9%84%D9%84%D8%BA%D8%A9-%D8%A7%D9%84",
    ),
    Article(
        lang="ar",
        date=date(2024, 5, 15),
        slug="%D8%A7%D8%AE%D8%AA%D8%AA%D8%A7%D9%85-%D8%A7%D9%84%D9%85%D8%A4%D8%AA%D9%85%D8%B1-"
        "%D8%A7%D9%84%D9%88%D8%B2%D8%A7%D8%B1%D9%8A-%D8%A7%D9%84%D8%AB%D8%A7%D9%86%D9%8A-"
        "%D8%AD%D9%88%D9%84-%D8%A8%D8%B1%D9%86",
        title="اختتام المؤتمر الوزاري الثاني حول برنامج التقييم الدولي للطلبة في باكو",
        paragraphs=(
            "اختتم في باكو المؤتمر الوزاري الثاني حول البرنامج الدولي لتقييم الطلبة، الذي "
            "نظمته الإيسيسكو ووزارة العلم والتعليم الأذربيجانية بالشراكة مع منظمة التعاون "
            "الاقتصادي والتنمية.",
            "وناقش المشاركون نتائج دورة 2022 وسبل تحسين أداء التلاميذ في القراءة والرياضيات.",
            "وأكدت الوفود أهمية أن تراعي التقييمات الدولية أولويات كل بلد وخصوصياته الثقافية.",
        ),
        categories=(AR_NEWS, AR_FRONT),
        theme="modern",
        time="18:10",
        expected_key="icesco.org/ar/2024/05/15/%D8%A7%D8%AE%D8%AA%D8%AA%D8%A7%D9%85-%D8%A7%D9%84"
        "%D9%85%D8%A4%D8%AA%D9%85%D8%B1-%D8%A7%D9%84%D9%88%D8%B2%D8%A7%D8%B1%D9%8A-%D8%A7%D9%84"
        "%D8%AB%D8%A7%D9%86%D9%8A-%D8%AD%D9%88%D9%84-%D8%A8%D8%B1%D9%86",
    ),
    Article(
        lang="ar",
        date=date(2024, 7, 11),
        slug="%D8%A5%D8%AF%D8%B1%D8%A7%D8%AC-%D8%A7%D8%AB%D9%86%D9%8A-%D8%B9%D8%B4%D8%B1-%D9%85"
        "%D9%88%D9%82%D8%B9%D8%A7-%D8%AC%D8%AF%D9%8A%D8%AF%D8%A7-%D9%81%D9%8A-%D9%82%D8%A7"
        "%D8%A6%D9%85%D8%A9-%D8%A7%D9%84%D8%AA",
        title="إدراج اثني عشر موقعا جديدا في قائمة التراث في العالم الإسلامي",
        paragraphs=(
            "أدرجت لجنة التراث في العالم الإسلامي التابعة للإيسيسكو اثني عشر عنصرا جديدا في "
            "قائمتها، من بينها معالم تاريخية وأحياء عتيقة وحرف تقليدية حية.",
            "وأوضح مركز التراث في العالم الإسلامي أن الإدراج خطوة أولى، وأنه سيساعد الدول "
            "المعنية على إعداد خطط للصون والإدارة.",
            "وستعرض الملفات المدرجة في معرض يقام بمقر المنظمة في الرباط.",
            "ودعا المركز المجتمعات المحلية إلى المشاركة في حماية هذا التراث ونقله إلى الأجيال "
            "القادمة.",
        ),
        categories=(AR_NEWS,),
        theme="modern",
        expected_key="icesco.org/ar/2024/07/11/%D8%A5%D8%AF%D8%B1%D8%A7%D8%AC-%D8%A7%D8%AB%D9%86"
        "%D9%8A-%D8%B9%D8%B4%D8%B1-%D9%85%D9%88%D9%82%D8%B9%D8%A7-%D8%AC%D8%AF%D9%8A%D8%AF%D8"
        "%A7-%D9%81%D9%8A-%D9%82%D8%A7%D8%A6%D9%85%D8%A9-%D8%A7%D9%84%D8%AA",
    ),
    Article(
        lang="ar",
        date=date(2024, 8, 2),
        slug="%D9%85%D8%B1%D9%83%D8%B2-%D8%A7%D9%84%D8%A5%D9%8A%D8%B3%D9%8A%D8%B3%D9%83%D9%88-"
        "%D9%84%D9%84%D8%BA%D8%A9-%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9-%D9%8A%D8%B7"
        "%D9%84%D9%82-%D8%AF%D9%88%D8%B1%D8%A9",
        title="مركز الإيسيسكو للغة العربية يطلق دورة صيفية مكثفة للناطقين بغيرها",
        paragraphs=(
            "انطلقت في مقر الإيسيسكو دورة صيفية مكثفة في اللغة العربية لفائدة أربعين دارسا من "
            "ثماني عشرة دولة.",
            "وتجمع الدورة بين دروس صباحية وورش مسائية في الخط العربي ولغة الإعلام والمحادثة.",
            "وأوضح الدكتور مجدي حاج إبراهيم، رئيس مركز الإيسيسكو للغة العربية للناطقين بغيرها، "
            "أن الدورة تعتمد على منهج مشكاة.",
        ),
        categories=(AR_NEWS,),
        theme="modern",
        time="11:30",
        expected_key="icesco.org/ar/2024/08/02/%D9%85%D8%B1%D9%83%D8%B2-%D8%A7%D9%84%D8%A5%D9%8A"
        "%D8%B3%D9%8A%D8%B3%D9%83%D9%88-%D9%84%D9%84%D8%BA%D8%A9-%D8%A7%D9%84%D8%B9%D8%B1%D8"
        "%A8%D9%8A%D8%A9-%D9%8A%D8%B7%D9%84%D9%82-%D8%AF%D9%88%D8%B1%D8%A9",
    ),
    Article(
        lang="ar",
        date=date(2024, 11, 5),
        slug="%D9%85%D9%84%D8%AA%D9%82%D9%89-%D8%A7%D9%84%D8%A7%D8%B3%D8%AA%D8%B4%D8%B1%D8%A7"
        "%D9%81-%D9%88%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D9%84%D8%A7%D8%B5%D8%B7%D9"
        "%86%D8%A7%D8%B9%D9%8A-%D9%8A%D8%AC",
        title="ملتقى الاستشراف والذكاء الاصطناعي يجمع خبراء الدول الأعضاء في الرباط",
        paragraphs=(
            "احتضن مقر الإيسيسكو ملتقى حول الاستشراف والذكاء الاصطناعي بمشاركة باحثين وصناع "
            "قرار ورواد أعمال.",
            "وقدم مركز الاستشراف والذكاء الاصطناعي سيناريوهات حول مستقبل الوظائف في الدول الأعضاء.",
            "ودعا المتدخلون إلى وضع استراتيجيات وطنية تحمي البيانات الشخصية وتدعم تقنيات اللغة "
            "العربية.",
        ),
        categories=(AR_NEWS,),
        theme="modern",
        expected_key="icesco.org/ar/2024/11/05/%D9%85%D9%84%D8%AA%D9%82%D9%89-%D8%A7%D9%84%D8%A7"
        "%D8%B3%D8%AA%D8%B4%D8%B1%D8%A7%D9%81-%D9%88%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8"
        "%A7%D9%84%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A-%D9%8A%D8%AC",
    ),
    Article(
        lang="ar",
        date=date(2024, 12, 11),
        slug="%D8%A3%D9%88%D9%84%D9%85%D8%A8%D9%8A%D8%A7%D8%AF-%D8%A7%D9%84%D8%A5%D9%8A%D8%B3"
        "%D9%8A%D8%B3%D9%83%D9%88-%D9%84%D9%84%D8%B9%D9%84%D9%88%D9%85-%D9%8A%D8%AA%D9%88%D8"
        "%AC-%D9%85%D8%A8%D8%AA%D9%83%D8%B1",
        title="أولمبياد الإيسيسكو للعلوم يتوج مبتكرين شبابا من خمس عشرة دولة عضوا بعد منافسات "
        "علمية استمرت ثلاثة أيام في مقر المنظمة بالرباط",
        paragraphs=(
            "تنافس تلاميذ من خمس عشرة دولة عضوا في المرحلة النهائية لأولمبياد الإيسيسكو للعلوم، "
            "وقدموا مشاريع في مجالات المياه والطاقة المتجددة والكشف المبكر عن الأمراض.",
            "ومنحت لجنة التحكيم الميداليات الذهبية لفرق من إندونيسيا والمغرب ونيجيريا.",
            "وسيشارك الفائزون في مدرسة صيفية للبحث العلمي تستضيفها جامعة شريكة.",
        ),
        categories=(AR_NEWS, AR_FRONT),
        theme="modern",
        expected_key="icesco.org/ar/2024/12/11/%D8%A3%D9%88%D9%84%D9%85%D8%A8%D9%8A%D8%A7%D8%AF"
        "-%D8%A7%D9%84%D8%A5%D9%8A%D8%B3%D9%8A%D8%B3%D9%83%D9%88-%D9%84%D9%84%D8%B9%D9%84%D9"
        "%88%D9%85-%D9%8A%D8%AA%D9%88%D8%AC-%D9%85%D8%A8%D8%AA%D9%83%D8%B1",
    ),
    Article(
        lang="ar",
        date=date(2025, 3, 18),
        slug="%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D8%B1-%D8%A7%D9%84%D8%B9%D8%A7%D9%85-%D9%8A%D8%B3"
        "%D8%AA%D9%82%D8%A8%D9%84-%D9%88%D8%B2%D9%8A%D8%B1-%D8%A7%D9%84%D8%AA%D8%B1%D8%A8%D9"
        "%8A%D8%A9-%D8%A7%D9%84%D8%BA%D8%A7%D9%85%D8%A8%D9%8A",
        title="المدير العام للإيسيسكو يستقبل وزير التربية في غامبيا",
        paragraphs=(
            "استقبل الدكتور سالم بن محمد المالك، المدير العام للإيسيسكو، وزير التعليم الأساسي "
            "والثانوي في غامبيا بمقر المنظمة في الرباط.",
            "وبحث الجانبان سبل دعم تكوين المعلمين ورقمنة الكتب المدرسية.",
            "وأعلن المدير العام أن المنظمة ستدعم مؤتمرا وطنيا حول تعليم الفتيات.",
        ),
        categories=(AR_NEWS, AR_DG),
        theme="classic",
        date_markup="text",
        expected_key="icesco.org/ar/2025/03/18/%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D8%B1-%D8%A7%D9%84"
        "%D8%B9%D8%A7%D9%85-%D9%8A%D8%B3%D8%AA%D9%82%D8%A8%D9%84-%D9%88%D8%B2%D9%8A%D8%B1-%D8"
        "%A7%D9%84%D8%AA%D8%B1%D8%A8%D9%8A%D8%A9-%D8%A7%D9%84%D8%BA%D8%A7%D9%85%D8%A8%D9%8A",
    ),
    # --- new in "after" ---
    Article(
        lang="ar",
        date=date(2025, 4, 9),
        slug="%D8%A7%D9%84%D8%A5%D9%8A%D8%B3%D9%8A%D8%B3%D9%83%D9%88-%D8%AA%D8%B7%D9%84%D9%82-"
        "%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D8%A9-%D8%A7%D9%84%D9%85%D8%B4%D8%A7%D8%B1%D9%8A%D8"
        "%B9-%D8%A7%D9%84%D8%B4%D8%A8%D8%A7",
        title="الإيسيسكو تطلق مسابقة المشاريع الشبابية المبتكرة من أجل السلام",
        paragraphs=(
            "دعت الإيسيسكو خريجي برنامجها للقيادة في مجال السلام والأمن إلى تقديم مشاريعهم في "
            "مسابقة المشاريع الشبابية الأكثر ابتكارا من أجل السلام.",
            "ويجب أن يستجيب كل مشروع لحاجة حقيقية في مجتمع صاحبه، مثل المصالحة أو تعليم الأطفال "
            "النازحين.",
            "وستحصل المشاريع الثلاثة الأفضل على تمويل أولي ومرافقة من خبراء المنظمة.",
        ),
        categories=(AR_NEWS,),
        theme="modern",
        states=NEW,
        expected_key="icesco.org/ar/2025/04/09/%D8%A7%D9%84%D8%A5%D9%8A%D8%B3%D9%8A%D8%B3%D9%83"
        "%D9%88-%D8%AA%D8%B7%D9%84%D9%82-%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D8%A9-%D8%A7%D9%84%D9"
        "%85%D8%B4%D8%A7%D8%B1%D9%8A%D8%B9-%D8%A7%D9%84%D8%B4%D8%A8%D8%A7",
    ),
)

ARTICLES: tuple[Article, ...] = EN + FR + AR

# The old item pinned ("sticky") on top of EN page 1, in addition to its normal place.
FEATURED_KEY = (
    "icesco.org/en/2024/05/14/second-ministerial-conference-on-student-assessment-concludes-in-baku"
)
FEATURED_STATES = frozenset({"before", "after", "redesign", "edited"})

# The article whose title and body change in the "edited" state.
EDITED_KEY = (
    "icesco.org/en/2025/02/17/icesco-regional-office-in-baku-hold-first-workshop-on-heritage-"
    "cooperation"
)
