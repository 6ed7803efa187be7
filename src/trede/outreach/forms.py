from django import forms
from django.utils.translation import gettext_lazy as _

from trede.clients.models import District, LadderStep
from trede.intake.models import Route
from trede.outreach.models import CohortOrder, Purpose
from trede.web.forms import DateInput


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    purpose = forms.ChoiceField(label=_("Doel van het gesprek"), choices=Purpose.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Eerste cohort vanaf"), widget=DateInput())
    districts = forms.ModelMultipleChoiceField(
        label=_("Wijken"),
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geen wijk gekozen: alle wijken."),
    )
    age_min = forms.IntegerField(label=_("Leeftijd vanaf"), min_value=18, max_value=67, required=False)
    age_max = forms.IntegerField(label=_("Leeftijd tot en met"), min_value=18, max_value=67, required=False)
    ladder_steps = forms.TypedMultipleChoiceField(
        label=_("Treden op de participatieladder"),
        choices=LadderStep.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geen trede gekozen: alle treden."),
    )
    benefit_months_min = forms.IntegerField(label=_("Minimaal maanden in de bijstand"), min_value=0, required=False)
    benefit_months_max = forms.IntegerField(label=_("Maximaal maanden in de bijstand"), min_value=0, required=False)
    routes = forms.MultipleChoiceField(
        label=_("Route"),
        choices=[*Route.choices, ("none", _("Nog geen route"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geen route gekozen: alle routes."),
    )
    no_contact_months = forms.IntegerField(
        label=_("Niet oproepen bij contact in de laatste … maanden"), min_value=1, max_value=60, required=False
    )
    cohort_size = forms.IntegerField(
        label=_("Grootte van een cohort"),
        min_value=1,
        required=False,
        help_text=_("Leeg: de standaard uit de regelset."),
    )
    cohorts_per_month = forms.IntegerField(label=_("Cohorten per maand"), min_value=1, max_value=20, initial=1)
    order = forms.ChoiceField(label=_("Volgorde"), choices=CohortOrder.choices, widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_max", _("De hoogste leeftijd is lager dan de laagste."))
        lo, hi = data.get("benefit_months_min"), data.get("benefit_months_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("benefit_months_max", _("Het maximum is lager dan het minimum."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Wat gebeurde er?"),
        choices=[
            ("attended", _("Geweest")),
            ("no_show", _("Niet gekomen")),
            ("rescheduled", _("Verzet naar een andere datum")),
            ("cancelled", _("Afgezegd")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Verslag van het gesprek"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Nodig als de cliënt is geweest: dit wordt het contactmoment in het dossier."),
    )
    reason = forms.CharField(label=_("Reden van afzeggen"), max_length=500, required=False)
    new_starts_at = forms.DateTimeField(
        label=_("Nieuwe datum en tijd"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
