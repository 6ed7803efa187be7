from django import forms
from django.utils.translation import gettext_lazy as _

from trede.caseload.models import Channel, Responsible, Team
from trede.clients.models import BenefitNorm, District, Gender, HouseholdKind, LadderStep
from trede.core.roles import Role
from trede.web.forms import DateInput


class CaseloadFilterForm(forms.Form):
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    trede = forms.TypedChoiceField(
        label=_("Trede"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle"))] + list(LadderStep.choices),
    )
    ontheffing = forms.ChoiceField(
        label=_("Ontheffing"),
        required=False,
        choices=[("", _("Alle")), ("ja", _("Met ontheffing")), ("nee", _("Zonder ontheffing"))],
    )
    achterstand = forms.BooleanField(label=_("Alleen met achterstand"), required=False)
    klantmanager = forms.TypedChoiceField(label=_("Klantmanager"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].choices = [("", _("Alle"))] + [(d.code, d.name) for d in District.objects.all()]
        if caseworkers is None:
            del self.fields["klantmanager"]
        else:
            self.fields["klantmanager"].choices = [("", _("Alle"))] + [(u.pk, str(u)) for u in caseworkers]


class ContactForm(forms.Form):
    contact_on = forms.DateField(label=_("Datum"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices)
    summary = forms.CharField(
        label=_("Verslag"),
        widget=forms.Textarea,
        help_text=_("Wat is besproken en wat is afgesproken? Schrijf feiten, geen oordelen."),
    )


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Wat"), max_length=500)
    responsible = forms.ChoiceField(label=_("Wie"), choices=Responsible.choices)
    responsible_note = forms.CharField(
        label=_("Toelichting wie"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de naam van de partnerorganisatie."),
    )
    deadline = forms.DateField(label=_("Uiterlijk"), widget=DateInput())


class ReassignForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Nieuwe klantmanager"), queryset=None)
    start_on = forms.DateField(label=_("Vanaf"), widget=DateInput())
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea)

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        help_text=_("Verplicht voor klantmanagers en teamleiders."),
    )
    hours_per_week = forms.IntegerField(label=_("Uren per week"), min_value=1, max_value=40, initial=36)
    password = forms.CharField(
        label=_("Wachtwoord"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Minstens 10 tekens. Geef het wachtwoord persoonlijk door."),
    )


class ClientRegisterForm(forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=11, help_text=_("9 cijfers"))
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    surname_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    surname = forms.CharField(label=_("Achternaam"), max_length=100)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=DateInput())
    gender = forms.ChoiceField(
        label=_("Geslacht"),
        choices=Gender.choices,
        initial=Gender.OTHER,
        help_text=_("Alleen om eerlijkheid per groep te meten; nooit invoer van een model."),
    )
    street = forms.CharField(label=_("Straat"), max_length=200, required=False)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=16, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)
    district = forms.ModelChoiceField(label=_("Wijk"), queryset=District.objects.all())
    phone = forms.CharField(label=_("Telefoon"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    household_kind = forms.ChoiceField(label=_("Huishouden"), choices=HouseholdKind.choices)
    benefit_start_on = forms.DateField(label=_("Uitkering gaat in op"), widget=DateInput(), required=False)
    norm = forms.ChoiceField(label=_("Norm"), choices=BenefitNorm.choices)
    caseworker = forms.ModelChoiceField(label=_("Klantmanager"), queryset=None)

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers
