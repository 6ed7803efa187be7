"""The default letter texts (version 1) for the four campaign purposes, in plain Dutch (B1).

The fixed frame of every letter (outreach/letter.html) adds the date, time, place and caseworker, how to make
another appointment, and — only where an obligation exists — what not coming can lead to. These texts say what the
talk is about and what to bring. The functional administrator replaces them with a new version on the letter
template page; the fields are documented in trede.outreach.letters.FIELDS.
"""

from django.db import migrations

DEFAULTS = {
    "introduction": (
        "Uitnodiging voor een gesprek over werk en meedoen",
        """Beste {{ naam }},

U krijgt een bijstandsuitkering van de gemeente. Wij willen u graag beter leren kennen. Daarom nodigen wij u uit voor een gesprek met uw klantmanager, {{ klantmanager }}. Het gesprek duurt ongeveer {{ duur }}.

# Waar gaat het gesprek over?
We praten over hoe het met u gaat. En over wat u wilt en wat u kunt: werk, vrijwilligerswerk, een cursus of iets anders. Samen kijken we wat een goede volgende stap voor u is. En of u daar hulp bij nodig heeft.

# Wat neemt u mee?
- uw identiteitsbewijs (paspoort, identiteitskaart of verblijfsdocument)
- deze brief
- uw cv of diploma's, als u die heeft""",
    ),
    "work_intake": (
        "Uitnodiging voor een gesprek over werk",
        """Beste {{ naam }},

Wij nodigen u uit voor een gesprek over werk met uw klantmanager, {{ klantmanager }}. Het gesprek duurt ongeveer {{ duur }}.

# Waar gaat het gesprek over?
We praten over het werk dat u zoekt. En over wat u al kunt: uw opleiding, uw werkervaring en uw talen. We bespreken wat u nodig heeft om aan het werk te gaan. Bijvoorbeeld een training, hulp bij solliciteren of opvang voor uw kinderen. Samen maken we een plan.

# Wat neemt u mee?
- uw identiteitsbewijs (paspoort, identiteitskaart of verblijfsdocument)
- deze brief
- uw cv, als u dat heeft
- uw diploma's en certificaten
- uw rijbewijs, als u dat heeft""",
    ),
    "tegenprestatie": (
        "Uitnodiging voor een gesprek over de tegenprestatie",
        """Beste {{ naam }},

Wij nodigen u uit voor een gesprek met uw klantmanager, {{ klantmanager }}. Het gesprek duurt ongeveer {{ duur }}.

# Waar gaat het gesprek over?
Mensen met een bijstandsuitkering doen soms nuttig werk in de buurt, zonder loon. Dat heet de tegenprestatie. In het gesprek kijken we samen welk werk bij u past. En hoeveel uur per week dat kan. We houden rekening met uw gezondheid en met de zorg voor uw kinderen of familie.

# Wat neemt u mee?
- uw identiteitsbewijs (paspoort, identiteitskaart of verblijfsdocument)
- deze brief
- een overzicht van uw vaste afspraken, zoals zorg voor kinderen of familie
- brieven van uw huisarts of specialist, als uw gezondheid het werk moeilijk maakt""",
    ),
    "exemption_review": (
        "Uitnodiging voor een gesprek over uw ontheffing",
        """Beste {{ naam }},

U hoeft op dit moment een of meer dingen niet te doen die normaal horen bij een bijstandsuitkering. Dat heet een ontheffing. Af en toe kijken we samen of die ontheffing nog goed past bij uw situatie. Daarom nodigen wij u uit voor een gesprek met uw klantmanager, {{ klantmanager }}. Het gesprek duurt ongeveer {{ duur }}.

# Waar gaat het gesprek over?
We praten over hoe het nu met u gaat. Is er iets veranderd in uw gezondheid, in uw gezin of in de zorg die u geeft? Wat heeft u nodig? Er verandert niets aan uw ontheffing zonder dat we eerst met u hebben gepraat.

# Wat neemt u mee?
- uw identiteitsbewijs (paspoort, identiteitskaart of verblijfsdocument)
- deze brief
- nieuwe brieven van uw huisarts, specialist of hulpverlener, als u die heeft""",
    ),
}


def add_defaults(apps, schema_editor):
    LetterTemplate = apps.get_model("outreach", "LetterTemplate")
    for purpose, (subject, body) in DEFAULTS.items():
        if not LetterTemplate.objects.filter(purpose=purpose).exists():
            LetterTemplate.objects.create(purpose=purpose, version=1, subject=subject, body=body, created_by=None)


def remove_unused_defaults(apps, schema_editor):
    LetterTemplate = apps.get_model("outreach", "LetterTemplate")
    LetterTemplate.objects.filter(version=1, created_by__isnull=True, letters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_unused_defaults)]
