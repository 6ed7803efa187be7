"""Calibration targets and word lists of the synthetic municipality.

Every target carries its source. "population.md" is shared/domain/population.md of this project (CBS end 2024,
Divosa benchmarks, Amsterdam annual report 2023 and the articles the project starts from). Where no source gives
a figure the constant says "assumption" and why it was chosen: change those first when better figures arrive.

All names, streets and numbers are invented or drawn from small generic lists; BSNs come from a reserved
synthetic range (see SYNTH_BSN_FIRST_PREFIX). Nothing here describes a real person.
"""

from __future__ import annotations

import unicodedata

# --------------------------------------------------------------------------------------------------
# The municipality

MUNICIPALITY = "Havenstad"  # invented; no municipality of that name exists
USERNAME_PREFIX = "synth-"  # generated staff accounts; `trede synth --clear` removes exactly these
SYNTH_BSN_FIRST_PREFIX = 90_000_000  # BSNs 900000000+: the first 8 digits run from here, check digit by elfproef
STATE_PENSION_AGE = 67  # AOW-leeftijd 67 for 2024-2027 (SVB); clients on benefit are younger than this
ADULT_AGE = 18  # Participatiewet art. 9: obligations from 18 (legal rule set "obligation_min_age")
HISTORY_DAYS = 730  # two years of history up to `today` (the brief of the generator)

# (code, name, weight, first postcode number, streets). Invented street names in an invented town, so that no
# generated address is a real one; postcode numbers per district, letters random.
DISTRICTS: list[tuple[str, str, float, int, tuple[str, ...]]] = [
    (
        "CEN",
        "Centrum",
        0.09,
        3011,
        (
            "Kerkstraat",
            "Havenkade",
            "Marktplein",
            "Lange Gracht",
            "Korte Gracht",
            "Molensteeg",
            "Lange Haven",
            "Stadhuisplein",
        ),
    ),
    (
        "NRD",
        "Noord",
        0.13,
        3031,
        (
            "Noordsingel",
            "Zwanenlaan",
            "Noordplein",
            "Vijverstraat",
            "Zomerstraat",
            "Kanaalkade",
            "Lindelaan",
            "Tulpstraat",
        ),
    ),
    (
        "OST",
        "Oost",
        0.12,
        3061,
        ("Oosterdijk", "Fazantstraat", "Boezemlaan", "Waterlooplein", "Rijweg", "Vredelaan", "Beukenlaan", "Parkweg"),
    ),
    (
        "ZID",
        "Zuid",
        0.19,
        3071,
        (
            "Zuiderlaan",
            "Dordtsestraat",
            "Putsebocht",
            "Groene Dijk",
            "Hilleplein",
            "Randweg",
            "Slagveld",
            "Wolfshoek",
            "Pijnackerstraat",
        ),
    ),
    (
        "WST",
        "West",
        0.14,
        3021,
        (
            "Westersingel",
            "Schiedamsestraat",
            "Spanjaardhof",
            "Bellamystraat",
            "Schietbaan",
            "Visserijplein",
            "Duivenlaan",
        ),
    ),
    (
        "HVK",
        "Havenkwartier",
        0.10,
        3081,
        ("Kade", "Maaskade", "Brielsestraat", "Lagedijk", "Rijnhaven", "Kraanplein", "Tolhuisstraat"),
    ),
    (
        "MLW",
        "Molenwijk",
        0.11,
        3082,
        (
            "Molenlaan",
            "Korenmolenweg",
            "Wiekstraat",
            "Maalderij",
            "Zeilmakerstraat",
            "Graanstraat",
            "Meelstraat",
            "Bakkerslaan",
        ),
    ),
    (
        "PLD",
        "Polderrand",
        0.12,
        3086,
        ("Slingerweg", "Polderweg", "Akkerstraat", "Weidelaan", "Slotenweg", "Kievitslaan", "Grutostraat", "Rietlaan"),
    ),
]

# --------------------------------------------------------------------------------------------------
# Flows over the two years of history. One client row is a person; "stock" is who is on benefit today.
# population.md: total outflow 26% (2022) / 23.4% (2023) of the caseload a year -> 25% a year, so over two
# years exits = 0.50 x stock; outflow to paid work about 12% a year (49,000 of 408,000 in 2021) -> 0.24 x stock.
OUTFLOW_PER_YEAR = 0.25  # population.md: Divosa/CBS 23.4-26% a year
OUTFLOW_WORK_PER_YEAR = 0.12  # population.md: 49,000 of 408,000 (2021)
RETURN_WITHIN_YEAR_AFTER_WORK = 0.20  # population.md: Divosa, 20% of work-leavers back within 1 year
RETURN_WITHIN_YEAR_ALL = 0.22  # population.md: CBS, 22% of all leavers back after 1 year

# History types, as a share of all client rows (stock = STAY + LEFT_RETURNED + NEW). Derived from the flows above
# with a steady caseload (stock two years ago = stock today = 1, so NEW = LEFT + PENSION) and exits in the last
# year = 0.25: LEFT leave evenly over two years (half in the last year), NEW_LEFT mostly late (~3/4), the
# returned ones early (~45%), pension evenly: LEFT/2 + 0.75 NEW_LEFT + 0.45 LR + PENSION/2 = 0.25.
HISTORY_TYPES: dict[str, float] = {
    "stay": 0.582,  # on benefit all two years (started before the window)
    "left": 0.318,  # started before the window, left within it, not back
    "left_returned": 0.075,  # left within the window and came back (revolving door)
    "new": 0.343,  # started within the window, still on benefit
    "new_left": 0.060,  # started within the window and left again
    "pension": 0.025,  # reached state-pension age within the window (exit to AOW: other_benefit)
}
# Exit reasons of leavers who stay away / who come back. Work share of all exits = 0.12 / 0.25 = 0.48
# (population.md); "moved" and "other_benefit" leavers do not come back here. Shares otherwise: assumption.
EXIT_REASONS_GONE = {
    "work": 0.50,
    "education": 0.07,
    "partner_income": 0.10,
    "other_benefit": 0.10,
    "moved": 0.13,
    "other": 0.10,
}
EXIT_REASONS_RETURNING = {"work": 0.55, "education": 0.10, "partner_income": 0.10, "other": 0.25}
EARLIER_PERIOD_SHARE = 0.20  # assumption: a fifth of the long-term clients had an earlier, ended period

# --------------------------------------------------------------------------------------------------
# Profile of the clients on benefit today

WOMEN_SHARE = 227_000 / 406_000  # population.md: CBS end 2024, 227k women of 406k
UNDER_27_SHARE = 41_000 / 406_000  # population.md: CBS end 2024, 41k under 27 of 406k
# population.md: the far-from-work half is "mostly aged 50+". Assumption: 45% of all clients are 50+, the rest
# (45%) 27-49, which with the under-27 share gives the age bands below.
AGE_50_PLUS_SHARE = 0.45
AGE_BANDS_STOCK = [
    (18, 27, UNDER_27_SHARE),
    (27, 50, 1 - UNDER_27_SHARE - AGE_50_PLUS_SHARE),
    (50, STATE_PENSION_AGE, AGE_50_PLUS_SHARE),
]
# Leavers are younger (under-27s get an intensive approach and leave faster, population.md). Assumption.
AGE_BANDS_LEAVERS = [(18, 27, 0.20), (27, 50, 0.55), (50, STATE_PENSION_AGE, 0.25)]

# Duration on benefit: long-tailed. population.md: Rotterdam's far group on benefit more than 11 years on average.
# Mean years on benefit before the two-year window, by distance to work (exponential, capped at age 18):
DURATION_MEAN_YEARS_FAR = 15.0  # far group: capped by age; time on benefit then ~11 years (Rotterdam)
DURATION_MEAN_YEARS_MIDDLE = 5.0  # assumption
DURATION_MEAN_YEARS_NEAR = 2.0  # assumption
FAR_FROM_WORK_SHARE = 0.50  # population.md: roughly half of the caseload is judged far from work

