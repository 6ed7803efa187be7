from django import forms
from django.utils.translation import gettext_lazy as _

from trede.clients.models import Debts, Education, Health, LadderStep, LanguageLevel, Social
from trede.intake.models import Route
from trede.intake.rules import ASKED, factor_label
from trede.web.forms import DateInput

UNKNOWN = [("", _("Onbekend"))]
YES_NO = [*UNKNOWN, ("1", _("Ja")), ("0", _("Nee"))]


def _value_field(factor: str) -> forms.Field:
    label = _("Antwoord")  # the fieldset's legend names the question
    if factor == "work_experience_years":
        return forms.IntegerField(label=label, min_value=0, max_value=60, required=False)
    if factor in ("worked_last_2_years", "care_duties"):
        return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=int, empty_value=None, required=False)
    if factor == "ladder_step":
        return forms.TypedChoiceField(
            label=label, choices=[*UNKNOWN, *LadderStep.choices], coerce=int, empty_value=None, required=False
        )
    choices = {
        "education": Education.choices,
        "dutch_level": LanguageLevel.choices,
        "health": Health.choices,
        "debts": Debts.choices,
        "social": Social.choices,
    }[factor]
    return forms.TypedChoiceField(label=label, choices=[*UNKNOWN, *choices], empty_value=None, required=False)


class IntakeForm(forms.Form):
    """One question per factor, each with the date its answer is about. 'Onbekend' stays missing."""

    assessed_on = forms.DateField(label=_("Datum intake"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for factor in ASKED:
            self.fields[factor] = _value_field(factor)
            self.fields[f"{factor}_on"] = forms.DateField(
                label=_("Datum van dit antwoord"), widget=DateInput(), required=False
            )

    def clean(self):
        data = super().clean()
        day = data.get("assessed_on")
        for f in ASKED:
            value, on = data.get(f), data.get(f"{f}_on")
            if value is not None and on is None:
                self.add_error(f"{f}_on", _("Vul de datum van dit antwoord in."))
            elif value is not None and day and on > day:
                self.add_error(f"{f}_on", _("De datum van dit antwoord ligt na de intake."))
        return data

    def pairs(self):
        """(value field, date field) per factor, for the template."""
        return [(factor_label(f), self[f], self[f"{f}_on"]) for f in ASKED]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            f: {
                "value": data.get(f),
                "on": data.get(f"{f}_on") if data.get(f) is not None else None,
                "source": "intake",
            }
            for f in ASKED
        }

    @staticmethod
    def initial_from(answers: dict, assessed_on) -> dict:
        initial = {"assessed_on": assessed_on}
        for f in ASKED:
            a = answers.get(f) or {}
            if a.get("value") is not None:
                initial[f] = a["value"]
                initial[f"{f}_on"] = a.get("on")
        return initial


class RouteDecisionForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Verplicht als u afwijkt van het advies."),
    )
    decided_on = forms.DateField(label=_("Datum besluit"), widget=DateInput())


class ConfirmForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uw besluit"),
        choices=[("confirm", _("Bevestigen: de route gaat in")), ("decline", _("Niet bevestigen"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Verplicht als u niet bevestigt."),
    )


class ModelImportForm(forms.Form):
    file = forms.FileField(label=_("Modelbestand (JSON)"), required=False)
