from django import forms
from django.utils.translation import gettext_lazy as _

from trede.scenarios.models import PopulationKind
from trede.scenarios.services import LIMITS
from trede.simulation import runner


class RunForm(forms.Form):
    reference = forms.ChoiceField(
        label=_("Vergelijk met (referentie)"), help_text=_("Meestal de basis: het beleid zoals het nu is.")
    )
    scenarios = forms.MultipleChoiceField(
        label=_("Scenario's om te vergelijken"), widget=forms.CheckboxSelectMultiple, required=False
    )
    population_kind = forms.ChoiceField(
        label=_("Bevolking"), choices=PopulationKind.choices, widget=forms.RadioSelect, initial=PopulationKind.SYNTHETIC
    )
    population = forms.IntegerField(
        label=_("Aantal mensen (synthetisch)"),
        min_value=LIMITS["population"][0],
        max_value=LIMITS["population"][1],
        initial=40_000,
        required=False,
    )
    own_calibration = forms.BooleanField(
        label=_("Stem de basis eerst af op onze eigen cijfers"),
        help_text=_(
            "Alleen met de eigen caseload. De kansen om uit te stromen naar werk en om een andere reden worden zo "
            "gekozen dat het eerste jaar klopt met onze eigen uitstroom van de laatste twaalf maanden; ook de "
            "nieuwe aanvragen komen uit onze eigen cijfers."
        ),
        required=False,
    )
    replications = forms.IntegerField(
        label=_("Herhalingen"),
        min_value=LIMITS["replications"][0],
        max_value=LIMITS["replications"][1],
        initial=runner.DEFAULT_REPLICATIONS,
        help_text=_("Meer herhalingen geven smallere intervallen, maar duren langer."),
    )
    horizon = forms.IntegerField(
        label=_("Horizon in maanden"),
        min_value=LIMITS["horizon"][0],
        max_value=LIMITS["horizon"][1],
        initial=runner.DEFAULT_HORIZON,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = choices
        self.fields["scenarios"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("population_kind") == PopulationKind.SYNTHETIC and not data.get("population"):
            self.add_error("population", _("Vul het aantal mensen in."))
        if data.get("own_calibration") and data.get("population_kind") != PopulationKind.CASELOAD:
            self.add_error("own_calibration", _("Afstemmen op eigen cijfers kan alleen met de eigen caseload."))
        return data


class ScenarioForm(forms.Form):
    name = forms.SlugField(
        label=_("Naam (kort, zonder spaties)"), max_length=60, help_text=_("Bijvoorbeeld: kleine-caseload-zuid")
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    toml = forms.CharField(
        label=_("Het scenario"),
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Elke waarde heeft een bron: waar komt het getal vandaan? Met extends bouwt u verder op een meegeleverd "
            "scenario en noemt u alleen wat anders is."
        ),
    )
