from django import forms
from django.utils.translation import gettext_lazy as _

from trede.sanctions.rules import CATEGORY_CHOICES, FINDING_CHOICES
from trede.web.forms import DateInput


class CaseForm(forms.Form):
    category = forms.ChoiceField(label=_("Wat heeft de cliënt niet gedaan?"), choices=CATEGORY_CHOICES)
    breach_on = forms.DateField(label=_("Datum van de gedraging"), widget=DateInput())
    description = forms.CharField(label=_("Wat is er gebeurd?"), widget=forms.Textarea(attrs={"rows": 3}))
    appointment = forms.TypedChoiceField(label=_("Afspraak (als bewijs)"), required=False, coerce=int, empty_value=None)

    letter = forms.TypedChoiceField(label=_("Brief (als bewijs)"), required=False, coerce=int, empty_value=None)
    job_referral = forms.TypedChoiceField(
        label=_("Voorstel voor een vacature (als bewijs)"), required=False, coerce=int, empty_value=None
    )
    activity_referral = forms.TypedChoiceField(
        label=_("Verwijzing naar een activiteit (als bewijs)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, appointments=(), letters=(), job_referrals=(), activity_referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointment"].choices = [("", "–")] + [
            (a.pk, f"{a.starts_at:%d-%m-%Y %H:%M} · {a.get_outcome_display()}") for a in appointments
        ]
        self.fields["letter"].choices = [("", "–")] + [
            (x.pk, f"{x.created_at:%d-%m-%Y} · {x.invitation.campaign.name}") for x in letters
        ]
        self.fields["job_referral"].choices = [("", "–")] + [
            (r.pk, f"{r.vacancy.title} · {r.vacancy.employer.name} · {r.get_status_display()}") for r in job_referrals
        ]
        self.fields["activity_referral"].choices = [("", "–")] + [
            (r.pk, f"{r.activity.name} · {r.activity.provider.name} · {r.get_status_display()}")
            for r in activity_referrals
        ]


class HearingScheduleForm(forms.Form):
    invited_on = forms.DateField(label=_("Uitnodiging voor horen verstuurd op"), widget=DateInput())


class HearingRecordForm(forms.Form):
    responded = forms.TypedChoiceField(
        label=_("Heeft de cliënt gereageerd?"),
        choices=[("1", _("Ja")), ("0", _("Nee, niet binnen de termijn"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Wat zegt de cliënt? (zienswijze)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    held_on = forms.DateField(label=_("Gehoord op"), required=False, widget=DateInput())


class AssessmentForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("Is de gedraging verwijtbaar?"), choices=FINDING_CHOICES, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}))
    assessed_on = forms.DateField(label=_("Datum"), widget=DateInput())


class DecisionForm(forms.Form):
    start_on = forms.DateField(label=_("Verlaging vanaf"), widget=DateInput())
    pct = forms.IntegerField(label=_("Percentage (leeg: het voorstel)"), required=False, min_value=0, max_value=100)
    months = forms.IntegerField(label=_("Maanden (leeg: het voorstel)"), required=False, min_value=0, max_value=12)
    spread_over = forms.TypedChoiceField(
        label=_("Spreiden over (art. 18 lid 5)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Niet spreiden")), ("2", _("2 maanden")), ("3", _("3 maanden"))],
        help_text=_(
            "Alleen bij de uniforme arbeidsverplichtingen. De hele verlaging blijft even groot; de eerste maand draagt "
            "minstens een derde."
        ),
    )
    lowered_reason = forms.CharField(
        label=_("Reden voor een lagere maatregel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als u lager kiest dan het voorstel (dringende redenen, art. 18 lid 10)."),
    )


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Verstuurd op"), widget=DateInput())


class RevisionForm(forms.Form):
    complies_on = forms.DateField(label=_("Houdt zich weer aan de verplichting sinds"), widget=DateInput())
    reason = forms.CharField(label=_("Waaruit blijkt dat?"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Bezwaar ontvangen op"), widget=DateInput())


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[
            ("upheld", _("Gegrond: de maatregel vervalt")),
            ("partly", _("Deels gegrond: de maatregel wordt lager")),
            ("rejected", _("Ongegrond: de maatregel blijft")),
            ("withdrawn", _("Ingetrokken door de cliënt")),
        ],
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("Beslist op"), widget=DateInput())
    pct = forms.IntegerField(
        label=_("Nieuw percentage (bij deels gegrond)"), required=False, min_value=0, max_value=100
    )
    months = forms.IntegerField(label=_("Nieuwe duur in maanden (bij deels gegrond)"), required=False, min_value=0)
