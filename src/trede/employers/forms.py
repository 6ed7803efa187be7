from django import forms
from django.utils.translation import gettext_lazy as _

from trede.core.models import User
from trede.core.roles import Role
from trede.employers.models import (
    ContactPerson,
    ContractType,
    Employer,
    MatchStatus,
    PlacementKind,
    PlacementOutcome,
    ReferralStatus,
    Vacancy,
)
from trede.web.forms import DateInput


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "kvk_number",
            "sector",
            "adviser",
            "address",
            "district",
            "social_return",
            "pso_level",
            "agreements",
            "active",
        ]
        widgets = {"agreements": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = User.objects.filter(role=Role.EMPLOYER_ADVISER, is_active=True)


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "phone", "email"]


class VacancyForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Nu openzetten voor klantmanagers"),
        required=False,
        help_text=_(
            "Alleen een complete vacature kan open: met loon, uren, contract, taken, eisen, werkplek, "
            "startdatum en contactpersoon."
        ),
    )

    class Meta:
        model = Vacancy
        fields = [
            "title",
            "occupation",
            "tasks",
            "wage_min",
            "wage_max",
            "wage_scale",
            "hours_per_week",
            "contract_type",
            "contract_months",
            "education",
            "language_level",
            "language_required",
            "physical_load",
            "driving_licence",
            "location",
            "district",
            "start_on",
            "contact",
            "positions",
            "offers_trial_placement",
            "offers_wage_subsidy",
            "offers_job_coach",
            "offers_training",
        ]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 3}), "start_on": DateInput()}

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = employer.contacts.all()
        self.fields["occupation"].help_text = _("De ISCO-08-code van het beroep, bijvoorbeeld 9112 voor schoonmaker.")
        if self.instance.pk:
            self.fields["publish"].initial = self.instance.status == "open"


class MatchForm(forms.Form):
    status = forms.ChoiceField(label=_("Wat is er gedaan?"), choices=MatchStatus.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden of toelichting"), required=False, max_length=500, help_text=_("Verplicht bij afwijzen.")
    )


class JobReferralForm(forms.Form):
    vacancy = forms.ModelChoiceField(label=_("Vacature"), queryset=Vacancy.objects.none())
    on = forms.DateField(label=_("Datum"), widget=DateInput())

    def __init__(self, *args, vacancies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if vacancies is not None:
            self.fields["vacancy"].queryset = vacancies


class JobReferralMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe stap"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden of toelichting"),
        required=False,
        max_length=500,
        help_text=_("Verplicht bij niet aangenomen en intrekken."),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["to"].choices = [(s, labels[s]) for s in allowed]


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort plaatsing"), choices=PlacementKind.choices, widget=forms.RadioSelect)
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Employer.objects.filter(active=True))
    start_on = forms.DateField(label=_("Begint op"), widget=DateInput())
    end_on = forms.DateField(
        label=_("Eindigt op"), required=False, widget=DateInput(), help_text=_("Verplicht bij een proefplaatsing.")
    )
    hours_per_week = forms.IntegerField(label=_("Uren per week"), min_value=1, max_value=40)
    intended_contract = forms.CharField(
        label=_("Beoogd contract na de proefplaatsing"),
        required=False,
        max_length=300,
        help_text=_("Verplicht bij een proefplaatsing: welk contract geeft de werkgever daarna?"),
    )
    wage_value_pct = forms.IntegerField(
        label=_("Loonwaarde (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leeg zolang de loonwaarde niet is vastgesteld: dan 50%, hoogstens 6 maanden."),
    )
    wage_value_assessed_on = forms.DateField(label=_("Loonwaarde vastgesteld op"), required=False, widget=DateInput())
    wage_value_review_on = forms.DateField(
        label=_("Loonwaarde opnieuw vaststellen op"), required=False, widget=DateInput()
    )
    promised_training = forms.CharField(label=_("Beloofde opleiding (klimopbaan)"), required=False, max_length=300)
    training_due_on = forms.DateField(label=_("Opleiding begint uiterlijk op"), required=False, widget=DateInput())


class PlacementExtendForm(forms.Form):
    extended_until = forms.DateField(label=_("Verlengen tot en met"), widget=DateInput())


