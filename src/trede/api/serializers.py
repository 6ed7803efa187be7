"""Serializers of the API: explicit fields and enum choices, so that the OpenAPI schema is precise.

Serializers only shape and type-check data. Every rule of the domain (BSN, dates in the future, overlapping
exemptions, ...) is checked by the service that does the write, and its errors reach the caller through
trede.api.exceptions with the same field names.

One choice set has one field name throughout (e.g. ObligationKind is always `obligation`, HouseholdKind always
`household_kind`), so that the schema has one named enum per choice set.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trede.activation.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    NextStep,
    ParticipationKind,
    ParticipationSource,
    PhysicalLoad,
    ReferralStatus,
)
from trede.activation.rules import PROVIDER_MAY, REASON_REQUIRED, TEGENPRESTATIE_POLICIES, TEGENPRESTATIE_STATUS_TEXT
from trede.activation.selectors import PROVIDER_STATUS_FILTER, free_places
from trede.api.permissions import MAX_ID
from trede.caseload.models import Channel, Responsible
from trede.caseload.selectors import team_caseworkers, team_of
from trede.clients.models import (
    BenefitNorm,
    Education,
    ExitReason,
    Gender,
    Health,
    HouseholdKind,
    LadderStep,
    LanguageLevel,
    MemberRole,
    Social,
)
from trede.clients.models import Debts as DebtsChoices
from trede.core.models import User
from trede.core.roles import Role
from trede.intake.models import DecisionStatus, Route
from trede.intake.rules import ASKED, DERIVED, effect_text
from trede.obligations.models import ExemptionGround, ObligationKind
from trede.stats.time_to_work import ALLOWED_FACTORS

# --------------------------------------------------------------------------------------------------
# Small shared shapes


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, read_only=True)
    team = serializers.SerializerMethodField(help_text="Id of the user's team, if any.")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_team(self, user) -> int | None:
        return team_of(user)


class DistrictSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class TeamSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


# --------------------------------------------------------------------------------------------------
# Obligations and exemptions


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    obligation = serializers.ChoiceField(source="kind", choices=ObligationKind.choices, read_only=True)
    start_on = serializers.DateField(read_only=True)
    end_on = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    exempt = serializers.BooleanField(
        read_only=True,
        help_text="Whether an exemption from this obligation is in force today "
        "(trede.obligations.selectors.is_exempt).",
    )


class ExemptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    obligation = serializers.ChoiceField(choices=ObligationKind.choices)
    ground = serializers.ChoiceField(choices=ExemptionGround.choices)
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True, default=None)
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField()
    granted_by = UserSummarySerializer(read_only=True, allow_null=True)
    granted_at = serializers.DateTimeField(read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    end_reason = serializers.CharField(read_only=True)


class ExemptionInForceSerializer(serializers.Serializer):
    """An exemption in force today, as the caseload and the client detail show it."""

    id = serializers.IntegerField(read_only=True)
    obligation = serializers.ChoiceField(choices=ObligationKind.choices, read_only=True)
    ground = serializers.ChoiceField(choices=ExemptionGround.choices, read_only=True)
    start_on = serializers.DateField(read_only=True)
    end_on = serializers.DateField(read_only=True, allow_null=True)
    review_on = serializers.DateField(read_only=True, allow_null=True)


class ExemptionEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    end_reason = serializers.CharField()


# --------------------------------------------------------------------------------------------------
# Household


class HouseholdMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(choices=MemberRole.choices)
    first_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    household_kind = serializers.ChoiceField(
        choices=HouseholdKind.choices,
        write_only=True,
        required=False,
        help_text="Change the household's composition together with adding this member.",
    )


class HouseholdSerializer(serializers.Serializer):
    household_kind = serializers.ChoiceField(source="kind", choices=HouseholdKind.choices, read_only=True)
    members = HouseholdMemberSerializer(many=True, read_only=True)


# --------------------------------------------------------------------------------------------------
# Clients


class ClientWriteFields(serializers.Serializer):
    """The fields of a client that a caller may set (registration and update share them)."""

    first_name = serializers.CharField(max_length=100)
    surname_prefix = serializers.CharField(max_length=20, required=False, allow_blank=True)
    surname = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    house_number = serializers.CharField(max_length=16, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=7, required=False, allow_blank=True, help_text="Dutch postcode, e.g. 1234 AB."
    )
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    district = serializers.CharField(max_length=16, help_text="Code of the client's district (see /districts/).")


class ClientRegisterSerializer(ClientWriteFields):
    bsn = serializers.CharField(max_length=20, help_text="Burgerservicenummer: 9 digits, elfproef-valid.")
    household_kind = serializers.ChoiceField(choices=HouseholdKind.choices, default=HouseholdKind.SINGLE)
    caseworker = serializers.IntegerField(
        required=False,
        allow_null=True,
        max_value=MAX_ID,
        help_text="Id of the caseworker whose caseload the client joins. Required for a team lead (a caseworker "
        "of the team); a caseworker registers into their own caseload and may leave it out.",
    )

    def validate(self, attrs):
        """The caseworker whose caseload the client joins (a User), checked against the caller's role."""
        user = self.context["request"].user
        value = attrs.get("caseworker")
        if user.role == Role.CASEWORKER:
            if value not in (None, user.pk):
                raise serializers.ValidationError(
                    {"caseworker": [_("Een klantmanager registreert een cliënt in de eigen caseload.")]}
                )
            attrs["caseworker"] = user
            return attrs
        if value is None:
            raise serializers.ValidationError(
                {"caseworker": [_("Kies de klantmanager in wiens caseload de cliënt komt.")]}
            )
        team_id = team_of(user)
        found = team_caseworkers(team_id).filter(pk=value).first() if team_id else None
        if found is None:
            raise serializers.ValidationError({"caseworker": [_("Kies een klantmanager uit uw eigen team.")]})
        attrs["caseworker"] = found
        return attrs


