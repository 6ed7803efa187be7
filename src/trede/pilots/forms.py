from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from trede.clients.models import District, LadderStep
from trede.core.models import User
from trede.core.roles import Role
from trede.intake.models import Route
from trede.pilots import rules
from trede.pilots.models import PLAN_FIELDS, Correction, Unit
from trede.web.forms import DateInput

ROUTE_CHOICES = [*Route.choices, ("none", _("Nog geen route"))]
CRITERIA_FIELDS = rules.CRITERIA_KEYS


def criteria_text(criteria: dict) -> str:
    """The saved selection in words, e.g. "In de bijstand; wijken: Noord; leeftijd 27 tot en met 49"."""
    parts = [_g("In de bijstand op de dag van de loting")]
    if criteria.get("districts"):
        names = District.objects.filter(pk__in=criteria["districts"]).order_by("name").values_list("name", flat=True)
        parts.append(_g("wijken: %(w)s") % {"w": ", ".join(names)})
    lo, hi = criteria.get("age_min"), criteria.get("age_max")
    if lo is not None and hi is not None:
        parts.append(_g("leeftijd %(a)d tot en met %(b)d") % {"a": lo, "b": hi})
    elif lo is not None:
        parts.append(_g("leeftijd vanaf %(a)d") % {"a": lo})
    elif hi is not None:
        parts.append(_g("leeftijd tot en met %(b)d") % {"b": hi})
    if criteria.get("routes"):
        labels = dict(ROUTE_CHOICES)
        parts.append(_g("route: %(r)s") % {"r": ", ".join(str(labels.get(r, r)) for r in criteria["routes"])})
    if criteria.get("ladder_steps"):
        parts.append(_g("treden: %(t)s") % {"t": ", ".join(str(s) for s in criteria["ladder_steps"])})
    lo, hi = criteria.get("benefit_months_min"), criteria.get("benefit_months_max")
    if lo is not None:
        parts.append(_g("minstens %(m)d maanden in de bijstand") % {"m": lo})
    if hi is not None:
        parts.append(_g("hoogstens %(m)d maanden in de bijstand") % {"m": hi})
    if criteria.get("exemption"):
        parts.append(str(dict(rules.EXEMPTION_CHOICES)[criteria["exemption"]]).lower())
    return "; ".join(parts)


def _primary_outcome() -> forms.ChoiceField:
    """The plan's primary outcome (a new field for each form that asks for it)."""
    return forms.ChoiceField(label=_("Primaire uitkomst"), choices=rules.OUTCOME_CHOICES, widget=forms.RadioSelect)


def _secondary_outcomes() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Secundaire uitkomsten"),
        choices=rules.OUTCOME_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CriteriaMixin(forms.Form):
    districts = forms.ModelMultipleChoiceField(
        label=_("Wijken"),
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geen wijk gekozen: alle wijken."),
    )
    age_min = forms.IntegerField(label=_("Leeftijd vanaf"), min_value=18, max_value=67, required=False)
    age_max = forms.IntegerField(label=_("Leeftijd tot en met"), min_value=18, max_value=67, required=False)
    routes = forms.MultipleChoiceField(
        label=_("Route"),
        choices=ROUTE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geen route gekozen: alle routes."),
    )
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
    exemption = forms.ChoiceField(
        label=_("Ontheffing"), choices=rules.EXEMPTION_CHOICES, required=False, widget=forms.RadioSelect
    )

    def criteria(self) -> dict:
        """The selection from whatever validated (also from a half-filled form, for the live power)."""
        d = getattr(self, "cleaned_data", {})
        raw = {k: d.get(k) for k in CRITERIA_FIELDS}
        if raw.get("districts") is not None:
            raw["districts"] = [x.pk for x in raw["districts"]]
        return rules.criteria_clean(raw)