# Household kinds per age band (under 27, 27-49, 50+): single, single_parent, couple, couple_children, cost_sharers.
# Assumption, consistent with CBS household tables where about 6 in 10 benefit households are single people and
# about 1 in 5 single parents; young clients often live with parents (cost sharers).
HOUSEHOLD_KINDS = ("single", "single_parent", "couple", "couple_children", "cost_sharers")
HOUSEHOLD_BY_AGE = {
    "young": (0.62, 0.20, 0.03, 0.03, 0.12),
    "middle": (0.45, 0.30, 0.08, 0.12, 0.05),
    "older": (0.76, 0.05, 0.12, 0.02, 0.05),
}
SINGLE_PARENT_WOMEN_SHARE = 0.90  # assumption: CBS eenoudergezinnen, about 9 in 10 with a mother
CHILDREN_COUNT_P = (0.45, 0.33, 0.15, 0.07)  # 1, 2, 3, 4 children; assumption

# Circumstances (Circumstances model choices), ordered from near to far from work, with target shares.
# population.md: "low education", "many with Dutch-language problems", "half of all clients call themselves ill",
# "debts", "isolation". The exact shares are assumptions that follow those statements.
EDUCATION_SHARES = {"high": 0.08, "middle": 0.28, "low": 0.40, "none": 0.24}
HEALTH_SHARES = {"none": 0.50, "some": 0.32, "severe": 0.18}  # population.md: half call themselves ill
DEBTS_SHARES = {"none": 0.48, "some": 0.27, "problematic": 0.25}
SOCIAL_SHARES = {"good": 0.42, "limited": 0.38, "isolated": 0.20}
MIGRANT_ORIGIN_SHARE = 0.50  # assumption (big-city caseloads); used only for names and the language level
# Language level by origin: Dutch-speaking (Dutch, Surinamese, Caribbean origin) or not. Assumption.
DUTCH_LEVEL_SHARES_DUTCH_SPEAKING = {"3f": 0.84, "2f": 0.12, "1f": 0.03, "below_1f": 0.01}
DUTCH_LEVEL_SHARES_OTHER = {"3f": 0.15, "2f": 0.20, "1f": 0.23, "below_1f": 0.42}
CARE_DUTIES_OTHERS_SHARE = 0.10  # assumption: informal care (mantelzorg) among clients without children

# Exemptions. population.md / participatiewet.md: about 10% had an exemption from the work obligation (Divosa
# 2017), mostly for urgent reasons. Split by ground: assumption.
EXEMPTION_SHARE = 0.10
EXEMPTION_GROUND_SHARES = {
    "single_parent_under_5": 0.14,
    "single_parent_no_childcare": 0.08,
    "fully_disabled": 0.10,
}  # the rest: urgent_reasons
EXEMPTION_HISTORY_SHARE = 0.06  # assumption: on-benefit clients with an earlier, ended exemption
EXEMPTION_9A_MAX_AGE_DAYS = 1100  # assumption: art. 9a exemptions running today were granted within ~3 years
# Art. 9a is re-examined every 6 months (review_months in the legal rule set). Assumptions: now and then the next
# review is set sooner (3 months), and for some the latest review date has passed without a review (overdue).
EXEMPTION_REVIEW_SHORTER_SHARE = 0.15
EXEMPTION_REVIEW_OVERDUE_SHARE = 0.10
LANGUAGE_UNABLE_SHARE = 0.12  # assumption: of clients below 1F with the language requirement
TEGENPRESTATIE_SHARE = 0.20  # assumption: clients >2 years on benefit with a tegenprestatie (differs per city)

# Service: caseload_norm comes from the local rule set (rules_on(today)["caseload_norm"]).
CASEWORKER_HOURS = {36: 0.60, 32: 0.25, 28: 0.10, 24: 0.05}  # assumption: part-time common in municipalities
CASEWORKERS_PER_TEAM = 8  # assumption: team size; teams are at most two per district
CONTACT_NORM_DAYS = 90  # local rule set "contact_norm_days" (trede default)
NO_RECENT_CONTACT_SHARE = 0.22  # assumption: clients without contact in the last 90 days (far group seen rarely)
NO_CONTACT_AT_ALL_SHARE = 0.03  # assumption
CONTACTS_PER_YEAR_NEAR = 3.0  # assumption
CONTACTS_PER_YEAR_FAR = 1.2  # assumption: 1 caseworker per 350 clients (population.md) leaves little time
REVIEW_OVERDUE_SHARE = 0.08  # assumption: clients whose periodic review date has passed
REVIEW_DUE_SOON_SHARE = 0.10  # assumption: review within the due horizon (28 days)
REASSIGNED_SHARE = 0.30  # assumption: clients who changed caseworker within the two years

# --------------------------------------------------------------------------------------------------
# Names (small lists of common first names and surnames, combined at random: no combination means a real person)