class ClientUpdateSerializer(ClientWriteFields):
    next_review_on = serializers.DateField(required=False, help_text="Date of the next periodic review.")


class ClientIdentityFields(serializers.Serializer):
    """Who the client is: shared by the caseload row and the dossier."""

    id = serializers.IntegerField(read_only=True)
    bsn = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    surname_prefix = serializers.CharField(read_only=True)
    surname = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True)


class ClientSummarySerializer(ClientIdentityFields):
    """A client as the caseload shows it (annotated by trede.caseload.selectors.caseload)."""

    district = DistrictSerializer(read_only=True)
    ladder_step = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=1, max_value=6, help_text="Latest participation-ladder step (1-6)."
    )
    last_contact_on = serializers.DateField(read_only=True, allow_null=True)
    next_review_on = serializers.DateField(read_only=True, allow_null=True)
    open_actions = serializers.IntegerField(read_only=True)
    overdue_actions = serializers.IntegerField(read_only=True)
    contact_overdue = serializers.BooleanField(read_only=True)
    review_overdue = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    obligations = ObligationSerializer(
        source="active_obligations", many=True, read_only=True, help_text="Obligations in force today."
    )
    exemptions = ExemptionInForceSerializer(
        source="active_exemptions", many=True, read_only=True, help_text="Exemptions in force today."
    )


class ClientDetailSerializer(ClientIdentityFields):
    gender = serializers.ChoiceField(choices=Gender.choices, read_only=True)
    street = serializers.CharField(read_only=True)
    house_number = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    district = DistrictSerializer(read_only=True)
    next_review_on = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    ladder_step = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=1, max_value=6, help_text="Latest participation-ladder step (1-6)."
    )
    household = serializers.SerializerMethodField()
    caseworker = serializers.SerializerMethodField(help_text="The caseworker whose caseload the client is in.")
    obligations = ObligationSerializer(
        source="active_obligations",
        many=True,
        read_only=True,
        help_text="Obligations in force today, each with whether it is lifted.",
    )
    exemptions = ExemptionInForceSerializer(
        source="active_exemptions", many=True, read_only=True, help_text="Exemptions in force today."
    )
    access = serializers.SerializerMethodField(help_text="What the caller may do with this dossier.")

    @extend_schema_field(HouseholdSerializer(allow_null=True))
    def get_household(self, client):
        household = getattr(client, "household", None)
        return HouseholdSerializer(household).data if household is not None else None

    @extend_schema_field(UserSummarySerializer(allow_null=True))
    def get_caseworker(self, client):
        current = client.current_assignments[0] if client.current_assignments else None
        return UserSummarySerializer(current.caseworker).data if current is not None else None

    @extend_schema_field(serializers.ChoiceField(choices=[("read", "read"), ("write", "write")]))
    def get_access(self, client) -> str:
        return self.context.get("access", "read")


# --------------------------------------------------------------------------------------------------
# Benefit periods, circumstances, ladder


class BenefitPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    start_on = serializers.DateField()
    norm = serializers.ChoiceField(choices=BenefitNorm.choices, default=BenefitNorm.SINGLE)
    end_on = serializers.DateField(read_only=True, allow_null=True)
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices, read_only=True, allow_blank=True)


class BenefitPeriodEndSerializer(serializers.Serializer):
    end_on = serializers.DateField()
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices)


class CircumstancesSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    recorded_on = serializers.DateField()
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)
    education = serializers.ChoiceField(choices=Education.choices)
    work_experience_years = serializers.IntegerField(min_value=0, max_value=80)
    last_worked_year = serializers.IntegerField(min_value=1900, max_value=9999, required=False, allow_null=True)
    dutch_level = serializers.ChoiceField(choices=LanguageLevel.choices)
    health = serializers.ChoiceField(choices=Health.choices)
    health_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    care_duties = serializers.BooleanField(required=False, default=False)
    care_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    debts = serializers.ChoiceField(choices=DebtsChoices.choices)
    social = serializers.ChoiceField(choices=Social.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class LadderMeasurementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    step = serializers.ChoiceField(choices=LadderStep.choices)
    measured_on = serializers.DateField()
    measured_by = UserSummarySerializer(read_only=True, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --------------------------------------------------------------------------------------------------
# Contacts, action plan, assignments


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    contact_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    summary = serializers.CharField()
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class ActionItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    description = serializers.CharField(max_length=500)
    responsible = serializers.ChoiceField(choices=Responsible.choices)
    responsible_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    deadline = serializers.DateField()
    done_on = serializers.DateField(read_only=True, allow_null=True)
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    created_on = serializers.DateField(read_only=True)


class ActionItemCompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, help_text="Default: today.")


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    caseworker = UserSummarySerializer(read_only=True)
    team = TeamSummarySerializer(read_only=True)
    start_on = serializers.DateField(read_only=True)
    end_on = serializers.DateField(read_only=True, allow_null=True)
    assigned_by = UserSummarySerializer(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)


class AssignmentCreateSerializer(serializers.Serializer):
    caseworker = serializers.IntegerField(max_value=MAX_ID, help_text="Id of a caseworker of the team lead's own team.")
    start_on = serializers.DateField(required=False, help_text="Default: today.")
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the client moves from another caseworker.",
    )

    def validate_caseworker(self, value) -> User:
        team_id = team_of(self.context["request"].user)
        found = team_caseworkers(team_id).filter(pk=value).first() if team_id else None
        if found is None:
            raise serializers.ValidationError(_("Kies een klantmanager uit uw eigen team."))
        return found


# --------------------------------------------------------------------------------------------------
# Intake: assessments and route decisions
#
# An intake's answers are {factor: {"value": ..., "on": "YYYY-MM-DD"}}. Their schema is written out inline (one
# object per factor, the value typed and enumerated per factor): as serializer fields, each factor's `value` would
# be one more name for a choice set that already has one (EducationEnum, ...), which drf-spectacular warns about.

ANSWER_CHOICES = {
    "education": Education,
    "dutch_level": LanguageLevel,
    "health": Health,
    "debts": DebtsChoices,
    "social": Social,
    "ladder_step": LadderStep,
}
YES_NO_FACTORS = ("worked_last_2_years", "care_duties")
MAX_EXPERIENCE_YEARS = 80  # as CircumstancesSerializer: an answer pre-filled from the dossier can be sent back

FACTOR_DESCRIPTIONS = {
    "age": "Age in years on the day of the intake (from the birth date; never asked).",
    "benefit_months": "Months on benefit on the day of the intake (from the start of the benefit period; never "
    "asked). Its date is the start of the benefit period.",
    "education": "Highest education.",
    "work_experience_years": f"Years of work experience (0-{MAX_EXPERIENCE_YEARS}).",
    "worked_last_2_years": "Worked in the last 2 years: 1 yes, 0 no.",
    "dutch_level": "Level of Dutch.",
    "health": "Health limitations.",
    "care_duties": "Care duties: 1 yes, 0 no.",
    "debts": "Debts.",
    "social": "Social network.",
    "ladder_step": "Step on the participation ladder (1-6).",
}


def answer_value_field(factor: str) -> serializers.Field:
    """The field that checks one asked factor's value (null: unknown, the answer stays missing)."""
    if factor in ANSWER_CHOICES:
        return serializers.ChoiceField(choices=ANSWER_CHOICES[factor].choices, allow_null=True)
    if factor in YES_NO_FACTORS:
        return serializers.ChoiceField(choices=[(0, "0"), (1, "1")], allow_null=True)
    if factor == "work_experience_years":
        return serializers.IntegerField(min_value=0, max_value=MAX_EXPERIENCE_YEARS, allow_null=True)
    raise KeyError(factor)