class TrainingStartedForm(forms.Form):
    started_on = forms.DateField(label=_("Opleiding begonnen op"), widget=DateInput())


class PlacementEndForm(forms.Form):
    end_on = forms.DateField(label=_("Geëindigd op"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=PlacementOutcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Toelichting"), required=False, max_length=500, help_text=_("Verplicht als er geen contract kwam.")
    )


class ExitForm(forms.Form):
    exit_on = forms.DateField(label=_("Uit de bijstand op"), widget=DateInput())
    employer = forms.ModelChoiceField(
        label=_("Werkgever"), queryset=Employer.objects.filter(active=True), required=False
    )
    employer_name = forms.CharField(
        label=_("Of: naam van de werkgever"),
        required=False,
        max_length=200,
        help_text=_("Als die niet in trede staat."),
    )
    hours_per_week = forms.IntegerField(label=_("Uren per week"), min_value=1, max_value=60)
    contract_type = forms.ChoiceField(label=_("Soort contract"), choices=ContractType.choices)
    contract_months = forms.IntegerField(label=_("Duur contract (maanden)"), required=False, min_value=1)
    hourly_wage = forms.DecimalField(label=_("Bruto uurloon (EUR)"), max_digits=6, decimal_places=2, min_value=0)


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Datum"), widget=DateInput())
    still_working = forms.TypedChoiceField(
        label=_("Werkt de cliënt nog?"),
        choices=[("1", _("Ja")), ("0", _("Nee"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    off_benefit = forms.TypedChoiceField(
        label=_("Nog uit de bijstand?"),
        choices=[("1", _("Ja")), ("0", _("Nee"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    needs_job_coach = forms.TypedChoiceField(
        label=_("Is een jobcoach nodig?"),
        choices=[("1", _("Ja")), ("0", _("Nee"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)


def _occupation_choices():
    from trede.stats import occupations

    return [("", _("–"))] + [(c, f"{name} ({c})") for c, name in occupations.choices(level=4)]


class WorkProfileForm(forms.Form):
    """Up to three occupations with years of experience, up to three preferred occupations (ISCO-08)."""

    recorded_on = forms.DateField(label=_("Datum"), widget=DateInput())
    occupation_1 = forms.ChoiceField(label=_("Werkervaring 1: beroep"), required=False)
    years_1 = forms.IntegerField(label=_("Werkervaring 1: jaren"), required=False, min_value=0, max_value=60)
    occupation_2 = forms.ChoiceField(label=_("Werkervaring 2: beroep"), required=False)
    years_2 = forms.IntegerField(label=_("Werkervaring 2: jaren"), required=False, min_value=0, max_value=60)
    occupation_3 = forms.ChoiceField(label=_("Werkervaring 3: beroep"), required=False)
    years_3 = forms.IntegerField(label=_("Werkervaring 3: jaren"), required=False, min_value=0, max_value=60)
    preference_1 = forms.ChoiceField(label=_("Voorkeur 1"), required=False)
    preference_2 = forms.ChoiceField(label=_("Voorkeur 2"), required=False)
    preference_3 = forms.ChoiceField(label=_("Voorkeur 3"), required=False)
    hours_wanted = forms.IntegerField(label=_("Gewenste uren per week"), required=False, min_value=1, max_value=60)
    driving_licence = forms.BooleanField(label=_("Heeft rijbewijs B"), required=False)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = _occupation_choices()
        for name, field in self.fields.items():
            if name.startswith(("occupation_", "preference_")):
                field.choices = options

    def clean(self):
        data = super().clean()
        for i in (1, 2, 3):
            if data.get(f"occupation_{i}") and data.get(f"years_{i}") is None:
                self.add_error(f"years_{i}", _("Vul de jaren ervaring in."))
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "recorded_on": d["recorded_on"],
            "experience": [
                {"code": d[f"occupation_{i}"], "years": d[f"years_{i}"]} for i in (1, 2, 3) if d.get(f"occupation_{i}")
            ],
            "preferences": [d[f"preference_{i}"] for i in (1, 2, 3) if d.get(f"preference_{i}")],
            "hours_wanted": d.get("hours_wanted"),
            "driving_licence": d.get("driving_licence", False),
            "note": d.get("note", ""),
        }