FIRST_NAMES_DUTCH_F = (
    "Anna",
    "Sanne",
    "Lisa",
    "Emma",
    "Femke",
    "Anouk",
    "Marieke",
    "Ingrid",
    "Petra",
    "Monique",
    "Linda",
    "Sandra",
    "Esther",
    "Wilma",
    "Karin",
    "Annemarie",
    "Joke",
    "Ria",
    "Tineke",
    "Yvonne",
    "Chantal",
    "Kim",
    "Naomi",
    "Iris",
    "Sophie",
    "Lotte",
    "Mirjam",
    "Bianca",
    "Debora",
    "Marloes",
    "Nicole",
    "Gerda",
    "Henny",
    "Anja",
    "Mariska",
    "Jolanda",
    "Priscilla",
    "Demi",
    "Romy",
    "Daphne",
)
FIRST_NAMES_DUTCH_M = (
    "Jan",
    "Pieter",
    "Kees",
    "Henk",
    "Wim",
    "Gerrit",
    "Johan",
    "Ruud",
    "Marco",
    "Dennis",
    "Patrick",
    "Erik",
    "Sander",
    "Bas",
    "Thijs",
    "Jeroen",
    "Martijn",
    "Rob",
    "Frank",
    "Richard",
    "Ronald",
    "Hans",
    "Theo",
    "Ad",
    "Cor",
    "Joop",
    "Kevin",
    "Mike",
    "Niels",
    "Stefan",
    "Tim",
    "Bart",
    "Jesse",
    "Daan",
    "Luuk",
    "Ricardo",
    "Raymond",
    "Edwin",
    "Arjen",
    "Maarten",
)
# (prefix, surname): "tussenvoegsel" kept apart as in the model
SURNAMES_DUTCH = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("de", "Jong"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("", "Hoekstra"),
    ("", "Koster"),
    ("", "Verbeek"),
    ("", "Prins"),
    ("van", "Wijk"),
    ("", "Post"),
    ("", "Kuipers"),
    ("ter", "Horst"),
    ("", "Huisman"),
    ("van", "Rijn"),
)
# Migrant-origin names by origin, so that a first name and a surname go together: (female, male, surnames).
# The weights say how often each origin occurs among the migrant-origin clients (assumption, big-city caseloads).
# "dutch_speaking": Dutch is the (school) language of Suriname and the Caribbean part of the Kingdom.
NAME_ORIGINS: dict[str, dict] = {
    "moroccan": {
        "weight": 0.26,
        "dutch_speaking": False,
        "female": (
            "Fatima",
            "Khadija",
            "Naima",
            "Samira",
            "Latifa",
            "Malika",
            "Nadia",
            "Hanane",
            "Ilham",
            "Saida",
            "Souad",
            "Loubna",
        ),
        "male": (
            "Mohamed",
            "Ahmed",
            "Mustafa",
            "Youssef",
            "Said",
            "Hassan",
            "Abdelkader",
            "Karim",
            "Rachid",
            "Soufiane",
            "Ayoub",
            "Bilal",
        ),
        "surnames": (
            ("el", "Amrani"),
            ("", "Benali"),
            ("", "Bouzid"),
            ("el", "Idrissi"),
            ("", "Haddou"),
            ("", "Ouali"),
            ("", "Chaouch"),
            ("", "Azzouzi"),
            ("el", "Khattabi"),
            ("", "Bakkali"),
        ),
    },
    "turkish": {
        "weight": 0.20,
        "dutch_speaking": False,
        "female": ("Ayşe", "Fatma", "Emine", "Zeynep", "Hatice", "Özlem", "Elif", "Gülsen", "Sevgi", "Derya"),
        "male": ("Mehmet", "Ali", "Hüseyin", "İbrahim", "Murat", "Emre", "Kemal", "Osman", "Hasan", "Yusuf"),
        "surnames": (
            ("", "Yılmaz"),
            ("", "Kaya"),
            ("", "Demir"),
            ("", "Şahin"),
            ("", "Çelik"),
            ("", "Öztürk"),
            ("", "Aydın"),
            ("", "Doğan"),
            ("", "Arslan"),
            ("", "Koç"),
        ),
    },
    "surinamese": {
        "weight": 0.16,
        "dutch_speaking": True,
        "female": (
            "Shirley",
            "Sharon",
            "Jennifer",
            "Giselle",
            "Anita",
            "Natasja",
            "Sunita",
            "Rachna",
            "Sandra",
            "Ruth",
        ),
        "male": ("Romano", "Clyde", "Glenn", "Roy", "Jurgen", "Orlando", "Ravi", "Rajesh", "Dennis", "Ricardo"),
        "surnames": (
            ("", "Sumter"),
            ("", "Pinas"),
            ("", "Wijngaarde"),
            ("", "Kartodikromo"),
            ("", "Doelwijt"),
            ("", "Ramdin"),
            ("", "Soekhlal"),
            ("", "Mangroelal"),
            ("", "Sedney"),
            ("", "Vroom"),
        ),
    },
    "antillean": {
        "weight": 0.06,
        "dutch_speaking": True,
        "female": ("Shurendy", "Giselle", "Nathaly", "Jurimy", "Chanella", "Sharine"),
        "male": ("Shurandy", "Jurensley", "Ramon", "Giovanni", "Raymond", "Churandy"),
        "surnames": (
            ("", "Martina"),
            ("", "Isenia"),
            ("", "Josephia"),
            ("", "Statia"),
            ("", "Winklaar"),
            ("", "Cijntje"),
        ),
    },
    "polish": {
        "weight": 0.09,
        "dutch_speaking": False,
        "female": ("Agnieszka", "Katarzyna", "Joanna", "Aleksandra", "Magdalena", "Monika"),
        "male": ("Piotr", "Tomasz", "Krzysztof", "Marek", "Paweł", "Michał"),
        "surnames": (
            ("", "Kowalski"),
            ("", "Nowak"),
            ("", "Wiśniewski"),
            ("", "Lewandowski"),
            ("", "Zieliński"),
            ("", "Wójcik"),
        ),
    },
    "syrian": {
        "weight": 0.13,
        "dutch_speaking": False,
        "female": ("Amal", "Rania", "Lina", "Hiba", "Yasmin", "Rasha", "Nour", "Dima"),
        "male": ("Omar", "Khaled", "Rami", "Bashar", "Hamza", "Ammar", "Mahmoud", "Fadi"),
        "surnames": (
            ("al", "Hassan"),
            ("", "Haddad"),
            ("", "Khalil"),
            ("", "Mansour"),
            ("", "Darwish"),
            ("", "Hamdan"),
            ("al", "Ahmad"),
            ("", "Kassem"),
        ),
    },
    "eritrean": {
        "weight": 0.05,
        "dutch_speaking": False,
        "female": ("Senait", "Helen", "Selam", "Winta", "Yordanos", "Feven"),
        "male": ("Yonas", "Dawit", "Tesfay", "Filmon", "Merhawi", "Robel"),
        "surnames": (
            ("", "Tesfamariam"),
            ("", "Gebremedhin"),
            ("", "Haile"),
            ("", "Tekle"),
            ("", "Woldemichael"),
            ("", "Berhane"),
        ),
    },
    "somali": {
        "weight": 0.05,
        "dutch_speaking": False,
        "female": ("Ifrah", "Hodan", "Amina", "Rahma", "Sahra", "Fadumo"),
        "male": ("Abdi", "Abdullahi", "Mohamud", "Hassan", "Ahmed", "Farah"),
        "surnames": (("", "Mohamud"), ("", "Warsame"), ("", "Abdullahi"), ("", "Farah"), ("", "Jama"), ("", "Osman")),
    },
}
CHILD_NAMES = (
    "Noah",
    "Sem",
    "Liam",
    "Lucas",
    "Finn",
    "Milan",
    "Adam",
    "Yusuf",
    "Mohammed",
    "Zayd",
    "Levi",
    "Bram",
    "Jayden",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Nora",
    "Sara",
    "Yara",
    "Lina",
    "Maryam",
    "Noor",
    "Evi",
    "Isa",
    "Zoë",
    "Aya",
    "Amira",
    "Hanna",
    "Liv",
    "Jada",
    "Elif",
    "Mees",
    "Daan",
    "Sofia",
    "Ilyas",
)
ADULT_CO_RESIDENT_NAMES = (
    FIRST_NAMES_DUTCH_F[:12]
    + FIRST_NAMES_DUTCH_M[:12]
    + tuple(name for origin in NAME_ORIGINS.values() for name in origin["female"][:2] + origin["male"][:2])
)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters only: for synthetic e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in plain.lower() if c.isalnum())


# --------------------------------------------------------------------------------------------------
# Texts (Dutch, as a caseworker writes them). {…} fields are filled from the lists below them.

