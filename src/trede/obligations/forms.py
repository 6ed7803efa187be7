from django import forms
from django.utils.translation import gettext_lazy as _

from trede.obligations.models import ExemptionGround, ObligationKind
from trede.web.forms import DateInput


class ExemptionForm(forms.Form):
    obligation = forms.ChoiceField(label=_("Ontheffing van"), choices=ObligationKind.choices)
    ground = forms.ChoiceField(label=_("Wettelijke grond"), choices=ExemptionGround.choices)
    start_on = forms.DateField(label=_("Ingangsdatum"), widget=DateInput())
    end_on = forms.DateField(
        label=_("Einddatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Laat leeg als de ontheffing geen vaste einddatum heeft; vul dan een herbeoordeling in."),
    )
    review_on = forms.DateField(
        label=_("Herbeoordeling op"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "Leeg laten: trede vult de termijn uit de regelset in (art. 9a: 6 maanden; anders de lokale termijn)."
        ),
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea,
        help_text=_("Beschrijf de omstandigheden. De cliënt kan dit later lezen."),
    )


class ExemptionEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Laatste dag van de ontheffing"),
        widget=DateInput(),
        help_text=_("Op deze dag geldt de ontheffing nog; de dag erna geldt de verplichting weer."),
    )
    end_reason = forms.CharField(label=_("Reden"), widget=forms.Textarea)


class ExemptionReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Herbeoordeeld op"), widget=DateInput())
    next_review_on = forms.DateField(label=_("Volgende herbeoordeling"), widget=DateInput())
    note = forms.CharField(
        label=_("Bevindingen"),
        widget=forms.Textarea,
        help_text=_("Wat is besproken, en waarom loopt de ontheffing door?"),
    )