class PilotForm(CriteriaMixin):
    name = forms.CharField(label=_("Korte naam"), max_length=200)
    question = forms.CharField(
        label=_("Onderzoeksvraag"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Bijvoorbeeld: vinden cliënten sneller werk als een klantmanager 50 in plaats van 350 cliënten heeft?"
        ),
    )
    intervention = forms.CharField(label=_("Wat krijgt de interventiegroep?"), widget=forms.Textarea(attrs={"rows": 2}))
    control = forms.CharField(
        label=_("Wat krijgt de controlegroep?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Meestal: de gewone begeleiding."),
    )
    unit = forms.ChoiceField(label=_("Wat loten we?"), choices=Unit.choices, widget=forms.RadioSelect, initial="client")
    strata = forms.MultipleChoiceField(
        label=_("Strata: loten binnen groepen met hetzelfde kenmerk"),
        choices=rules.FACTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Binnen elke groep is de verdeling over interventie en controle zo gelijk mogelijk."),
    )
    weight_intervention = forms.IntegerField(label=_("Verhouding: interventie"), min_value=1, max_value=10, initial=1)
    weight_control = forms.IntegerField(
        label=_("Verhouding: controle"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("1 en 1: evenveel in elke groep. 2 en 1: twee keer zoveel in de interventiegroep."),
    )
    primary_outcome = _primary_outcome()
    secondary_outcomes = _secondary_outcomes()
    subgroups = forms.MultipleChoiceField(
        label=_("Subgroepen (vooraf vastgelegd)"),
        choices=rules.FACTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen deze subgroepen worden geanalyseerd, met een correctie voor meerdere toetsen."),
    )
    correction = forms.ChoiceField(
        label=_("Correctie voor meerdere subgroepen"),
        choices=Correction.choices,
        widget=forms.RadioSelect,
        initial=Correction.HOLM,
    )
    follow_up_months = forms.IntegerField(label=_("Looptijd in maanden"), min_value=1, max_value=60, initial=12)
    analysis_date = forms.DateField(
        label=_("Datum van de analyse"),
        widget=DateInput(),
        required=False,
        help_text=_("Pas op deze datum ziet u de uitkomsten. Nodig om het plan vast te leggen."),
    )
    analysis_plan = forms.CharField(
        label=_("Analyseplan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Hoe wordt geanalyseerd, en wat telt als een effect? Nodig om het plan vast te leggen."),
    )
    bootstrap = forms.TypedChoiceField(
        label=_("Bootstrap-interval voor de primaire uitkomst"),
        choices=[(0, _("Nee")), (1000, _("Ja, 1.000 herhalingen"))],
        coerce=int,
        initial=0,
        widget=forms.RadioSelect,
    )
    baseline_pct = forms.FloatField(
        label=_("Verwacht percentage in de controlegroep"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Bij een duur: het percentage dat aan het eind van de looptijd de gebeurtenis had."),
    )
    target_effect_pp = forms.FloatField(
        label=_("Gewenst effect in procentpunten"),
        required=False,
        help_text=_("Bijvoorbeeld 5: van 20% naar 25%. Dan rekent trede uit hoeveel mensen nodig zijn."),
    )
    icc = forms.FloatField(
        label=_("Intraclustercorrelatie (bij loting per klantmanager of wijk)"),
        min_value=0,
        max_value=0.99,
        initial=0.0,
        required=False,
    )
    cluster_size = forms.FloatField(
        label=_("Gemiddeld aantal cliënten per klantmanager of wijk"), min_value=1, initial=1.0, required=False
    )
    caseworker_ids = forms.ModelMultipleChoiceField(
        label=_("Klantmanagers voor de interventiegroep"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leeg: de klantmanager blijft dezelfde. Gekozen: de interventiegroep gaat naar deze klantmanagers."
        ),
    )
    exemption_obligation = forms.ChoiceField(label=_("Ontheffing voor de interventiegroep"), required=False)
    intensity_intervention = forms.CharField(
        label=_("Begeleiding in de interventiegroep"),
        max_length=200,
        required=False,
        help_text=_("Dit ziet de klantmanager in het dossier, bijvoorbeeld: elke twee weken een gesprek."),
    )
    intensity_control = forms.CharField(label=_("Begeleiding in de controlegroep"), max_length=200, required=False)

    FIELDSETS = (
        (_("De vraag"), ("name", "question", "intervention", "control")),
        (
            _("Wie doet mee"),
            rules.CRITERIA_KEYS,
        ),  # fmt: skip
        (_("De loting"), ("unit", "strata", "weight_intervention", "weight_control")),
        (
            _("Uitkomsten en analyse"),
            (
                "primary_outcome",
                "secondary_outcomes",
                "subgroups",
                "correction",
                "follow_up_months",
                "analysis_date",
                "analysis_plan",
                "bootstrap",
            ),
        ),  # fmt: skip
        (
            _("Wat de interventiegroep krijgt"),
            ("caseworker_ids", "exemption_obligation", "intensity_intervention", "intensity_control"),
        ),  # fmt: skip
        (_("Power: aannames"), ("baseline_pct", "target_effect_pp", "icc", "cluster_size")),
    )

    def __init__(self, *args, exemption_available: bool = False, **kwargs):
        from trede.obligations.models import ObligationKind

        super().__init__(*args, **kwargs)
        self.fields["caseworker_ids"].queryset = User.objects.filter(
            role=Role.CASEWORKER, is_active=True, team_membership__isnull=False
        ).order_by("last_name", "first_name", "pk")
        field = self.fields["exemption_obligation"]
        field.choices = [("", _("Geen ontheffing")), *ObligationKind.choices]
        if not exemption_available:
            field.disabled = True
            field.help_text = _(
                "Nog niet mogelijk: de regelset bevat geen grond voor een experiment (een besluit op grond van art. 83 "
                "Participatiewet). De functioneel beheerder kan die vastleggen, met het besluit als bron."
            )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def plan(self) -> dict:
        d = self.cleaned_data
        plan = {k: d.get(k) for k in PLAN_FIELDS if k in self.fields}
        plan["criteria"] = self.criteria()
        plan["caseworker_ids"] = [u.pk for u in d.get("caseworker_ids") or []]
        plan["icc"] = d.get("icc") or 0.0
        plan["cluster_size"] = d.get("cluster_size") or 1.0
        plan["exemption_obligation"] = d.get("exemption_obligation") or ""
        plan["bootstrap"] = d.get("bootstrap") or 0
        return plan

    @classmethod
    def initial_of(cls, pilot) -> dict:
        initial = {f: getattr(pilot, f) for f in PLAN_FIELDS if f not in ("criteria",)}
        initial.update(pilot.criteria)
        initial["caseworker_ids"] = pilot.caseworker_ids
        return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom wilt u de uitkomsten nu al zien?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: signalen dat cliënten in de interventiegroep schade ondervinden."),
    )


class CrossoverForm(forms.Form):
    received = forms.TypedChoiceField(
        label=_("Wat krijgt de cliënt werkelijk?"),
        choices=[("1", _("De interventie")), ("0", _("De gewone begeleiding (controle)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Sinds"), widget=DateInput())
    reason = forms.CharField(label=_("Wat ging er anders, en waarom?"), widget=forms.Textarea(attrs={"rows": 3}))


class CampaignPilotForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Oproep"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Korte naam"), max_length=200)
    question = forms.CharField(label=_("Onderzoeksvraag"), widget=forms.Textarea(attrs={"rows": 2}))
    early_cohorts = forms.IntegerField(
        label=_("Aantal vroege cohorten (interventiegroep)"),
        min_value=1,
        initial=1,
        help_text=_("De latere cohorten zijn de controlegroep, tot ze zelf worden opgeroepen."),
    )
    primary_outcome = _primary_outcome()
    secondary_outcomes = _secondary_outcomes()
    analysis_plan = forms.CharField(label=_("Analyseplan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class ObservationalForm(CriteriaMixin):
    on = forms.DateField(label=_("Peildatum"), widget=DateInput())
    treatment = forms.ChoiceField(
        label=_("Wie vergelijken we?"),
        choices=[
            ("exempt", _("Met een ontheffing tegenover zonder")),
            ("route_work", _("Route traject naar werk tegenover de andere routes")),
            ("recent_contact", _("Contact in de 90 dagen ervoor tegenover geen contact")),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[(o.name, o.label) for o in rules.OUTCOMES.values() if o.kind == "binary"],
        widget=forms.RadioSelect,
    )
    follow_up_months = forms.IntegerField(label=_("Looptijd in maanden"), min_value=1, max_value=60, initial=12)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)


class PilotScenarioForm(forms.Form):
    """Which lever gets the pilot's effect, from which of its outcomes; the levers and outcomes offered are those
    the pilot can fill (pilots.to_scenario)."""

    lever = forms.ChoiceField(label=_("Welke hefboom krijgt het effect van de pilot?"), widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label=_("Welke uitkomst van de pilot gebruiken we?"),
        widget=forms.RadioSelect,
        help_text=_(
            "Een effect op werk komt uit “betaald werk” of “maanden in de bijstand”, een effect op de trede uit "
            "“hogere trede”."
        ),
    )
    bounds = forms.BooleanField(
        label=_("Sla ook een scenario op met de ondergrens en een met de bovengrens van het interval"),
        required=False,
        help_text=_("Zo ziet u hoe onzeker de uitkomst van de simulatie is."),
    )

    def __init__(self, *args, levers=(), outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lever"].choices = list(levers)
        self.fields["outcome"].choices = list(outcomes)
        if len(self.fields["outcome"].choices) == 1:
            self.fields["outcome"].initial = self.fields["outcome"].choices[0][0]