CONTACT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "in_person": (
        "Gesprek op kantoor over {topic}. {agreement}",
        "Voortgangsgesprek: {topic} besproken. {agreement}",
        "Cliënt kwam op afspraak. Onderwerp: {topic}. {agreement}",
    ),
    "home_visit": (
        "Huisbezoek afgelegd; gesproken over {topic}. {agreement}",
        "Cliënt thuis bezocht; het gesprek ging vooral over {topic}. {agreement}",
    ),
    "phone": (
        "Telefonisch contact over {topic}. {agreement}",
        "Cliënt belde over {topic}. {agreement}",
        "Teruggebeld over {topic}. {agreement}",
    ),
    "video": ("Beeldbelgesprek over {topic}. {agreement}",),
    "email": (
        "E-mail van cliënt over {topic}; beantwoord. {agreement}",
        "Per e-mail informatie gestuurd over {topic}.",
    ),
    "letter": (
        "Brief verstuurd over {topic}.",
        "Uitnodigingsbrief verstuurd voor een gesprek over {topic}.",
    ),
}
CONTACT_TOPICS = (
    "de huidige situatie",
    "het plan van aanpak",
    "de zoektocht naar werk",
    "de taalcursus",
    "de schuldhulpverlening",
    "de gezondheid en belastbaarheid",
    "vrijwilligerswerk",
    "de kinderopvang",
    "een proefplaatsing",
    "de sollicitaties van de afgelopen maand",
    "de tegenprestatie",
    "een opleiding",
    "de inlichtingenplicht",
    "dagbesteding",
    "contact met het wijkteam",
)
CONTACT_AGREEMENTS = (
    "Afgesproken dat cliënt zich inschrijft bij een uitzendbureau.",
    "Cliënt levert binnen twee weken de gevraagde stukken aan.",
    "Volgende afspraak over zes weken.",
    "Verwezen naar het wijkteam.",
    "Cliënt gaat zich aanmelden voor de taalcursus.",
    "Geen nieuwe afspraken; situatie stabiel.",
    "Aanmelding bij schuldhulpverlening in gang gezet.",
    "Cliënt wil graag vrijwilligerswerk doen; mogelijkheden worden uitgezocht.",
    "Plan van aanpak bijgesteld.",
    "Cliënt geeft aan zich niet goed te voelen; over een maand opnieuw contact.",
    "Samen een cv opgesteld.",
    "Klant is gemotiveerd en gaat solliciteren op twee vacatures.",
)
ACTION_DESCRIPTIONS = (
    "Inschrijven bij een uitzendbureau",
    "Cv bijwerken en toesturen",
    "Aanmelden voor de taalcursus",
    "Afspraak maken met schuldhulpverlening",
    "Medische informatie opvragen (met toestemming)",
    "Drie sollicitaties per maand versturen",
    "Kennismaken bij vrijwilligersorganisatie",
    "Kinderopvang regelen",
    "Proefplaatsing voorbereiden met werkgeversadviseur",
    "Intake bij het wijkteam",
    "Bewijsstukken inkomen partner aanleveren",
    "Werkfit-traject starten",
    "Diploma's laten waarderen",
    "Aanmelden bij re-integratiebedrijf",
    "Budgetcursus volgen",
    "Evaluatie plan van aanpak plannen",
)
ACTION_PARTNERS = ("Wijkteam", "Schuldhulpverlening", "Taalhuis", "Re-integratiebedrijf", "Vrijwilligerscentrale")
EXEMPTION_REASONS = {
    "urgent_reasons": (
        "Ernstige psychische klachten; behandeling loopt.",
        "Fysieke klachten, tijdelijk niet belastbaar.",
        "Intensieve mantelzorg voor een ouder.",
        "Zorg voor een chronisch ziek kind.",
        "Acute crisissituatie in het gezin.",
        "Revalidatie na een operatie.",
        "Traject bij verslavingszorg; eerst herstel.",
    ),
    "single_parent_no_childcare": (
        "Geen passende kinderopvang beschikbaar.",
        "Kinderopvang nog niet geregeld; wachtlijst.",
    ),
    "fully_disabled": ("Volledig en duurzaam arbeidsongeschikt volgens medisch advies.",),
    "single_parent_under_5": ("Alleenstaande ouder met jong kind; ontheffing op verzoek.",),
    "language_unable": (
        "Kan de taaleis door een beperking niet halen (medisch advies).",
        "Analfabeet op hoge leeftijd; taaltoets niet haalbaar volgens taalaanbieder.",
    ),
}
EXEMPTION_END_REASONS = (
    "Omstandigheden verbeterd; weer in staat tot werk.",
    "Mantelzorg beëindigd.",
    "Behandeling afgerond.",
    "Bij herbeoordeling niet meer nodig.",
)
EXEMPTION_END_BENEFIT = "Uitkering beëindigd."
EXEMPTION_REVIEW_NOTES = (
    "Situatie ongewijzigd; ontheffing loopt door.",
    "Gesprek gevoerd; kind nog niet naar kinderopvang, ontheffing loopt door.",
    "Cliënt oriënteert zich op werk na afloop van de ontheffing.",
    "Besproken: scholing in deeltijd mogelijk, ontheffing blijft.",
)
ASSIGNMENT_REASONS_INITIAL = ("Nieuwe aanvraag", "Overdracht van het intaketeam", "")
ASSIGNMENT_REASONS_CHANGE = (
    "Herverdeling caseload",
    "Klantmanager vertrokken",
    "Verhuisd binnen de gemeente",
    "Op verzoek van cliënt",
    "Terugkeer in de bijstand",
)
HEALTH_NOTES = {
    "some": ("Rugklachten.", "Somberheid, onder behandeling huisarts.", "Beperkt belastbaar."),
    "severe": (
        "Ernstige psychische problematiek.",
        "Chronische ziekte, veel ziekenhuisbezoek.",
        "Ernstige fysieke beperkingen.",
    ),
}
CARE_NOTES = ("Zorgt voor jonge kinderen.", "Mantelzorg voor moeder.", "Zorg voor een kind met een beperking.")
LADDER_NOTES = ("", "", "Gemeten in gesprek.", "Na huisbezoek.", "Bij evaluatie plan van aanpak.")

# --------------------------------------------------------------------------------------------------
# Activation: providers, the activity catalogue, referrals and participation (trede.synth.activation)
#
# population.md: Amsterdam raised the share of active clients in the group far from work from 25% to over 45% in
# one year; Rotterdam reached three quarters of that group (three quarters of them through a tegenprestatie, which
# Rotterdam enforces). "Active" as the activation dashboard counts it: ladder step 3 or higher on the date, or a
# participation running on it (trede.activation.rules.counts_as_active). The generator aims the whole caseload at
# those two Amsterdam figures: about 25% a year before `today`, a steady year before that, then a push in the last
# year (more referrals, more self-found activity recorded) that brings the share to about 45%.
ACTIVE_SHARE_YEAR_AGO = 0.25  # population.md: Amsterdam, before its year of activation
ACTIVE_SHARE_TODAY = 0.45  # population.md: Amsterdam, "over 45%" after one year
ACTIVATION_PUSH_DAYS = 365  # the push began a year before `today` (population.md: "in one year")
# Participation is simulated as an on/off process per benefit spell, from two years before the window on, so that
# the history starts in a steady state. Hazard of starting something per day while doing nothing, scaled per client
# by the distance to work, health and age; in the push multiplied by a gain (larger for the far group, as in
# Amsterdam's approach). Assumptions, tuned so that the two targets above come out (tests/synth check them).
ACTIVATION_BURN_IN_DAYS = 730
ACTIVATION_START_RATE = 0.00085  # per day, for z = 0 and no health problems
ACTIVATION_Z_EFFECT = 0.55  # rate x exp(-effect * z): the far group starts less often
ACTIVATION_HEALTH_FACTOR = {"none": 1.0, "some": 0.75, "severe": 0.4}
ACTIVATION_PUSH_GAIN_NEAR = 2.4
ACTIVATION_PUSH_GAIN_FAR = 4.5
ACTIVATION_MAX_SPELLS = 7  # per benefit spell (four years at most): more are cut off
# Participation kinds: base weight, and extra weight where a circumstance calls for it (assumption). Informal care
# (mantelzorg) is reported by clients who have care duties; self-found volunteer work is recorded on the client's
# word (source "client"); everything else comes through a referral to an activity of that kind.
PARTICIPATION_KINDS = (
    "volunteer_work",
    "tegenprestatie",
    "course",
    "language",
    "health",
    "debts",
    "social_contact",
    "work_experience",
    "informal_care",
)
SELF_FOUND_VOLUNTEER_SHARE = 0.35  # assumption: of volunteer work, found by the client without a referral
# Durations (days): log-normal with this median and spread, per kind (assumption; courses are short, informal care
# long). Cut at 14 days and 5 years.
PARTICIPATION_DURATION = {
    "volunteer_work": (300, 0.8),
    "tegenprestatie": (240, 0.7),
    "course": (100, 0.5),
    "language": (210, 0.6),
    "health": (150, 0.7),
    "debts": (180, 0.6),
    "social_contact": (240, 0.8),
    "work_experience": (180, 0.5),
    "informal_care": (480, 0.9),
}
# Ladder steps (Divosa participation ladder 1-6) as measured: someone who takes part in something is on step 3 or
# 4 (sometimes 5 close to work); informal care alone counts as step 3 for half of them. Without participation the
# step is the client's own "resting" step, which follows the distance to work: clients on benefit ordered by
# -0.9 z + 0.6 noise and cut into steps 1-5 with these shares (mostly step 2, "social contacts outside the home";
# the far end isolated on step 1; a few close to work on 3-5). A few measurements differ by one step from the usual
# (measurement noise). Assumption.
REST_STEP_SHARES = {1: 0.26, 2: 0.66, 3: 0.04, 4: 0.025, 5: 0.015}
LADDER_NOISE_SHARE = 0.06
INFORMAL_CARE_STEP3_SHARE = 0.5
# Referrals besides those that led to a start: some that came to nothing (declined or withdrawn) before a start,
# and open ones today for clients not taking part yet (waiting list, proposed, accepted). Assumption.
FAILED_BEFORE_START_SHARE = 0.40
OPEN_REFERRAL_SHARE = 0.06  # of clients on benefit today without a referral they take part in
OPEN_STATUS_SHARES = {"waiting": 0.40, "proposed": 0.35, "accepted": 0.25}
WAITING_FIRST_SHARE = 0.15  # of referrals that started: first on a waiting list
# Capacity: places per activity, and how many places the catalogue has per place expected to be held today.
ACTIVITY_PLACES = (8, 25)  # in a district (uniform)
CITY_ACTIVITY_PLACES = (15, 40)  # for the whole municipality
CAPACITY_MARGIN = 1.6
FOLLOW_UP_OVERDUE_SHARE = 0.10  # ongoing participations whose follow-up contact has passed without being held

