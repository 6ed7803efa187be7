from django import forms
from django.utils.translation import gettext_lazy as _

from trede.clients.models import Debts, Education, Health, LadderStep, LanguageLevel, Social
from trede.core.roles import Purpose
from trede.web.forms import DateInput


class LadderForm(forms.Form):
    step = forms.TypedChoiceField(
        label=_("Trede"),
        choices=LadderStep.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Participatieladder van Divosa: 1 is geïsoleerd, 6 is betaald werk."),
    )
    measured_on = forms.DateField(label=_("Gemeten op"), widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class CircumstancesForm(forms.Form):
    recorded_on = forms.DateField(label=_("Datum"), widget=DateInput())
    education = forms.ChoiceField(label=_("Hoogste opleiding"), choices=Education.choices)
    work_experience_years = forms.IntegerField(label=_("Jaren werkervaring"), min_value=0, max_value=60)
    last_worked_year = forms.IntegerField(
        label=_("Laatst gewerkt in (jaar)"), min_value=1950, max_value=2100, required=False
    )
    dutch_level = forms.ChoiceField(label=_("Taalniveau Nederlands"), choices=LanguageLevel.choices)
    health = forms.ChoiceField(label=_("Gezondheid"), choices=Health.choices)
    health_note = forms.CharField(label=_("Toelichting gezondheid"), max_length=500, required=False)
    care_duties = forms.BooleanField(label=_("Zorgtaken (kinderen, mantelzorg)"), required=False)
    care_note = forms.CharField(label=_("Toelichting zorgtaken"), max_length=500, required=False)
    debts = forms.ChoiceField(label=_("Schulden"), choices=Debts.choices)
    social = forms.ChoiceField(label=_("Sociale situatie"), choices=Social.choices)
    note = forms.CharField(label=_("Overige toelichting"), widget=forms.Textarea, required=False)


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Waarom opent u dit dossier?"),
        widget=forms.RadioSelect,
        choices=[
            (Purpose.SUBSTITUTION, Purpose.SUBSTITUTION.label),
            (Purpose.CONSULTATION, Purpose.CONSULTATION.label),
        ],
    )