def _value_schema(factor: str) -> dict:
    if factor in ANSWER_CHOICES:
        values = list(ANSWER_CHOICES[factor].values)
        kind = "integer" if isinstance(values[0], int) else "string"
        return {"type": kind, "enum": [*values, None], "nullable": True}
    if factor in YES_NO_FACTORS:
        return {"type": "integer", "enum": [0, 1, None], "nullable": True}
    if factor == "work_experience_years":
        return {"type": "integer", "minimum": 0, "maximum": MAX_EXPERIENCE_YEARS, "nullable": True}
    if factor == "benefit_months":
        return {"type": "number", "nullable": True}
    return {"type": "integer", "nullable": True}  # age


DATE_OR_NULL = {"type": "string", "format": "date", "nullable": True}


def _answers_schema(factors: tuple[str, ...], *, with_source: bool) -> dict:
    properties = {}
    for factor in factors:
        answer = {"value": _value_schema(factor), "on": {**DATE_OR_NULL, "description": "The day the answer is about."}}
        if with_source:
            answer["source"] = {
                "type": "string",
                "enum": ["dossier", "intake", ""],
                "description": "`dossier`: taken from the dossier; `intake`: given at the intake; empty: unknown.",
            }
        properties[factor] = {
            "type": "object",
            "description": FACTOR_DESCRIPTIONS[factor] + " A null value: unknown (the answer is missing).",
            "properties": answer,
            "required": list(answer),
        }
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if with_source:
        schema["required"] = list(factors)
    return schema


ANSWERS_REQUEST_SCHEMA = _answers_schema(ASKED, with_source=False)
ANSWERS_SCHEMA = _answers_schema((*DERIVED, *ASKED), with_source=True)
UNKNOWN_ANSWER = {"value": None, "on": None, "source": ""}


@extend_schema_field(ANSWERS_SCHEMA)
class AnswersField(serializers.Field):
    """Every factor of an intake, derived and asked, each with its value, date and source (read-only)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, answers):
        out = {}
        for factor in (*DERIVED, *ASKED):
            answer = answers.get(factor) or UNKNOWN_ANSWER
            on = answer.get("on")
            out[factor] = {
                "value": answer.get("value"),
                "on": on.isoformat() if isinstance(on, dt.date) else on,
                "source": answer.get("source") or "",
            }
        return out


@extend_schema_field(ANSWERS_REQUEST_SCHEMA)
class AnswersInputField(serializers.DictField):
    """The asked factors' answers as given; each one is checked by AssessmentCreateSerializer.validate."""


class AssessmentCreateSerializer(serializers.Serializer):
    assessed_on = serializers.DateField(help_text="The day of the intake (not in the future).")
    answers = AnswersInputField(
        help_text="Per asked factor: its value and the day the value is about (`on`, not after the intake). A factor "
        "left out or with a null value is unknown and stays missing (it is never filled in); then no estimate is made. "
        "Age and time on benefit are not asked: they follow from the dossier. Errors about an answer are reported "
        'under the factor\'s name, e.g. {"education": ["..."]}.'
    )

    def validate(self, attrs):
        """Each answer checked against its factor; all asked factors returned, the unknown ones as missing."""
        given, problems = {}, {}
        for factor, answer in attrs["answers"].items():
            if factor in DERIVED:
                problems[factor] = [_("Volgt uit het dossier en wordt bij de intake niet gevraagd.")]
                continue
            if factor not in ASKED:
                problems[factor] = [_("onbekende vraag")]
                continue
            if not isinstance(answer, dict):
                problems[factor] = [_('Geef het antwoord als {"value": ..., "on": "JJJJ-MM-DD"}.')]
                continue
            errors, checked = [], {}
            for key, field in (("value", answer_value_field(factor)), ("on", serializers.DateField(allow_null=True))):
                try:
                    checked[key] = field.run_validation(answer.get(key))
                except serializers.ValidationError as exc:
                    errors += exc.detail
            if errors:
                problems[factor] = errors
            else:
                given[factor] = checked
        if problems:
            raise serializers.ValidationError(problems)
        attrs["answers"] = {}
        for factor in ASKED:  # as the intake form: every asked factor, an unknown one without a date
            answer = given.get(factor, {"value": None})
            value = answer["value"]
            attrs["answers"][factor] = {
                "value": value,
                "on": answer.get("on") if value is not None else None,
                "source": "intake",
            }
        return attrs