PROVIDERS_PER_DISTRICT = (  # (kind, name pattern); a district with many clients gets more community centres
    ("welfare", "Welzijn {district}"),
    ("neighbourhood_team", "Wijkteam {district}"),
    ("community_centre", "Buurthuis {street}"),
)
CITY_PROVIDERS = (
    ("municipality", "Gemeente {municipality}, Werkplein"),
    ("education", "Taalhuis {municipality}"),
    ("other", "Vrijwilligerscentrale {municipality}"),
    ("welfare", "Stichting Geldzaken {municipality}"),
)
# The catalogue: per kind the activities (name pattern, description, hours a week, physical load, Dutch needed,
# city-wide?). Invented; a tegenprestatie always says why it displaces no paid job (art. 9 lid 1c Participatiewet).
ACTIVITY_TEMPLATES: dict[str, tuple[tuple, ...]] = {
    "volunteer_work": (
        ("Moestuin {street}", "Samen groente kweken en de tuin bijhouden.", 6, "medium", "", False),
        ("Voedselbank {district}: uitgifte", "Pakketten klaarzetten en uitdelen.", 4, "medium", "1f", False),
        ("Kringloopwinkel {district}", "Spullen sorteren, prijzen en verkopen.", 12, "medium", "1f", False),
        ("Gastvrouw of gastheer buurthuis", "Koffie schenken en bezoekers ontvangen.", 4, "light", "1f", False),
        ("Dierenweide {district}", "Dieren verzorgen en de weide schoonhouden.", 8, "heavy", "", False),
        ("Bezoekvrijwilliger {district}", "Op bezoek bij ouderen die weinig bezoek krijgen.", 3, "light", "", False),
    ),
    "tegenprestatie": (
        (
            "Boodschappenhulp voor ouderen {district}",
            "Samen met een oudere boodschappen doen.",
            4,
            "light",
            "1f",
            False,
        ),
        ("Wandelmaatje {district}", "Wekelijks wandelen met een buurtbewoner die alleen is.", 3, "light", "1f", False),
        ("Boeken aan huis (bibliotheek)", "Boeken bezorgen bij wie niet naar buiten kan.", 4, "light", "", True),
        ("Schoon plein {district}", "Zwerfafval opruimen met bewoners van de buurt.", 6, "medium", "", False),
    ),
    "course": (
        ("Computercursus voor beginners", "Werken met e-mail, DigiD en internet.", 4, "light", "1f", True),
        ("Training solliciteren", "Een cv maken en oefenen met gesprekken.", 6, "light", "2f", True),
        ("Omgaan met stress", "Een training van tien bijeenkomsten.", 3, "light", "1f", False),
        ("Fietsen voor volwassenen", "Leren fietsen in een kleine groep.", 2, "light", "", False),
    ),
    "language": (
        ("Taalcafé {street}", "Nederlands oefenen in een kleine groep.", 3, "light", "", False),
        ("Nederlandse les (NT2)", "Les op niveau A1 en A2.", 6, "light", "", True),
        ("Lezen en schrijven", "Beter leren lezen en schrijven met een taalvrijwilliger.", 4, "light", "", True),
    ),
    "health": (
        ("Wandelgroep {district}", "Twee keer per week samen wandelen.", 2, "light", "", False),
        ("Sporten in de buurt", "Bewegen onder begeleiding.", 3, "medium", "", False),
        ("Gezond koken", "Samen koken en eten, met weinig geld.", 3, "light", "1f", False),
    ),
    "debts": (
        ("Geldzaken op orde", "Een cursus over de eigen administratie.", 2, "light", "1f", True),
        ("Thuisadministratie", "Een vrijwilliger helpt thuis met de post.", 2, "light", "", False),
        ("Spreekuur geldzaken {district}", "Vragen over rekeningen en schulden.", 1, "light", "", False),
    ),
    "social_contact": (
        ("Inloop {street}", "Binnenlopen voor koffie, een praatje en activiteiten.", 4, "light", "", False),
        ("Samen eten {district}", "Eén keer per week samen eten.", 3, "light", "", False),
        ("Creatief atelier {district}", "Schilderen, kleien en naaien in een groep.", 4, "light", "", False),
    ),
    "work_experience": (
        ("Werkervaring kringloop", "Werken in het magazijn en de winkel.", 20, "medium", "1f", True),
        ("Leerwerkplek groen", "Groenonderhoud in de wijk, met een leermeester.", 24, "heavy", "", True),
        ("Werkervaring horeca", "Meewerken in de keuken van een sociale onderneming.", 16, "medium", "2f", True),
        ("Werkervaring administratie", "Postkamer en archief.", 16, "light", "2f", True),
        ("Werkervaring fietsenmakerij", "Fietsen opknappen in een werkplaats.", 16, "medium", "", True),
    ),
}
NO_DISPLACEMENT_TEXTS = (
    "Dit werk komt bovenop wat betaalde krachten doen: geen taken uit een bestaande functie, geen vervanging bij "
    "ziekte of vakantie. Afgestemd met de ondernemingsraad van de aanbieder.",
    "Aanvullend op het werk van betaalde medewerkers; zonder deze inzet gebeurt het niet. Er verdwijnt geen "
    "betaalde baan en er komt er ook geen minder door.",
    "Het gaat om extra aandacht en hulp die nu niemand betaald doet. Elk jaar kijkt de gemeente met de aanbieder "
    "of dat nog zo is.",
)
ACTIVITY_CONTACT_ROLES = ("coördinator", "begeleider", "vrijwilligerscoördinator", "trajectbegeleider")
SELF_REPORTED = {  # kind -> descriptions on the client's word
    "informal_care": (
        "Mantelzorg voor moeder",
        "Mantelzorg voor vader",
        "Zorg voor een ziek familielid",
        "Zorg voor de buurvrouw",
    ),
    "volunteer_work": (
        "Vrijwilliger bij de sportclub",
        "Vrijwilliger in de moskee",
        "Vrijwilliger bij de kerk",
        "Helpt op de school van de kinderen",
        "Vrijwilliger bij de voetbalvereniging",
    ),
    "other": ("Zelf gevonden activiteit",),
}
REFERRAL_DECLINE_REASONS = (
    "Cliënt ziet het nu niet zitten.",
    "Past niet bij de gezondheid van de cliënt.",
    "Aanbieder: past niet in de groep.",
    "Reistijd te lang.",
    "Cliënt heeft zelf iets anders gevonden.",
)
REFERRAL_WITHDRAW_REASONS = (
    "Andere activiteit gekozen.",
    "Eerst zorg nodig.",
    "Wachtlijst te lang.",
    "Cliënt niet bereikbaar.",
)
PARTICIPATION_END_REASONS = (
    "Activiteit afgerond.",
    "Cliënt stopt; het ging niet meer.",
    "Gezondheid laat het niet meer toe.",
    "Cursus afgelopen.",
    "Wil iets anders.",
)
PARTICIPATION_END_WORK = "Heeft betaald werk gevonden."
PARTICIPATION_END_BENEFIT = "Uitkering beëindigd."
WAITING_REASON = "Geen plaats vrij: op de wachtlijst."
# next step after a participation that stopped by itself (the rest: none written, the caseworker is reminded)
NEXT_STEPS = {
    "new_activity": 0.30,
    "continue_alone": 0.18,
    "work_route": 0.14,
    "care": 0.08,
    "rest": 0.15,
    "": 0.15,
}

