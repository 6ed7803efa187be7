from django import forms
from django.utils.translation import gettext_lazy as _

from trede.activation.models import (
    Activity,
    ActivityKind,
    NextStep,
    ParticipationKind,
    Provider,
    ReferralStatus,
)
from trede.caseload.models import Channel
from trede.clients.models import District
from trede.web.forms import DateInput


class CatalogueFilterForm(forms.Form):
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), queryset=District.objects.all(), required=False, empty_label=_("Alle wijken")
    )
    soort = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle soorten")), *ActivityKind.choices]
    )
    zoek = forms.CharField(label=_("Zoek op naam, organisatie of omschrijving"), required=False, max_length=100)
    passend = forms.BooleanField(label=_("Alleen wat past bij de cliënt"), required=False)

    def __init__(self, *args, with_fit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_fit:
            del self.fields["passend"]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "provider",
            "name",
            "kind",
            "description",
            "district",
            "location",
            "hours_per_week",
            "physical_load",
            "language_level",
            "capacity",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_tegenprestatie",
            "no_displacement",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "no_displacement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, provider_user: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(active=True)
        if provider_user:  # a provider keeps its own activities; the tegenprestatie is the administrator's call
            for name in ("provider", "is_tegenprestatie", "no_displacement"):
                del self.fields[name]


class ReferralForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activiteit"), queryset=Activity.objects.none())
    on = forms.DateField(label=_("Datum voorstel"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    waiting_list = forms.BooleanField(
        label=_("Op de wachtlijst zetten als er geen plaats vrij is"),
        required=False,
        help_text=_("Zonder vinkje kan een cliënt niet worden verwezen naar een activiteit die vol is."),
    )

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activities is not None:
            self.fields["activity"].queryset = activities


class ReferralMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden of toelichting"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij afwijzen, intrekken en beëindigen."),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["to"].choices = [(s, labels[s]) for s in allowed]


class ParticipationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wat doet de cliënt?"), choices=ParticipationKind.choices)
    description = forms.CharField(label=_("Omschrijving"), max_length=200)
    hours_per_week = forms.IntegerField(label=_("Uren per week"), min_value=1, max_value=80)
    start_on = forms.DateField(label=_("Begonnen op"), widget=DateInput())
    counts_as_tegenprestatie = forms.BooleanField(
        label=_("Telt als tegenprestatie"),
        required=False,
        help_text=_("Mantelzorg of vrijwilligerswerk dat de cliënt zelf doet, kan als tegenprestatie tellen."),
    )


class FollowUpForm(forms.Form):
    contact_on = forms.DateField(label=_("Datum"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices)
    summary = forms.CharField(
        label=_("Hoe gaat het?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Gaat de activiteit nog goed? Wat heeft de cliënt nodig? Schrijf feiten, geen oordelen."),
    )


class ParticipationEndForm(forms.Form):
    end_on = forms.DateField(label=_("Gestopt op"), widget=DateInput())
    reason = forms.CharField(label=_("Waarom stopt de cliënt?"), max_length=500)
    next_step = forms.ChoiceField(
        label=_("Volgende stap"),
        required=False,
        choices=[("", _("Nog niet afgesproken")), *NextStep.choices],
        help_text=_("Zonder volgende stap komt de cliënt op de lijst 'Gestopt zonder volgende stap'."),
    )
    next_step_note = forms.CharField(label=_("Toelichting volgende stap"), required=False, max_length=500)


class NextStepForm(forms.Form):
    next_step = forms.ChoiceField(label=_("Volgende stap"), choices=NextStep.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "kind", "phone", "email", "active"]


class ProviderMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Medewerker (gebruiker met de rol aanbieder)"), queryset=None)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