class AdviceSerializer(serializers.Serializer):
    route = serializers.ChoiceField(
        choices=Route.choices,
        read_only=True,
        allow_null=True,
        help_text="The route the rule set valid on the day advises; null: no advice was possible (no estimate).",
    )
    reason = serializers.CharField(read_only=True, help_text="Why, in the words of the advice as it was shown.")


def _advice(route: str, reason: str) -> dict:
    return {"route": route or None, "reason": reason}


class FactorEffectSerializer(serializers.Serializer):
    factor = serializers.ChoiceField(choices=[(f, f) for f in ALLOWED_FACTORS], read_only=True)
    value = serializers.JSONField(read_only=True, help_text="The client's value.")
    reference = serializers.JSONField(read_only=True, help_text="The value that counts as no effect.")
    months = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="How many months the estimated median moves because of this factor (negative: shorter).",
    )
    text = serializers.SerializerMethodField(help_text="The effect in words, in the caller's language.")

    def get_text(self, effect) -> str:
        months = effect.get("months")
        return effect_text(effect["factor"], float("nan") if months is None else months)


class EstimateSerializer(serializers.Serializer):
    """The time-to-work estimate exactly as it was shown at the intake (stored with it, never recomputed)."""

    median = serializers.FloatField(read_only=True, help_text="Estimated median months to paid work.")
    median_band = serializers.ListField(
        child=serializers.FloatField(), read_only=True, help_text="90% band of the median: [low, high] months."
    )
    p_work = serializers.DictField(
        child=serializers.FloatField(),
        read_only=True,
        help_text='Probability of paid work within 6, 12 and 24 months, keyed by the months ("6", "12", "24").',
    )
    p_band = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        read_only=True,
        help_text="90% band of each probability: [low, high], keyed like p_work.",
    )
    effects = FactorEffectSerializer(many=True, read_only=True, help_text="Per factor, its effect on the median.")
    similar_spells = serializers.IntegerField(
        source="similar",
        read_only=True,
        allow_null=True,
        help_text="Spells of past clients with a similar profile in the model's history (null: profile incomplete).",
    )
    history_months = serializers.FloatField(
        source="followup",
        read_only=True,
        allow_null=True,
        help_text="How far the model's history reaches, in months.",
    )
    beyond_history = serializers.SerializerMethodField(
        help_text="The median lies beyond the reach of the history: an extrapolation, to be read with care."
    )

    def get_beyond_history(self, estimate) -> bool:
        reach = estimate.get("followup")
        return bool(reach and estimate["median"] > reach)


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    assessed_on = serializers.DateField(read_only=True)
    assessed_by = UserSummarySerializer(read_only=True)
    answers = AnswersField(help_text="The answers as recorded, each with its date and source.")
    advice = serializers.SerializerMethodField()
    model_version = serializers.SerializerMethodField(
        help_text="Number of the time-to-work model that made the estimate; null: no estimate."
    )
    estimate = EstimateSerializer(
        read_only=True,
        allow_null=True,
        help_text="Null when no model was in use or an answer the model needs was missing.",
    )
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(AdviceSerializer)
    def get_advice(self, assessment) -> dict:
        return _advice(assessment.advised_route, assessment.advice_text)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_model_version(self, assessment) -> int | None:
        if hasattr(assessment, "model_number"):  # annotated by the list
            return assessment.model_number
        return assessment.model_version.number if assessment.model_version_id else None


class DossierAnswersQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The day of the intake (default: today; not in the future).")


class DossierAnswersSerializer(serializers.Serializer):
    on = serializers.DateField(read_only=True)
    answers = AnswersField(
        help_text="What the dossier knows on that day: the newest circumstances and ladder step recorded on or "
        "before it, each with the day it was recorded; age and time on benefit. Unknown: value null."
    )
    model_version = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Number of the time-to-work model in use, which estimates when every answer is known; null: no "
        "model in use, an intake is recorded without an estimate.",
    )


class RouteObligationSerializer(serializers.Serializer):
    obligation = serializers.ChoiceField(source="kind", choices=ObligationKind.choices, read_only=True)
    opened = serializers.BooleanField(read_only=True, help_text="Opened by this decision (false: already open).")
    exempt = serializers.BooleanField(read_only=True, help_text="An exemption in force lifted it on that day.")


class RouteDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(
        choices=DecisionStatus.choices,
        read_only=True,
        help_text="`in_force`: the route applies; `awaiting`: less help than advised (or than the route in force), "
        "it takes effect when a team lead confirms; `declined`: the team lead did not confirm.",
    )
    route = serializers.ChoiceField(choices=Route.choices, read_only=True, help_text="The route chosen.")
    advice = serializers.SerializerMethodField(help_text="The advice of the intake the decision follows.")
    assessment = serializers.IntegerField(source="assessment_id", read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    decided_by = UserSummarySerializer(read_only=True)
    decided_on = serializers.DateField(read_only=True)
    confirmed_by = UserSummarySerializer(
        read_only=True, allow_null=True, help_text="The team lead who confirmed or declined."
    )
    confirmed_on = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(source="confirmation_note", read_only=True, help_text="The team lead's note.")
    review_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the route is reviewed (set when it takes effect)."
    )
    obligations = RouteObligationSerializer(
        many=True, read_only=True, help_text="The obligations of the route, when it took effect."
    )

    @extend_schema_field(AdviceSerializer)
    def get_advice(self, decision) -> dict:
        reason = decision.assessment.advice_text if decision.assessment_id else ""
        return _advice(decision.advised_route, reason)


class RouteDecideSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    reason = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the route departs from the advice, and when it gives less help than the route in "
        "force.",
    )
    decided_on = serializers.DateField(required=False, help_text="Default: today.")
    assessment = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id of the client's intake whose advice the decision follows. Left out or null: the client's "
        "latest intake on or before decided_on, so that a route with less help than advised always waits for a "
        "team lead.",
    )


class RouteConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RouteDeclineSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=4000, allow_blank=True, help_text="Why the team lead does not confirm (required)."
    )


# --------------------------------------------------------------------------------------------------
# Query parameters of the client list

CLIENT_SORTS = {
    "name": ("naam", False),
    "-name": ("naam", True),
    "ladder_step": ("trede", False),
    "-ladder_step": ("trede", True),
    "last_contact": ("contact", False),
    "-last_contact": ("contact", True),
    "next_review": ("herbeoordeling", False),
    "-next_review": ("herbeoordeling", True),
    "open_actions": ("acties", False),
    "-open_actions": ("acties", True),
}


class ClientListQuerySerializer(serializers.Serializer):
    district = serializers.CharField(required=False, help_text="Only clients in the district with this code.")
    search = serializers.CharField(
        required=False,
        help_text="BSN prefix, or parts of the first name/surname. Do not put a BSN in the URL (it ends up in "
        "server logs): search by BSN with POST /api/v1/clients/search/, the term in the body.",
    )
    caseworker = serializers.IntegerField(
        required=False, max_value=MAX_ID, help_text="Team lead: only the clients of this caseworker of the team."
    )
    step = serializers.IntegerField(
        required=False, min_value=1, max_value=6, help_text="Only clients whose latest ladder step is this one."
    )
    exempt = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only clients with (true) or without (false) an exemption in force.",
    )
    overdue = serializers.BooleanField(required=False, default=False, help_text="Only clients with something overdue.")
    sort = serializers.ChoiceField(choices=[(k, k) for k in CLIENT_SORTS], required=False, default="name")


class ClientSearchSerializer(ClientListQuerySerializer):
    """The body of POST /api/v1/clients/search/: the search term, and optionally the list's other filters."""

    search = serializers.CharField(
        help_text="BSN (or its first digits), or parts of the first name/surname. Sent in the body so that a BSN "
        "stays out of URLs and server logs."
    )


# --------------------------------------------------------------------------------------------------
# Activation: the activity catalogue, referrals, participation, the tegenprestatie
#
# Each choice set has its own field name (activity_kind, activity_status, referral_status, participation_kind, ...):
# `kind` and `status` already name other choice sets. A referral's move target `to` is every status but `waiting`
# (nothing moves back onto the waiting list); for a provider, only the steps rules.PROVIDER_MAY allows.

MOVE_TARGETS = [(value, label) for value, label in ReferralStatus.choices if value != ReferralStatus.WAITING]
PROVIDER_MOVE_TARGETS = [(value, label) for value, label in ReferralStatus.choices if value in PROVIDER_MAY]
REASON_HELP = "Required when the referral is declined, withdrawn or ended."


class ProviderSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ActivityListQuerySerializer(serializers.Serializer):
    district = serializers.CharField(
        required=False,
        help_text="Only activities in the district with this code, and those for the whole municipality.",
    )
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False, help_text="Only this kind.")
    q = serializers.CharField(
        required=False, help_text="Text in the activity's name or description, or in the provider's name."
    )


class ActivitySerializer(serializers.Serializer):
    """An activity of the catalogue with its free places (annotated by trede.activation.selectors.with_places)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    activity_kind = serializers.ChoiceField(source="kind", choices=ActivityKind.choices, read_only=True)
    activity_status = serializers.ChoiceField(
        source="status",
        choices=ActivityStatus.choices,
        read_only=True,
        help_text="Caseworkers and team leads only see `offered` activities.",
    )
    description = serializers.CharField(read_only=True)
    provider = ProviderSummarySerializer(read_only=True)
    district = DistrictSerializer(read_only=True, allow_null=True, help_text="Null: for the whole municipality.")
    location = serializers.CharField(read_only=True)
    hours_per_week = serializers.IntegerField(read_only=True)
    physical_load = serializers.ChoiceField(choices=PhysicalLoad.choices, read_only=True)
    dutch_level = serializers.ChoiceField(
        source="language_level",
        choices=LanguageLevel.choices,
        read_only=True,
        allow_blank=True,
        help_text="The level of Dutch the activity asks; empty: no Dutch needed.",
    )
    capacity = serializers.IntegerField(read_only=True, help_text="Number of places.")
    free_places = serializers.SerializerMethodField(
        help_text="Places not held by a referral (proposed, accepted, started or active)."
    )
    waiting = serializers.IntegerField(
        source="n_waiting", read_only=True, help_text="Referrals on the waiting list of this activity."
    )
    is_tegenprestatie = serializers.BooleanField(read_only=True, help_text="Counts as a tegenprestatie.")
    no_displacement = serializers.CharField(
        read_only=True, help_text="For a tegenprestatie: why it displaces no paid job (art. 9 lid 1c)."
    )
    contact_name = serializers.CharField(read_only=True)
    contact_phone = serializers.CharField(read_only=True)
    contact_email = serializers.CharField(read_only=True)

    def get_free_places(self, activity) -> int:
        return free_places(activity)


class ActivitySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    activity_kind = serializers.ChoiceField(source="kind", choices=ActivityKind.choices, read_only=True)
    provider = ProviderSummarySerializer(read_only=True)


class ReferralEventSerializer(serializers.Serializer):
    """One step of a referral: the status it reached, on which day, why and by whom (oldest first; the first step
    is the proposal or the waiting-list entry)."""

    referral_status = serializers.ChoiceField(source="to_status", choices=ReferralStatus.choices, read_only=True)
    on = serializers.DateField(read_only=True)
    reason = serializers.CharField(read_only=True)
    by = UserSummarySerializer(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    activity = ActivitySummarySerializer(read_only=True)
    referral_status = serializers.ChoiceField(source="status", choices=ReferralStatus.choices, read_only=True)
    status_on = serializers.DateField(read_only=True, help_text="Since when the referral has its status.")
    voluntary = serializers.BooleanField(
        read_only=True,
        help_text="False only for a tegenprestatie the client was required to do when referred (enforced, imposed, "
        "no exemption).",
    )
    proposed_on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    created_by = UserSummarySerializer(read_only=True)
    events = ReferralEventSerializer(many=True, read_only=True)


class ReferralProposeSerializer(serializers.Serializer):
    activity = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of an offered activity of the catalogue (see /activities/)."
    )
    on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    waiting_list = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Without a free place the referral is refused (400 naming `waiting_list`) unless this is true: "
        "then the client goes onto the activity's waiting list (status `waiting`).",
    )

    def validate_activity(self, value) -> Activity:
        found = Activity.objects.filter(pk=value, status=ActivityStatus.OFFERED).first()
        if found is None:  # a draft or closed activity answers like an unknown one
            raise serializers.ValidationError(_("Deze activiteit wordt nu niet aangeboden."))
        return found

    def validate(self, attrs):
        attrs.setdefault("on", timezone.localdate())
        return attrs


class ReferralMoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=MOVE_TARGETS,
        help_text="The next status. Allowed steps: waiting → proposed (when a place is free), declined, withdrawn; "
        "proposed → accepted, declined, withdrawn; accepted → started, declined, withdrawn; started → active, ended; "
        "active → ended. Starting records the participation; ending ends it.",
    )
    on = serializers.DateField(
        required=False, help_text="Default: today (not in the future, not before the last step)."
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text=REASON_HELP)

    def validate(self, attrs):
        """A reason where the step needs one, named as `reason` whatever the caller's language."""
        attrs.setdefault("on", timezone.localdate())
        if attrs["to"] in REASON_REQUIRED and not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [_("Schrijf de reden op.")]})
        return attrs