# --------------------------------------------------------------------------------------------------
# Routes (trede.intake): the route decision in force, consistent with the profile (trede.synth.employers)
#
# The advice follows the rule of the intake (intake.rules.route_advice): under the youth age the youth route, severe
# health limitations an exemption review, otherwise work when the estimated time to work is at or below the route
# threshold and participation above it. The generator stands in for the estimate with the distance to work: the far
# group (half of the caseload, population.md) and the middle group long on benefit are above the threshold. A person
# decides: mostly as advised, sometimes with more help (a reason written), sometimes with less (a reason, and the
# team lead confirms: the brake on parking people). Who is fully and lastingly unfit (art. 9 lid 5) gets the
# exemption review. Shares: assumption.
ROUTE_DECISION_SHARE = 0.93  # of clients on benefit three weeks or longer: a decision in force (the rest: none yet)
ROUTE_NO_ADVICE_SHARE = 0.12  # decided without an estimate (no model active then)
ROUTE_EARLIER_SHARE = 0.30  # an earlier decision in the same period with another route (a change of route)
ROUTE_LONG_ON_BENEFIT_YEARS = 3.0  # the middle group: above the threshold from this time on benefit
ROUTE_SEVERE_TO_PARTICIPATION = 0.55  # advised an exemption review, chose participation (wants to take part)
ROUTE_PARTICIPATION_TO_WORK = 0.10  # advised participation, chose work (more help)
ROUTE_WORK_TO_PARTICIPATION = 0.07  # advised work, chose participation (less help: confirmed by the team lead)
ROUTE_DECISION_RECENT_DAYS = 240  # the decision in force is the latest (re)assessment: within the last 8 months
ROUTE_REASONS = {  # (advised, chosen) -> what the caseworker wrote
    ("exemption_review", "participation"): (
        "Wil graag meedoen; met de gezondheidsklachten kan activering in een rustig tempo.",
        "Huisarts en klant zien ruimte voor vrijwilligerswerk; ontheffing nu niet nodig.",
    ),
    ("exemption_review", "work"): ("Klant wil aan het werk; eerdere werkervaring in licht werk.",),
    ("participation", "work"): (
        "Klant is gemotiveerd en heeft recente werkervaring.",
        "Werkgever in de wijk zoekt mensen; klant past bij het profiel.",
        "Na de taalcursus klaar voor een traject naar werk.",
    ),
    ("work", "participation"): (
        "Eerst schulden en gezondheid op orde; daarna opnieuw kijken naar werk.",
        "Mantelzorg vraagt nu veel tijd; eerst activering in de buurt.",
    ),
    ("work", "exemption_review"): ("Ernstig ziek geworden sinds de intake.",),
    ("participation", "exemption_review"): ("Gezondheid sterk achteruitgegaan; beoordeling ontheffing nodig.",),
}
ROUTE_CONFIRMATION_NOTES = ("", "Akkoord.", "Akkoord; over zes maanden opnieuw bekijken.")

