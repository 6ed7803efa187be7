import json

from django import forms
from django.utils.translation import gettext_lazy as _

from trede.core.models import RuleScope
from trede.web.forms import DateInput


class LogFilterForm(forms.Form):
    client = forms.IntegerField(label=_("Cliëntnummer"), required=False, min_value=1)
    user = forms.CharField(label=_("Gebruikersnaam"), required=False)


class RuleSetForm(forms.Form):
    scope = forms.ChoiceField(label=_("Soort"), choices=RuleScope.choices)
    name = forms.CharField(label=_("Naam"), max_length=200)
    version = forms.CharField(label=_("Versie"), max_length=50)
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    source = forms.CharField(
        label=_("Bron"),
        widget=forms.Textarea,
        help_text=_("Wet, artikel, verordening of raadsbesluit, met datum."),
    )
    parameters = forms.CharField(
        label=_("Gewijzigde parameters (JSON)"),
        widget=forms.Textarea,
        help_text=_(
            'Alleen wat verandert, bijvoorbeeld {"contact_norm_days": 60}. De rest neemt de nieuwe '
            "versie over van de vorige."
        ),
    )

    def clean_parameters(self):
        try:
            value = json.loads(self.cleaned_data["parameters"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Geen geldige JSON: %(e)s") % {"e": exc.msg}) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Geef de parameters als een JSON-object: {"naam": waarde}.'))
        return value