class ProviderReferralMoveSerializer(ReferralMoveSerializer):
    to = serializers.ChoiceField(
        choices=PROVIDER_MOVE_TARGETS,
        error_messages={
            "invalid_choice": gettext_lazy("Een aanbieder kan alleen de start, de deelname of het stoppen doorgeven.")
        },
        help_text="What the provider confirms: accepted → started, declined; started → active, ended; active → "
        "ended. Proposing, accepting and withdrawing are the caseworker's.",
    )


class ReferralClientSerializer(serializers.Serializer):
    """Of the client, a provider gets only what it needs to get in touch: no BSN, no birth date, no address."""

    full_name = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)


class ProviderActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    hours_per_week = serializers.IntegerField(read_only=True)


class ProviderReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    client = ReferralClientSerializer(read_only=True)
    activity = ProviderActivitySerializer(read_only=True)
    referral_status = serializers.ChoiceField(source="status", choices=ReferralStatus.choices, read_only=True)
    status_on = serializers.DateField(read_only=True)
    proposed_on = serializers.DateField(read_only=True)


class ProviderReferralQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(value, ReferralStatus(value).label) for value in PROVIDER_STATUS_FILTER],
        required=False,
        help_text="Only referrals with this status.",
    )


class ParticipationSerializer(serializers.Serializer):
    """What the client does, from when to when. Recorded on the client's word when it comes from the client."""

    id = serializers.IntegerField(read_only=True)
    participation_kind = serializers.ChoiceField(source="kind", choices=ParticipationKind.choices)
    description = serializers.CharField(max_length=200)
    hours_per_week = serializers.IntegerField(min_value=0, max_value=80)
    start_on = serializers.DateField(help_text="Not in the future.")
    counts_as_tegenprestatie = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only volunteer work, informal care or a tegenprestatie can count as a tegenprestatie.",
    )
    end_on = serializers.DateField(read_only=True, allow_null=True)
    source = serializers.ChoiceField(
        choices=ParticipationSource.choices,
        read_only=True,
        help_text="`client`: found by the client and recorded on their word (no proof asked); `referral`: started "
        "from a referral.",
    )
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True)
    follow_up_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The next follow-up contact (null once stopped)."
    )
    end_reason = serializers.CharField(read_only=True)
    next_step = serializers.ChoiceField(choices=NextStep.choices, read_only=True, allow_blank=True)
    next_step_note = serializers.CharField(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)


class ParticipationFollowUpSerializer(serializers.Serializer):
    contact_on = serializers.DateField(help_text="The day of the contact (not in the future).")
    channel = serializers.ChoiceField(choices=Channel.choices)
    summary = serializers.CharField()


class ParticipationEndSerializer(serializers.Serializer):
    end_on = serializers.DateField(help_text="Not in the future, not before the start.")
    reason = serializers.CharField(max_length=500, allow_blank=True, help_text="Why the client stops (required).")
    next_step = serializers.ChoiceField(
        choices=NextStep.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Left empty, the client is flagged as stopped without a next step until one is recorded.",
    )
    next_step_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ParticipationNextStepSerializer(serializers.Serializer):
    next_step = serializers.ChoiceField(choices=NextStep.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TegenprestatieSerializer(serializers.Serializer):
    on = serializers.DateField(read_only=True)
    policy = serializers.ChoiceField(
        choices=[(p, p) for p in TEGENPRESTATIE_POLICIES],
        read_only=True,
        help_text="The municipality's policy in the local rule set valid that day (art. 8a Participatiewet).",
    )
    tegenprestatie_status = serializers.ChoiceField(
        choices=[(code, code) for code in TEGENPRESTATIE_STATUS_TEXT],
        read_only=True,
        help_text="`not_enforced` / `voluntary`: the policy asks nothing; `not_imposed`: not imposed on this client; "
        "`lifted`: imposed but an exemption is in force; `met`: imposed and the client does one; `open`: imposed "
        "and not yet done.",
    )
    text = serializers.CharField(read_only=True, help_text="The status in words, in the caller's language.")