# --------------------------------------------------------------------------------------------------
# Employer services (trede.employers; trede.synth.employers)
#
# District centres in Rijksdriehoek kilometres: an invented city layout around an arbitrary point, the centre in the
# middle and the other districts 3 to 6 km from it, so that the whole city lies within about 12 km (matching uses
# these as the home and work location; the travel limit for generally accepted work is about 31 km).
DISTRICT_CENTRES_KM = {
    "CEN": (105.0, 450.0),
    "NRD": (105.4, 453.6),
    "OST": (108.8, 450.5),
    "ZID": (104.6, 446.1),
    "WST": (101.3, 449.6),
    "HVK": (102.6, 452.3),
    "MLW": (108.1, 454.4),
    "PLD": (100.9, 445.3),
}
# Open vacancies: about 2,000 in a city of about 35,000 clients on benefit (the size of Amsterdam, population.md;
# the figure for matching), scaled with the clients on benefit. Assumption.
OPEN_VACANCIES_PER_CLIENT = 2_000 / 35_000
DRAFT_VACANCY_SHARE = 0.06  # of the open ones: a few drafts that are not complete yet
HISTORY_VACANCIES_PER_OPEN = 5.5  # vacancies filled or closed over the history, per open one today (turnover)
FILLED_SHARE = 0.70  # of the earlier vacancies: filled (the rest closed by the employer)
VACANCY_OPEN_DAYS = (21, 120)  # how long an earlier vacancy was open (uniform)
EMPLOYERS_PER_OPEN_VACANCY = 0.30
OPEN_VACANCIES_PER_ADVISER = 110  # an employer adviser's portfolio (assumption)
# SBI sections weighted like the jobs that people leaving social assistance find (assumption, after CBS and UWV:
# most in retail, cleaning and temporary agency work, logistics, hospitality, care and manufacturing, less in
# construction). Per sector: weight, employer name patterns, occupations (ISCO-08 unit groups of the shipped table,
# with weights), usual hours, the collective agreement, and how many vacancies go through an agency.
SECTORS: dict[str, dict] = {
    "G": {
        "weight": 0.20,
        "names": ("Supermarkt {surname}", "{word} Mode", "Bouwmarkt {word}", "{word} Warenhuis", "Drogisterij {word}"),
        "occupations": {"5223": 4, "5230": 2, "9334": 3, "5222": 0.5, "5246": 0.5, "7511": 0.3, "7512": 0.3},
        "hours": (12, 16, 20, 24, 28, 32),
        "cao": "cao Supermarkten",
        "agency": 0.10,
        "on_call": 0.25,
    },
    "N": {
        "weight": 0.20,
        "names": (
            "{surname} Schoonmaakdiensten",
            "{word} Facility Services",
            "Uitzendbureau {word}",
            "Schoonmaakbedrijf {surname}",
            "{word} Beveiliging",
        ),
        "occupations": {
            "9112": 5,
            "9129": 1,
            "9123": 0.5,
            "9122": 0.3,
            "5153": 0.3,
            "9333": 1,
            "9329": 1,
            "5414": 0.7,
            "4222": 0.7,
            "9214": 0.5,
        },
        "hours": (12, 16, 20, 24, 30, 36),
        "cao": "cao Schoonmaak- en glazenwassersbedrijf",
        "agency": 0.40,
        "on_call": 0.05,
    },
    "H": {
        "weight": 0.15,
        "names": ("{word} Logistiek", "Transportbedrijf {surname}", "Distributiecentrum {word}", "{word} Koeriers"),
        "occupations": {
            "9333": 4,
            "8344": 1.5,
            "9621": 2,
            "8322": 1,
            "8332": 0.5,
            "4321": 0.5,
            "9321": 1,
            "4412": 0.5,
            "9331": 0.5,
        },
        "hours": (24, 32, 36, 38, 40),
        "cao": "cao Beroepsgoederenvervoer",
        "agency": 0.35,
        "on_call": 0.05,
    },
    "I": {
        "weight": 0.13,
        "names": ("Restaurant De {noun}", "Hotel {word}", "Eetcafé De {noun}", "Lunchroom {word}", "{word} Catering"),
        "occupations": {"9412": 3, "5131": 2, "5120": 1.5, "5132": 1, "9411": 1.5, "5246": 1, "4224": 0.3},
        "hours": (12, 16, 20, 24, 32),
        "cao": "cao Horeca",
        "agency": 0.10,
        "on_call": 0.35,
    },
    "Q": {
        "weight": 0.13,
        "names": ("Zorggroep {word}", "Thuiszorg {word}", "Woonzorgcentrum De {noun}", "Kinderopvang {word}"),
        "occupations": {"5321": 3, "5322": 2, "9111": 2, "5329": 1, "5311": 1, "3412": 0.3, "3221": 0.3, "5312": 0.3},
        "hours": (16, 20, 24, 28, 32),
        "cao": "cao VVT",
        "agency": 0.05,
        "on_call": 0.10,
    },
    "C": {
        "weight": 0.10,
        "names": ("{word} Food", "Metaalbewerking {surname}", "{word} Verpakkingen", "Bakkerij {surname}"),
        "occupations": {
            "9329": 3,
            "8160": 2,
            "8219": 1.5,
            "8183": 1,
            "8189": 1,
            "7223": 0.3,
            "7212": 0.3,
            "9321": 1,
            "8157": 0.5,
            "7543": 0.5,
        },
        "hours": (32, 36, 38, 40),
        "cao": "cao Levensmiddelenindustrie",
        "agency": 0.35,
        "on_call": 0.0,
    },
    "F": {
        "weight": 0.05,
        "names": ("Bouwbedrijf {surname}", "{surname} Installatietechniek", "Schildersbedrijf {surname}"),
        "occupations": {
            "9313": 3,
            "9312": 1.5,
            "7131": 1,
            "7115": 0.7,
            "7112": 0.5,
            "7119": 0.5,
            "7411": 0.3,
            "7126": 0.3,
            "7122": 0.3,
        },
        "hours": (36, 38, 40),
        "cao": "cao Bouw & Infra",
        "agency": 0.20,
        "on_call": 0.0,
    },
    "E": {
        "weight": 0.02,
        "names": ("Afvalbedrijf {word}", "Recycling {word}"),
        "occupations": {"9611": 3, "9612": 2, "9613": 2, "8332": 0.5},
        "hours": (32, 36, 38),
        "cao": "cao Afval & Milieu",
        "agency": 0.15,
        "on_call": 0.0,
    },
    "S": {
        "weight": 0.02,
        "names": ("Fietsenmaker {surname}", "Kapsalon {word}", "Klussenbedrijf {surname}", "Wasserette {word}"),
        "occupations": {"5141": 1, "9622": 1, "9629": 1, "7234": 1, "9121": 1},
        "hours": (16, 20, 24, 32),
        "cao": "",
        "agency": 0.0,
        "on_call": 0.15,
    },
}
# Some clients worked in skilled jobs before (the table's skilled unit groups): drawn for part of the experience of
# clients with a middle or high education (assumption).
SKILLED_OCCUPATIONS = {
    "2221": 1,
    "2341": 1,
    "2411": 1,
    "2512": 1,
    "2643": 1,
    "3221": 2,
    "3256": 1,
    "3313": 2,
    "3412": 2,
    "3434": 1,
    "4110": 4,
    "4120": 1,
    "4132": 2,
    "4311": 2,
    "4419": 2,
}
HEAVY_OCCUPATIONS = (
    "9313",
    "9312",
    "7112",
    "7119",
    "7121",
    "9333",
    "9611",
    "9612",
    "9621",
    "9214",
    "8332",
    "7115",
    "9123",
    "9331",
    "5321",
    "5322",
)
LIGHT_OCCUPATIONS = (
    "4222",
    "4224",
    "4321",
    "4412",
    "5230",
    "5311",
    "5312",
    "5414",
    "3412",
    "3221",
    "4110",
    "5141",
    "8212",
    "7543",
    "4419",
    "8322",
)
LICENCE_OCCUPATIONS = {"8322": 1.0, "8332": 1.0, "9621": 0.6, "9622": 0.5, "7126": 0.5, "7411": 0.5, "5322": 0.3}
LICENCE_SHARE = {"dutch_origin": 0.45, "migrant_origin": 0.25}  # clients with driving licence B (assumption)
WAGE_PREMIUM_MEAN = {"elementary": 0.05, "other": 0.14}  # hourly wage above the minimum wage: exponential mean
WAGE_SCALE_SHARE = 0.35  # vacancies that name the cao scale (most with an hourly wage too)
WAGE_SCALE_ONLY_SHARE = 0.08  # of those: only the scale, no hourly wage
CONTRACT_SHARES = {"fixed": 0.55, "permanent": 0.15}  # the rest agency or on call, per sector
CONTRACT_MONTHS = {"fixed": (6, 7, 12, 12, 12, 24), "agency": (3, 6, 6), "on_call": (6, 12)}
OFFER_SHARES = {"trial_placement": 0.35, "wage_subsidy": 0.25, "job_coach": 0.20, "training": 0.30}
LANGUAGE_LEVEL_SHARES = {"": 0.40, "1f": 0.25, "2f": 0.25, "3f": 0.10}
LANGUAGE_HARD_SHARE = 0.20  # of vacancies with a level: a hard requirement
PSO_LEVELS = {"": 0.88, "starter": 0.04, "1": 0.04, "2": 0.02, "3": 0.01, "30plus": 0.01}
SOCIAL_RETURN_SHARE = 0.20
EMPLOYER_WORDS = (
    "Havenstad",
    "Rivierzicht",
    "Polderland",
    "Molenhoek",
    "De Kade",
    "Zuiderkwartier",
    "Noordster",
    "Oostpoort",
    "Westerhaven",
    "Dijkzicht",
    "Sluispoort",
    "Waterkant",
    "Kanaalzone",
    "Ankerplaats",
    "Lindehof",
    "Zeewind",
    "Brugzicht",
    "Haventerrein",
    "Stadspoort",
    "Groenoord",
)
EMPLOYER_NOUNS = (
    "Gouden Leeuw",
    "Zwaan",
    "Vuurtoren",
    "Kaai",
    "Molen",
    "Linde",
    "Brug",
    "Sluis",
    "Haven",
    "Wilg",
    "Ooievaar",
    "Roerganger",
)
CONTACT_ROLES = ("HR-adviseur", "Bedrijfsleider", "Vestigingsmanager", "Planner", "Teamleider", "Eigenaar", "Recruiter")
TASK_TEXTS = {
    "G": "Klanten helpen, vakken vullen en de winkel netjes houden.",
    "N": "Schoonmaakwerk volgens een vast rooster; werken in een klein team.",
    "H": "Orders verzamelen, goederen ontvangen en verzenden, scannen en inpakken.",
    "I": "Werken in de keuken of de bediening; afwassen, voorbereiden en opruimen.",
    "Q": "Zorg en ondersteuning van bewoners of cliënten; huishoudelijke taken.",
    "C": "Werken aan de productielijn: machines vullen, controleren en inpakken.",
    "F": "Meewerken op de bouwplaats: materiaal aanvoeren, opruimen en helpen bij de bouw.",
    "E": "Afval inzamelen en sorteren; de straten schoonhouden.",
    "S": "Klanten helpen en klussen uitvoeren in een kleine zaak.",
}
OWN_EMPLOYER_NAMES = (
    "Uitzendbureau Flex",
    "Bakkerij Van Dam",
    "Tuincentrum Groen",
    "Pakketdienst Snel",
    "Restaurant Het Plein",
    "Thuiszorg Dichtbij",
    "Schoonmaak Helder",
    "Garage De Ring",
    "Marktkraam Yilmaz",
    "Kinderopvang Zonnetje",
    "Koeriersdienst Rap",
    "Hotel Aan de Haven",
)
# Work found through trede's employer services: of the exits to work within the history, how many came through a
# referral to a vacancy (and then with which instrument), how many at an employer trede knows without a referral,
# and how many at an employer recorded by name only (assumption; Arts' fieldwork: the municipal trajectory finds
# work for about a quarter of those in it, population.md).
EXIT_VIA_REFERRAL_SHARE = 0.40
EXIT_KNOWN_EMPLOYER_SHARE = 0.45  # of the other exits: an employer in trede (the rest: a name only)
PLACEMENT_KIND_SHARES = {"regular": 0.45, "trial": 0.25, "wage_subsidy": 0.20, "climbing": 0.10}
TRIAL_EXTENDED_SHARE = 0.30  # trial placements extended beyond the first 2 months (up to 4 more)
CLIMBING_TRAINING_MISSED_SHARE = 0.30  # climbing jobs whose promised training has not started by its date
WAGE_VALUE_PCT = (30, 85)  # assessed wage value (loonwaarde), uniform
WAGE_VALUE_UNASSESSED_SHARE = 0.25  # of wage subsidy placements in their first 6 months: flat rate, not assessed
PROMISED_TRAININGS = (
    "Mbo-2 logistiek medewerker",
    "Vakdiploma schoonmaak",
    "Heftruckcertificaat",
    "Mbo-2 helpende zorg en welzijn",
    "Basiscursus HACCP",
    "VCA-basis",
    "Mbo-2 verkoper",
    "Mbo-2 productiemedewerker",
)
# Referrals that did not lead to work (per year on the route to work), and open ones today (assumption: an adviser's
# shortlist is sent to the employer, most are not hired; Arts: about a quarter finds work, a quarter drops out).
FAILED_REFERRALS_PER_YEAR = 1.2
FAILED_OUTCOME_SHARES = {"withdrawn": 0.20, "sent": 0.35, "interview": 0.30, "trial": 0.15}  # last step reached
OPEN_JOB_REFERRAL_SHARE = 0.12  # of clients on the route to work today, without exemption
OPEN_JOB_STATUS_SHARES = {"proposed": 0.35, "sent": 0.30, "interview": 0.20, "trial_placement": 0.15}
NOT_HIRED_REASONS = (
    "Werkgever koos een andere kandidaat.",
    "Te weinig ervaring voor deze functie.",
    "Uren passen niet bij de kinderopvang.",
    "Klant kwam niet naar het gesprek.",
    "Werkgever heeft na de proefplaatsing geen plek.",
)
WITHDRAWN_REASONS = (
    "Vacature ingetrokken door de werkgever.",
    "Klant ziet ervan af.",
    "Klant is ziek geworden.",
    "Vacature al vervuld.",
)
TRIAL_NO_CONTRACT_REASONS = (
    "Werkgever heeft geen vaste plek.",
    "Het werk bleek te zwaar.",
    "Klant paste niet in het team.",
)
PLACEMENT_ENDED_REASONS = (
    "Contract niet verlengd.",
    "Proeftijd niet doorstaan.",
    "Bedrijf heeft de afdeling gesloten.",
)
INTENDED_CONTRACTS = (
    "Tijdelijk contract van 6 maanden, 24 uur",
    "Tijdelijk contract van een jaar",
    "Vast contract bij goed functioneren",
    "Contract via het uitzendbureau, fase A",
)
# Matches recorded without a referral (discussed with the client, or declined with a reason)
EXTRA_MATCH_SHARE = 0.05  # of clients on the route to work today
MATCH_DECLINE_REASONS = (
    "Past niet bij de uren die de klant kan werken.",
    "Klant wil dit werk niet doen.",
    "Reistijd te lang met de kinderopvang erbij.",
    "Werkgever zoekt meer ervaring.",
)
# Work profiles (employers.WorkProfile): for clients on the route to work and some others (assumption)
WORK_PROFILE_SHARE = {"work": 0.90, "youth": 0.90, "participation": 0.15, "exemption_review": 0.03, "": 0.05}
# Follow-ups after an exit to work: done when due (most within a few weeks), still working, need for a job coach
FOLLOW_UP_DONE_SHARE = 0.90  # of those due more than a month ago
FOLLOW_UP_STILL_WORKING_OFF_BENEFIT = 0.93  # working when still off benefit (else: off benefit for another reason)
FOLLOW_UP_STILL_WORKING_BACK = 0.12  # working part-time with supplementary benefit, when back on benefit
FOLLOW_UP_JOB_COACH_SHARE = 0.12
FOLLOW_UP_NOTES = (
    "",
    "",
    "Gaat goed.",
    "Werkt meer uren dan eerst.",
    "Contract verlengd.",
    "Zoekt ander werk dichter bij huis.",
)
# Role-specific titles of the vacancies (plain Dutch); other occupations take the table's name
VACANCY_TITLES = {
    "9112": "Schoonmaker",
    "9129": "Schoonmaakmedewerker",
    "9123": "Glazenwasser",
    "9122": "Autowasser",
    "5153": "Huismeester",
    "9333": "Magazijnmedewerker",
    "9329": "Productiemedewerker",
    "5414": "Beveiliger",
    "4222": "Klantenservicemedewerker",
    "9214": "Medewerker groenvoorziening",
    "8344": "Heftruckchauffeur",
    "9621": "Pakketbezorger",
    "8322": "Bestelbuschauffeur",
    "8332": "Vrachtwagenchauffeur",
    "4321": "Voorraadadministrateur",
    "9321": "Inpakker",
    "4412": "Postsorteerder",
    "9331": "Fietskoerier",
    "5223": "Verkoopmedewerker",
    "5230": "Caissière",
    "9334": "Vakkenvuller",
    "5222": "Teamleider winkel",
    "5246": "Medewerker broodjesbar",
    "7511": "Slager",
    "7512": "Bakker",
    "9412": "Keukenhulp",
    "5131": "Bedieningsmedewerker",
    "5120": "Kok",
    "5132": "Barmedewerker",
    "9411": "Medewerker fastfood",
    "4224": "Receptionist",
    "5321": "Helpende zorg",
    "5322": "Medewerker thuiszorg",
    "9111": "Huishoudelijk medewerker",
    "5329": "Zorgmedewerker",
    "5311": "Pedagogisch medewerker",
    "3412": "Begeleider",
    "3221": "Verpleegkundige (mbo)",
    "5312": "Onderwijsassistent",
    "8160": "Productiemedewerker voedingsmiddelen",
    "8219": "Assemblagemedewerker",
    "8183": "Inpakmachinebediener",
    "8189": "Machinebediener",
    "7223": "Verspaner",
    "7212": "Lasser",
    "8157": "Medewerker wasserij",
    "7543": "Kwaliteitscontroleur",
    "9313": "Bouwhulp",
    "9312": "Medewerker wegenbouw",
    "7131": "Schilder",
    "7115": "Timmerman",
    "7112": "Metselaar",
    "7119": "Steigerbouwer",
    "7411": "Elektricien",
    "7126": "Loodgieter",
    "7122": "Tegelzetter",
    "9611": "Afvalinzamelaar",
    "9612": "Afvalsorteerder",
    "9613": "Straatveger",
    "5141": "Kapper",
    "9622": "Klusjesman/-vrouw",
    "9629": "Algemeen medewerker",
    "7234": "Fietsenmaker",
    "9121": "Medewerker wasserette",
}
