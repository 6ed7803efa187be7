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
from django.utils import timezone, translation
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
from trede.activation.models import Referral as ActivityReferral
from trede.activation.rules import PROVIDER_MAY, REASON_REQUIRED, TEGENPRESTATIE_POLICIES, TEGENPRESTATIE_STATUS_TEXT
from trede.activation.selectors import PROVIDER_STATUS_FILTER, free_places
from trede.api.permissions import MAX_ID
from trede.caseload.models import Channel, Responsible
from trede.caseload.selectors import team_caseworkers, team_of
from trede.clients.models import (
    BenefitNorm,
    District,
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
from trede.employers import rules as employer_rules
from trede.employers.models import (
    ContactPerson,
    ContractType,
    Employer,
    MatchStatus,
    Placement,
    PlacementKind,
    PlacementOutcome,
    PsoLevel,
    Sector,
    Vacancy,
    VacancyStatus,
)
from trede.employers.models import Referral as JobReferral
from trede.employers.models import ReferralStatus as JobReferralStatus
from trede.intake.models import DecisionStatus, Route
from trede.intake.rules import ASKED, DERIVED, effect_text
from trede.obligations.models import ExemptionGround, ObligationKind
from trede.outreach.models import Appointment, Letter
from trede.sanctions import rules as sanction_rules
from trede.sanctions.models import AppealOutcome, CaseStatus, ObjectionOutcome
from trede.sanctions.models import DecisionStatus as SanctionDecisionStatus
from trede.stats import matching, occupations
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


# --------------------------------------------------------------------------------------------------
# Employer services: employers, contact persons, vacancies, matching, referrals to a vacancy, placements, the exit
# to work with its follow-ups, and the client's work profile (trede.employers)
#
# One choice set, one name: `sector`, `pso_level`, `contract_type`, `vacancy_status`, `match_status`,
# `job_referral_status`, `placement_kind`, `outcome`. A vacancy's education, Dutch level and physical load take the
# names these choice sets already have in the schema (`education`, `dutch_level`, `physical_load`). The services name
# their errors after the model's fields; where the API's name differs (a `status`), the view renames the error so that
# a 400 always names the field the caller sent.

COMPONENT_CHOICES = [(k, k) for k in matching.COMPONENTS]
BLOCK_CHOICES = [(code, code) for code in matching.BLOCK_CODES.values()]
MISSING_CHOICES = [(key, key) for key in employer_rules.REQUIRED]
# a move to a trial placement is recorded with the placement (POST …/placements/ with the referral), which states
# the agreement; nothing moves back to `proposed`
JOB_MOVE_TARGETS = [
    (value, label)
    for value, label in JobReferralStatus.choices
    if value not in (JobReferralStatus.PROPOSED, JobReferralStatus.TRIAL_PLACEMENT)
]


def occupation_name(code: str) -> str:
    """The ISCO-08 group's name in the caller's language ("" for no code)."""
    if not code:
        return ""
    lang = "en" if (translation.get_language() or "nl").startswith("en") else "nl"
    try:
        return occupations.name_of(code, lang)
    except (KeyError, ValueError):
        return code


class ContactPersonSerializer(serializers.Serializer):
    """A contact person at an employer: reachable by phone or e-mail (at least one)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="Job title.")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)


class EmployerSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class EmployerFieldsSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kvk_number = serializers.CharField(read_only=True, help_text="Chamber of Commerce number (8 digits), if known.")
    sector = serializers.ChoiceField(choices=Sector.choices, read_only=True, help_text="SBI 2008 section.")
    adviser = UserSummarySerializer(read_only=True, help_text="The employer's fixed employer adviser.")
    address = serializers.CharField(read_only=True)
    district = DistrictSerializer(read_only=True, allow_null=True)
    social_return = serializers.BooleanField(read_only=True, help_text="Agreements on social return.")
    pso_level = serializers.ChoiceField(
        choices=PsoLevel.choices,
        read_only=True,
        allow_blank=True,
        help_text="Level on the Prestatieladder Socialer Ondernemen; empty: none.",
    )
    agreements = serializers.CharField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class EmployerSerializer(EmployerFieldsSerializer):
    """An employer as the list shows it (trede.employers.selectors.employers)."""

    open_vacancies = serializers.IntegerField(source="n_open", read_only=True)
    placements = serializers.IntegerField(source="n_placements", read_only=True)


class EmployerVacancySerializer(serializers.Serializer):
    """One of an employer's vacancies, with how many clients were referred to it and hired."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    vacancy_status = serializers.ChoiceField(source="status", choices=VacancyStatus.choices, read_only=True)
    start_on = serializers.DateField(read_only=True, allow_null=True)
    referred = serializers.IntegerField(source="n_referred", read_only=True)
    hired = serializers.IntegerField(source="n_hired", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DurabilityRowSerializer(serializers.Serializer):
    """Exits to work of one group and how long they lasted, measured on the benefit data. Null: suppressed (fewer
    exits than the small-group limit, or fewer than that long enough ago)."""

    group = serializers.CharField(
        source="label",
        read_only=True,
        help_text="The employer's name; the placement's kind (`trial`, `wage_subsidy`, `climbing`, `regular`); or "
        "the route in force (`work`, ...); `none`: without a placement or route.",
    )
    exits = serializers.IntegerField(read_only=True, allow_null=True)
    eligible_6 = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Exits at least 183 days ago (the ones that count for 6 months)."
    )
    lasted_6 = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Of those, no new benefit period within 183 days."
    )
    pct_6 = serializers.IntegerField(read_only=True, allow_null=True)
    eligible_12 = serializers.IntegerField(read_only=True, allow_null=True, help_text="Exits at least 365 days ago.")
    lasted_12 = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Of those, no new benefit period within 365 days."
    )
    pct_12 = serializers.IntegerField(read_only=True, allow_null=True)
    returned = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Came back on benefit after the exit (the revolving door)."
    )


class EmployerDetailSerializer(EmployerFieldsSerializer):
    contacts = ContactPersonSerializer(many=True, read_only=True)
    vacancies = EmployerVacancySerializer(many=True, read_only=True, help_text="Newest first, in every status.")
    durability = DurabilityRowSerializer(
        many=True, read_only=True, help_text="Whether people placed here stay at work, per instrument."
    )


class EmployerWriteSerializer(serializers.Serializer):
    """Registering or changing an employer (PATCH: only the fields sent)."""

    name = serializers.CharField(max_length=200)
    kvk_number = serializers.CharField(
        max_length=8, required=False, allow_blank=True, help_text="Chamber of Commerce number: 8 digits."
    )
    sector = serializers.ChoiceField(choices=Sector.choices, help_text="SBI 2008 section.")
    adviser = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text="Id of the fixed adviser, a user with the role employer_adviser. Default for an employer adviser: "
        "the caller.",
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    district = serializers.CharField(
        max_length=16, required=False, allow_blank=True, allow_null=True, help_text="Code of the district, or null."
    )
    social_return = serializers.BooleanField(required=False)
    pso_level = serializers.ChoiceField(choices=PsoLevel.choices, required=False, allow_blank=True)
    agreements = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)

    def validate_district(self, value) -> District | None:
        return district_by_code(value)

    def validate_kvk_number(self, value: str) -> str:
        """The database allows a KvK number once; say so on the field rather than as a broken constraint."""
        value = value.strip()
        employer = self.context.get("employer")
        taken = Employer.objects.filter(kvk_number=value).exclude(pk=getattr(employer, "pk", None))
        if value and taken.exists():
            raise serializers.ValidationError(_("Er staat al een werkgever met dit KvK-nummer in trede."))
        return value


def district_by_code(value) -> District | None:
    if not value:
        return None
    found = District.objects.filter(code=value).first()
    if found is None:
        raise serializers.ValidationError(_("Onbekende wijk: %(value)s.") % {"value": value})
    return found


class MissingItemSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=MISSING_CHOICES, read_only=True)
    text = serializers.CharField(read_only=True, help_text="What is missing, in the caller's language.")


class VacancySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    employer = EmployerSummarySerializer(read_only=True)
    vacancy_status = serializers.ChoiceField(source="status", choices=VacancyStatus.choices, read_only=True)


class VacancySerializer(serializers.Serializer):
    """A vacancy. It is open (shown to caseworkers) only when complete: `missing` lists what it still lacks."""

    id = serializers.IntegerField(read_only=True)
    employer = EmployerSummarySerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    occupation = serializers.CharField(read_only=True, help_text="ISCO-08 code.")
    occupation_name = serializers.SerializerMethodField()
    tasks = serializers.CharField(read_only=True)
    wage_min = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, allow_null=True, help_text="Gross hourly wage from (EUR)."
    )
    wage_max = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, allow_null=True, help_text="Gross hourly wage up to (EUR)."
    )
    wage_scale = serializers.CharField(read_only=True, help_text="Wage scale of the collective agreement.")
    hours_per_week = serializers.IntegerField(read_only=True, allow_null=True)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, read_only=True, allow_blank=True)
    contract_months = serializers.IntegerField(read_only=True, allow_null=True)
    education = serializers.ChoiceField(choices=Education.choices, read_only=True, allow_blank=True)
    dutch_level = serializers.ChoiceField(
        source="language_level", choices=LanguageLevel.choices, read_only=True, allow_blank=True
    )
    language_required = serializers.BooleanField(read_only=True, help_text="The Dutch level is a hard requirement.")
    physical_load = serializers.ChoiceField(choices=PhysicalLoad.choices, read_only=True, allow_blank=True)
    driving_licence = serializers.BooleanField(read_only=True)
    location = serializers.CharField(read_only=True)
    district = DistrictSerializer(read_only=True, allow_null=True)
    start_on = serializers.DateField(read_only=True, allow_null=True)
    contact = ContactPersonSerializer(read_only=True, allow_null=True)
    positions = serializers.IntegerField(read_only=True)
    offers_trial_placement = serializers.BooleanField(read_only=True)
    offers_wage_subsidy = serializers.BooleanField(read_only=True)
    offers_job_coach = serializers.BooleanField(read_only=True)
    offers_training = serializers.BooleanField(read_only=True)
    vacancy_status = serializers.ChoiceField(source="status", choices=VacancyStatus.choices, read_only=True)
    missing = serializers.SerializerMethodField(
        help_text="What the vacancy still lacks before it can open (trede.employers.rules.vacancy_missing)."
    )
    referred = serializers.IntegerField(source="n_referred", read_only=True, help_text="Clients referred to it.")
    created_at = serializers.DateTimeField(read_only=True)

    def get_occupation_name(self, vacancy) -> str:
        return occupation_name(vacancy.occupation)

    @extend_schema_field(MissingItemSerializer(many=True))
    def get_missing(self, vacancy) -> list[dict]:
        return [{"item": key, "text": str(employer_rules.REQUIRED[key])} for key in vacancy_missing(vacancy)]


def vacancy_missing(vacancy) -> list[str]:
    facts = {key: getattr(vacancy, key) for key in employer_rules.REQUIRED if key not in ("wage", "contact")}
    return employer_rules.vacancy_missing(
        facts | {"wage_min": vacancy.wage_min, "wage_scale": vacancy.wage_scale, "contact": vacancy.contact_id}
    )


class VacancyWriteSerializer(serializers.Serializer):
    """Adding or changing a vacancy (PATCH: only the fields sent). `vacancy_status: open` publishes it to
    caseworkers, which is refused (400 naming `vacancy_status`, listing every missing item) while it lacks the wage,
    hours, contract (and its length unless permanent), tasks, occupation, education, physical load, location, start
    date or contact person; nothing is saved then."""

    title = serializers.CharField(max_length=200)
    occupation = serializers.CharField(
        max_length=4, required=False, allow_blank=True, help_text="ISCO-08 code, e.g. 9112 (cleaners)."
    )
    tasks = serializers.CharField(required=False, allow_blank=True)
    wage_min = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True, help_text="Gross EUR per hour."
    )
    wage_max = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True, help_text="Gross EUR per hour."
    )
    wage_scale = serializers.CharField(max_length=100, required=False, allow_blank=True)
    hours_per_week = serializers.IntegerField(min_value=1, max_value=80, required=False, allow_null=True)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False, allow_blank=True)
    contract_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True, help_text="Ignored for a permanent contract."
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    dutch_level = serializers.ChoiceField(
        source="language_level", choices=LanguageLevel.choices, required=False, allow_blank=True
    )
    language_required = serializers.BooleanField(required=False)
    physical_load = serializers.ChoiceField(choices=PhysicalLoad.choices, required=False, allow_blank=True)
    driving_licence = serializers.BooleanField(required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    district = serializers.CharField(
        max_length=16, required=False, allow_blank=True, allow_null=True, help_text="Code of the district, or null."
    )
    start_on = serializers.DateField(required=False, allow_null=True)
    contact = serializers.PrimaryKeyRelatedField(
        queryset=ContactPerson.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of one of the employer's contact persons.",
    )
    positions = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    offers_trial_placement = serializers.BooleanField(required=False)
    offers_wage_subsidy = serializers.BooleanField(required=False)
    offers_job_coach = serializers.BooleanField(required=False)
    offers_training = serializers.BooleanField(required=False)
    vacancy_status = serializers.ChoiceField(
        source="status",
        choices=VacancyStatus.choices,
        required=False,
        help_text="Default for a new vacancy: `draft`. `open` only when complete.",
    )

    def validate_occupation(self, value: str) -> str:
        value = value.strip()
        if value and (not occupations.is_well_formed(value) or occupations.get(value) is None):
            raise serializers.ValidationError(_("Onbekend beroep: %(code)s.") % {"code": value})
        return value

    def validate_district(self, value) -> District | None:
        return district_by_code(value)

    def validate(self, attrs):
        """The wage band on the field, also when a PATCH sends one end of it."""
        current = self.context.get("vacancy")
        low = attrs["wage_min"] if "wage_min" in attrs else getattr(current, "wage_min", None)
        high = attrs["wage_max"] if "wage_max" in attrs else getattr(current, "wage_max", None)
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"wage_max": [_("Het loon tot ligt onder het loon vanaf.")]})
        return attrs


class VacancyListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=VacancyStatus.choices,
        required=False,
        default=VacancyStatus.OPEN,
        help_text="Default `open`. Caseworkers see open vacancies only (another status: 403).",
    )
    district = serializers.CharField(required=False, help_text="Only vacancies in the district with this code.")
    q = serializers.CharField(required=False, help_text="Text in the title, the tasks or the employer's name.")


class EmployerListQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only the employers of whom the caller is the fixed adviser."
    )
    q = serializers.CharField(required=False, help_text="Part of the name, or the KvK number.")


class DurabilityQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=[("employer", "employer"), ("instrument", "instrument"), ("route", "route")],
        required=False,
        default="instrument",
        help_text="Group by employer, instrument (the placement's kind) or route (the route in force).",
    )


class DurabilitySerializer(serializers.Serializer):
    on = serializers.DateField(read_only=True)
    small_group = serializers.IntegerField(
        read_only=True, help_text="Groups with fewer exits than this are suppressed (their figures are null)."
    )
    rows = DurabilityRowSerializer(many=True, read_only=True)


# -- matching: the score, its parts and the explanation (trede.stats.matching)


class ScorePartSerializer(serializers.Serializer):
    component = serializers.ChoiceField(choices=COMPONENT_CHOICES, read_only=True)
    label = serializers.CharField(read_only=True, help_text="The component's name in the caller's language.")
    value = serializers.FloatField(read_only=True, help_text="The component, from 0 to 1.")
    weight = serializers.FloatField(read_only=True)
    contribution = serializers.FloatField(read_only=True, help_text="weight × value; they add up to the score.")


class WhySerializer(serializers.Serializer):
    component = serializers.ChoiceField(choices=COMPONENT_CHOICES, read_only=True)
    text = serializers.CharField(read_only=True)


class WhyNotSerializer(serializers.Serializer):
    block = serializers.ChoiceField(
        choices=BLOCK_CHOICES,
        read_only=True,
        help_text="A hard constraint; it is never overridden by a high score.",
    )
    text = serializers.CharField(read_only=True)


class UnknownFactSerializer(serializers.Serializer):
    fact = serializers.CharField(read_only=True, help_text="Code of a fact that was not known, e.g. hours_unknown.")
    text = serializers.CharField(read_only=True, help_text="What to check, in the caller's language.")


class ExplanationFields(serializers.Serializer):
    score = serializers.FloatField(read_only=True, help_text="From 0 to 1; it ranks, it decides nothing.")
    blocked = serializers.BooleanField(
        read_only=True, help_text="A hard constraint blocks the match (see why_not); listed after every unblocked one."
    )
    parts = ScorePartSerializer(many=True, read_only=True)
    why = WhySerializer(many=True, read_only=True, help_text="Per component, why it fits (or not) in words.")
    why_not = WhyNotSerializer(many=True, read_only=True)
    unknown = UnknownFactSerializer(many=True, read_only=True, help_text="Facts that were not known: check them.")


def explanation_data(row) -> dict:
    """The explanation of one row of employers.matching (a Row) as ExplanationFields take it."""
    exp = row.explanation
    return {
        "score": row.score,
        "blocked": row.blocked,
        "parts": [
            {
                "component": key,
                "label": label,
                "value": value,
                "weight": exp.weights[key],
                "contribution": contribution,
            }
            for key, (label, value, contribution) in zip(matching.COMPONENTS, row.parts, strict=True)
        ],
        "why": [{"component": code, "text": text} for code, text in exp.why],
        "why_not": [{"block": code, "text": text} for code, text in exp.why_not],
        "unknown": [{"fact": code, "text": text} for code, text in exp.unknown],
    }


class ShortlistClientSerializer(serializers.Serializer):
    """No more of a client than an adviser needs: the id and the first name with the surname's initial."""

    id = serializers.IntegerField(read_only=True)
    short_name = serializers.CharField(read_only=True, help_text='First name and initial, e.g. "Fatima J.".')


class ShortlistRowSerializer(ExplanationFields):
    client = ShortlistClientSerializer(read_only=True)
    caseworker = UserSummarySerializer(
        read_only=True, allow_null=True, help_text="The client's caseworker, who proposes the client."
    )


class BlockCountSerializer(serializers.Serializer):
    block = serializers.ChoiceField(choices=BLOCK_CHOICES, read_only=True)
    count = serializers.IntegerField(read_only=True, help_text="Candidates it blocks (one may have several).")


class ShortlistSerializer(serializers.Serializer):
    vacancy = VacancySummarySerializer(read_only=True)
    on = serializers.DateField(read_only=True)
    considered = serializers.IntegerField(
        read_only=True, help_text="Clients on benefit and on the route to work that were looked at."
    )
    eligible = serializers.IntegerField(read_only=True, help_text="Of which no hard constraint blocks.")
    blocked_by = BlockCountSerializer(many=True, read_only=True)
    results = ShortlistRowSerializer(
        many=True,
        read_only=True,
        help_text="The best candidates, then the best blocked ones with why not; each is written to the access log "
        "(purpose `matching`).",
    )


class ShortlistQuerySerializer(serializers.Serializer):
    top = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=100, help_text="How many unblocked candidates."
    )
    blocked = serializers.IntegerField(
        required=False, default=5, min_value=0, max_value=50, help_text="How many blocked candidates after them."
    )


class ClientVacancySerializer(ExplanationFields):
    """An open vacancy for the client, with its score and explanation, and what was done with the match so far."""

    vacancy = VacancySummarySerializer(read_only=True)
    referable = serializers.BooleanField(
        read_only=True,
        help_text="No hard constraint stops a referral (…/job-referrals/). Not being on the route to work blocks the "
        "match in the ranking but does not stop a referral the caseworker chooses; every other block does.",
    )
    match_status = serializers.ChoiceField(
        choices=MatchStatus.choices,
        read_only=True,
        allow_null=True,
        help_text="What was recorded for this match (see …/matches/); null: nothing yet.",
    )


# -- the dossier: matches, referrals to a vacancy, placements, exits and follow-ups, the work profile


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    vacancy = VacancySummarySerializer(read_only=True)
    match_status = serializers.ChoiceField(source="status", choices=MatchStatus.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True, allow_null=True, help_text="The score as it was when recorded.")
    components = serializers.DictField(
        child=serializers.FloatField(), read_only=True, help_text="The score's components as they were."
    )
    on = serializers.DateField(read_only=True)
    by = UserSummarySerializer(read_only=True)


def open_vacancy(value: Vacancy) -> Vacancy:
    if value.status != VacancyStatus.OPEN:
        raise serializers.ValidationError(_("Deze vacature is niet open."))
    return value


class MatchRecordSerializer(serializers.Serializer):
    vacancy = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.select_related("employer", "district"), help_text="Id of an open vacancy."
    )
    match_status = serializers.ChoiceField(
        source="status",
        choices=MatchStatus.choices,
        help_text="`proposed` is refused (400 naming `match_status`) when a hard constraint blocks the client.",
    )
    on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Required when declined."
    )

    def validate_vacancy(self, value: Vacancy) -> Vacancy:
        return open_vacancy(value)

    def validate(self, attrs):
        attrs.setdefault("on", timezone.localdate())
        return attrs


class JobReferralEventSerializer(serializers.Serializer):
    job_referral_status = serializers.ChoiceField(source="to_status", choices=JobReferralStatus.choices, read_only=True)
    on = serializers.DateField(read_only=True)
    reason = serializers.CharField(read_only=True)
    by = UserSummarySerializer(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class JobReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    vacancy = VacancySummarySerializer(read_only=True)
    job_referral_status = serializers.ChoiceField(source="status", choices=JobReferralStatus.choices, read_only=True)
    status_on = serializers.DateField(read_only=True, help_text="Since when the referral has its status.")
    created_by = UserSummarySerializer(read_only=True)
    events = JobReferralEventSerializer(many=True, read_only=True, help_text="Every step, oldest first.")


class JobReferralCreateSerializer(serializers.Serializer):
    vacancy = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.select_related("employer", "district"),
        help_text="Id of an open vacancy. Refused (400 naming `vacancy`) when a hard constraint blocks the client.",
    )
    on = serializers.DateField(required=False, help_text="Default: today (not in the future).")

    def validate(self, attrs):
        attrs.setdefault("on", timezone.localdate())
        return attrs


class JobReferralMoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=JOB_MOVE_TARGETS,
        help_text="The next status (trede.employers.rules.TRANSITIONS): proposed → sent, withdrawn; sent → interview, "
        "not_hired, withdrawn; interview → hired, not_hired, withdrawn; trial_placement → hired, not_hired. A trial "
        "placement is recorded as a placement (POST …/placements/ with `referral`), which moves the referral.",
    )
    on = serializers.DateField(
        required=False, help_text="Default: today (not in the future, not before the last step)."
    )
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Required for not_hired and withdrawn."
    )

    def validate(self, attrs):
        attrs.setdefault("on", timezone.localdate())
        return attrs


class ClientScopedField(serializers.PrimaryKeyRelatedField):
    """A record of the dossier's own client only (another client's id answers like an unknown one)."""

    def __init__(self, queryset, **kwargs):
        self.scoped = queryset
        super().__init__(queryset=queryset, **kwargs)

    def get_queryset(self):
        client_id = getattr(self.context.get("view"), "client_id", None)
        return self.scoped.filter(client_id=client_id) if client_id is not None else self.scoped.none()


class PlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    placement_kind = serializers.ChoiceField(source="kind", choices=PlacementKind.choices, read_only=True)
    employer = EmployerSummarySerializer(read_only=True)
    vacancy = VacancySummarySerializer(read_only=True, allow_null=True)
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True)
    start_on = serializers.DateField(read_only=True)
    end_on = serializers.DateField(read_only=True, allow_null=True)
    extended_until = serializers.DateField(read_only=True, allow_null=True, help_text="A trial placement extended.")
    hours_per_week = serializers.IntegerField(read_only=True)
    intended_contract = serializers.CharField(read_only=True, help_text="A trial placement: the contract afterwards.")
    wage_value_pct = serializers.IntegerField(read_only=True, allow_null=True, help_text="Assessed wage value (%).")
    wage_value_assessed_on = serializers.DateField(read_only=True, allow_null=True)
    wage_value_review_on = serializers.DateField(read_only=True, allow_null=True)
    subsidy_monthly = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Wage subsidy per month (EUR), computed from the rule set valid on the start date (art. 10d).",
    )
    promised_training = serializers.CharField(read_only=True, help_text="A climbing job: the promised training.")
    training_due_on = serializers.DateField(read_only=True, allow_null=True)
    training_started_on = serializers.DateField(read_only=True, allow_null=True)
    training_missed = serializers.SerializerMethodField(
        help_text="A climbing job whose promised training has not started by its date (today)."
    )
    outcome = serializers.ChoiceField(choices=PlacementOutcome.choices, read_only=True, allow_blank=True)
    outcome_reason = serializers.CharField(read_only=True)
    created_by = UserSummarySerializer(read_only=True)

    def get_training_missed(self, placement) -> bool:
        return employer_rules.training_missed(
            training_due_on=placement.training_due_on,
            training_started_on=placement.training_started_on,
            on=timezone.localdate(),
        )


class PlacementStartSerializer(serializers.Serializer):
    """A placement within the rules valid on its start date: a trial placement (`trial`) needs `end_on` within the
    legal term and `intended_contract`; a wage subsidy (`wage_subsidy`) the assessed wage value with its dates (or
    none: 50% for at most 6 months); a climbing job (`climbing`) the promised training and its date."""

    placement_kind = serializers.ChoiceField(source="kind", choices=PlacementKind.choices)
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.filter(active=True),
        required=False,
        help_text="Id of an active employer. Default with a referral: the vacancy's employer.",
    )
    referral = ClientScopedField(
        queryset=JobReferral.objects.select_related("vacancy__employer"),
        required=False,
        allow_null=True,
        help_text="Id of the client's referral to a vacancy; a trial placement moves it to trial_placement.",
    )
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True, help_text="Required for a trial placement.")
    hours_per_week = serializers.IntegerField(min_value=1, max_value=60)
    intended_contract = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    wage_value_pct = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    wage_value_assessed_on = serializers.DateField(required=False, allow_null=True)
    wage_value_review_on = serializers.DateField(required=False, allow_null=True)
    promised_training = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    training_due_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        referral = attrs.get("referral")
        if attrs.get("employer") is None:
            if referral is None:
                raise serializers.ValidationError({"employer": [self.fields["employer"].error_messages["required"]]})
            attrs["employer"] = referral.vacancy.employer
        attrs["vacancy"] = referral.vacancy if referral is not None else None
        return attrs


class PlacementExtendSerializer(serializers.Serializer):
    extended_until = serializers.DateField(help_text="At most the legal extension (4 months) after the term.")


class PlacementTrainingStartedSerializer(serializers.Serializer):
    started_on = serializers.DateField(help_text="Not in the future.")


class PlacementEndSerializer(serializers.Serializer):
    end_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=PlacementOutcome.choices)
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Required without a contract."
    )


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    months = serializers.IntegerField(read_only=True, help_text="Months after the exit.")
    due_on = serializers.DateField(read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    still_working = serializers.BooleanField(read_only=True, allow_null=True)
    off_benefit = serializers.BooleanField(read_only=True, allow_null=True)
    needs_job_coach = serializers.BooleanField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    done_by = UserSummarySerializer(read_only=True, allow_null=True)


class ExitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    exit_on = serializers.DateField(read_only=True, help_text="The day the benefit ended (reason: work).")
    employer = EmployerSummarySerializer(read_only=True, allow_null=True)
    employer_name = serializers.CharField(read_only=True, help_text="An employer not in trede.")
    placement = serializers.IntegerField(source="placement_id", read_only=True, allow_null=True)
    hours_per_week = serializers.IntegerField(read_only=True)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, read_only=True)
    contract_months = serializers.IntegerField(read_only=True, allow_null=True)
    hourly_wage = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True, help_text="Planned at 1, 6 and 12 months.")


class ExitRegisterSerializer(serializers.Serializer):
    exit_on = serializers.DateField(help_text="The running benefit period ends on this day (reason: work).")
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="Id of the employer; or give `employer_name`.",
    )
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    placement = ClientScopedField(
        queryset=Placement.objects.all(), required=False, allow_null=True, help_text="Id of the client's placement."
    )
    hours_per_week = serializers.IntegerField(min_value=1, max_value=60)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    contract_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True, help_text="Required unless permanent."
    )
    hourly_wage = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, help_text="Gross EUR per hour, at least the minimum wage."
    )


class FollowUpRecordSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    still_working = serializers.BooleanField()
    off_benefit = serializers.BooleanField()
    needs_job_coach = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs.setdefault("done_on", timezone.localdate())
        return attrs


class OccupationSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="ISCO-08 code.")
    name = serializers.CharField(read_only=True, help_text="In the caller's language.")


class ExperienceSerializer(OccupationSerializer):
    years = serializers.IntegerField(read_only=True)


class WorkProfileSerializer(serializers.Serializer):
    """What the client has done and wants in work, as recorded on a day; the newest is the one matching uses."""

    id = serializers.IntegerField(read_only=True)
    recorded_on = serializers.DateField(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    experience = serializers.SerializerMethodField()
    preferences = serializers.SerializerMethodField()
    hours_wanted = serializers.IntegerField(read_only=True, allow_null=True)
    driving_licence = serializers.BooleanField(read_only=True)
    note = serializers.CharField(read_only=True)

    @extend_schema_field(ExperienceSerializer(many=True))
    def get_experience(self, profile) -> list[dict]:
        return [
            {"code": item["code"], "name": occupation_name(item["code"]), "years": item["years"]}
            for item in profile.experience
        ]

    @extend_schema_field(OccupationSerializer(many=True))
    def get_preferences(self, profile) -> list[dict]:
        return [{"code": code, "name": occupation_name(code)} for code in profile.preferences]


class ExperienceInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=4, help_text="ISCO-08 code of the occupation.")
    years = serializers.IntegerField(min_value=0, max_value=60)


class WorkProfileRecordSerializer(serializers.Serializer):
    recorded_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    experience = ExperienceInputSerializer(many=True, required=False, default=list)
    preferences = serializers.ListField(
        child=serializers.CharField(max_length=4), required=False, default=list, help_text="ISCO-08 codes."
    )
    hours_wanted = serializers.IntegerField(min_value=1, max_value=60, required=False, allow_null=True, default=None)
    driving_licence = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs.setdefault("recorded_on", timezone.localdate())
        attrs["experience"] = [{"code": e["code"], "years": e["years"]} for e in attrs["experience"]]
        return attrs


# --------------------------------------------------------------------------------------------------
# Sanctions (trede.sanctions): a case from the breach and its prechecks through the hearing, the culpability
# assessment, the decision (a second person approves), the objection and the appeal
#
# One choice set, one name: `category`, `case_status`, `finding`, `decision_status`, `objection_outcome`,
# `appeal_outcome`, `check`, `deadline`, `next_step` (a sanction case's). The services name their errors after their
# own arguments; where the API's name differs the view renames the error (see trede.api.views.named_as).

SANCTION_CHECKS = [(code, code) for code in sanction_rules.CHECK_TEXT]
SANCTION_DEADLINES = [
    ("hearing", "hearing"),
    ("objection_term", "objection_term"),
    ("objection_decision", "objection_decision"),
    ("reconsideration", "reconsideration"),
]
SANCTION_STEPS = [
    (step, step)
    for step in (
        "hearing_schedule",
        "hearing_record",
        "assessment_record",
        "decision_propose",
        "decision_approve",
        "decision_send",
        "decision_reconsider",
        "decision_revise",
        "objection_register",
        "objection_decide",
        "objection_extend",
        "appeal_register",
        "appeal_decide",
    )
]


class SanctionCheckSerializer(serializers.Serializer):
    check = serializers.ChoiceField(
        choices=SANCTION_CHECKS,
        read_only=True,
        help_text="`exempt`, `not_in_force`, `no_letter` block a case; the others are weighed at the hearing.",
    )
    text = serializers.CharField(read_only=True, help_text="In plain Dutch, as kept with the case when it was opened.")


class SanctionChecksSerializer(serializers.Serializer):
    """What trede checked when the case was opened (trede.sanctions.rules.prechecks), kept with the case."""

    may_proceed = serializers.BooleanField(read_only=True)
    blocks = SanctionCheckSerializer(many=True, read_only=True, help_text="Why the case may not proceed.")
    weigh = SanctionCheckSerializer(many=True, read_only=True, help_text="What to weigh at the hearing.")
    article = serializers.CharField(read_only=True, help_text="The legal basis of the breach.")
    facts = serializers.DictField(
        child=serializers.BooleanField(),
        read_only=True,
        help_text="The facts on the breach date: obligation_in_force, exempt (the one exemption function of "
        "trede.obligations), communicated_in_writing, health_limitation, care_duty, urgent_reasons.",
    )


def sanction_checks(stored: dict) -> dict:
    """The checks as stored with the case ({"blocks": [[code, text], ...], ...}) in the API's shape."""
    return {
        "may_proceed": bool(stored.get("may_proceed")),
        "blocks": [{"check": code, "text": text} for code, text in stored.get("blocks", [])],
        "weigh": [{"check": code, "text": text} for code, text in stored.get("weigh", [])],
        "article": stored.get("article", ""),
        "facts": stored.get("facts", {}),
    }


class SanctionHearingSerializer(serializers.Serializer):
    invited_on = serializers.DateField(read_only=True)
    respond_by = serializers.DateField(read_only=True, help_text="The last day for the client's view (Awb 4:8).")
    held_on = serializers.DateField(read_only=True, allow_null=True)
    responded = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Null: not recorded yet; false: no response within the term."
    )
    statement = serializers.CharField(read_only=True, help_text="The client's view (zienswijze).")
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)


class SanctionAssessmentSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(choices=sanction_rules.FINDING_CHOICES, read_only=True)
    reasoning = serializers.CharField(read_only=True)
    assessed_on = serializers.DateField(read_only=True)
    assessed_by = UserSummarySerializer(read_only=True)


class SanctionAppealSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    lodged_on = serializers.DateField(read_only=True)
    court = serializers.CharField(read_only=True)
    appeal_outcome = serializers.ChoiceField(
        source="outcome", choices=AppealOutcome.choices, read_only=True, allow_blank=True, help_text="Empty: pending."
    )
    decided_on = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    registered_by = UserSummarySerializer(read_only=True)


class SanctionObjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    received_on = serializers.DateField(read_only=True)
    term_ends_on = serializers.DateField(read_only=True, help_text="The objection term (Awb 6:7, 6:8).")
    late = serializers.BooleanField(read_only=True, help_text="Received after the term (Awb 6:11: weigh why).")
    decide_by = serializers.DateField(read_only=True, help_text="The decision term (Awb 7:10), extended or not.")
    extended = serializers.BooleanField(read_only=True)
    heard_on = serializers.DateField(read_only=True, allow_null=True)
    objection_outcome = serializers.ChoiceField(
        source="outcome",
        choices=ObjectionOutcome.choices,
        read_only=True,
        allow_blank=True,
        help_text="Empty: not decided yet.",
    )
    outcome_reasoning = serializers.CharField(read_only=True)
    decided_on = serializers.DateField(read_only=True, allow_null=True)
    new_decision = serializers.IntegerField(
        source="new_decision_id",
        read_only=True,
        allow_null=True,
        help_text="The new decision that supersedes the old one (upheld or partly upheld).",
    )
    registered_by = UserSummarySerializer(read_only=True)
    appeals = SanctionAppealSerializer(many=True, read_only=True)


class SanctionDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    supersedes = serializers.IntegerField(
        source="supersedes_id", read_only=True, allow_null=True, help_text="The decision this one replaces."
    )
    decision_status = serializers.ChoiceField(
        source="status",
        choices=SanctionDecisionStatus.choices,
        read_only=True,
        help_text="`draft`: waits for a second person (a team lead who did not propose it); `approved`: may be sent; "
        "`sent`: never changes again.",
    )
    proposed_pct = serializers.IntegerField(read_only=True, help_text="From the rule set valid on the breach date.")
    proposed_months = serializers.IntegerField(read_only=True)
    pct = serializers.IntegerField(read_only=True, help_text="The reduction decided: never above the proposal.")
    months = serializers.IntegerField(read_only=True)
    lowered_reason = serializers.CharField(read_only=True, help_text="Why lower than proposed (art. 18 lid 10).")
    article = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text="Where the percentage and the period come from.")
    norm_amount_cents = serializers.IntegerField(read_only=True, help_text="The benefit norm per month, in cents.")
    reduction_cents = serializers.IntegerField(
        read_only=True, help_text="The reduction per month, in cents (spread: of the first month)."
    )
    schedule = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Spread over more months (art. 18 lid 5): the percentage of each month; empty when not spread.",
    )
    start_on = serializers.DateField(read_only=True)
    end_on = serializers.DateField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True, help_text="A new decision: why (objection outcome, revision).")
    decided_by = UserSummarySerializer(read_only=True)
    decided_on = serializers.DateField(read_only=True)
    approved_by = UserSummarySerializer(read_only=True, allow_null=True)
    approved_on = serializers.DateField(read_only=True, allow_null=True)
    sent_on = serializers.DateField(read_only=True, allow_null=True)
    letter = serializers.BooleanField(
        source="has_letter", read_only=True, help_text="The decision letter (PDF) was made when it was sent."
    )
    reconsidered_on = serializers.DateField(read_only=True, allow_null=True)
    reconsideration_note = serializers.CharField(read_only=True)
    objections = SanctionObjectionSerializer(many=True, read_only=True)


class SanctionProposalSerializer(serializers.Serializer):
    pct = serializers.IntegerField(read_only=True)
    months = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True, help_text="E.g. 100% gedurende 1 maand.")
    article = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)


class SanctionDeadlineSerializer(serializers.Serializer):
    deadline = serializers.ChoiceField(
        choices=SANCTION_DEADLINES,
        read_only=True,
        help_text="`hearing`: the client's term to give their view (until the view or its absence is recorded); "
        "`objection_term`: the client's term to object to a sent decision (while it runs and no objection came); "
        "`objection_decision`: the term to decide on an objection; `reconsideration`: reconsider a reduction within "
        "3 months (art. 18 lid 3).",
    )
    record = serializers.IntegerField(read_only=True, help_text="Id of the case, decision or objection it is about.")
    due = serializers.DateField(read_only=True, help_text="The last day, on the working-day calendar.")
    source = serializers.CharField(read_only=True)
    passed = serializers.BooleanField(
        read_only=True, help_text="Today is after the last day (for the municipality's own terms: missed)."
    )


class SanctionCaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    category = serializers.ChoiceField(choices=sanction_rules.CATEGORY_CHOICES, read_only=True)
    breach_on = serializers.DateField(read_only=True)
    case_status = serializers.ChoiceField(source="status", choices=CaseStatus.choices, read_only=True)
    breach_number = serializers.IntegerField(
        read_only=True, help_text="1 for a first breach; higher for a repeat within the window (escalation)."
    )
    closed_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class SanctionCaseSerializer(SanctionCaseSummarySerializer):
    """A sanction case with everything its page shows: the checks kept when it was opened, the hearing, the
    culpability assessment, every decision (oldest first) with its objections and appeals, the proposal of the rule
    set (while a decision can be proposed), the open deadlines and the next steps trede accepts."""

    description = serializers.CharField(read_only=True)
    appointment = serializers.IntegerField(source="appointment_id", read_only=True, allow_null=True)
    letter = serializers.IntegerField(source="letter_id", read_only=True, allow_null=True)
    job_referral = serializers.IntegerField(source="job_referral_id", read_only=True, allow_null=True)
    activity_referral = serializers.IntegerField(source="activity_referral_id", read_only=True, allow_null=True)
    checks = serializers.SerializerMethodField()
    created_by = UserSummarySerializer(read_only=True)
    hearing = SanctionHearingSerializer(read_only=True, allow_null=True)
    assessment = SanctionAssessmentSerializer(read_only=True, allow_null=True)
    decisions = SanctionDecisionSerializer(many=True, read_only=True, help_text="Oldest first.")
    proposal = SanctionProposalSerializer(
        read_only=True,
        allow_null=True,
        help_text="What the rule set valid on the breach date proposes, while a decision can be proposed.",
    )
    deadlines = SanctionDeadlineSerializer(many=True, read_only=True, help_text="The terms still running or missed.")
    next_steps = serializers.ListField(
        child=serializers.ChoiceField(choices=SANCTION_STEPS),
        read_only=True,
        help_text="The steps that fit the case now (the services decide: a step can still be refused, e.g. a "
        "hearing record without a response before the term ended).",
    )

    @extend_schema_field(SanctionChecksSerializer)
    def get_checks(self, case) -> dict:
        return SanctionChecksSerializer(sanction_checks(case.checks)).data


class SanctionCaseOpenSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=sanction_rules.CATEGORY_CHOICES)
    breach_on = serializers.DateField(help_text="The day of the breach (not in the future).")
    description = serializers.CharField(max_length=4000, help_text="What happened.")
    appointment = ClientScopedField(
        queryset=Appointment.objects.select_related("invitation"),
        required=False,
        allow_null=True,
        help_text="Id of the client's appointment (e.g. the one missed).",
    )
    letter = ClientScopedField(
        queryset=Letter.objects.defer("pdf"),
        required=False,
        allow_null=True,
        help_text="Id of the client's letter with the invitation or the obligation.",
    )
    job_referral = ClientScopedField(
        queryset=JobReferral.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the client's referral to a vacancy (e.g. the work refused).",
    )
    activity_referral = ClientScopedField(
        queryset=ActivityReferral.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the client's referral to an activity.",
    )


class SanctionHearingScheduleSerializer(serializers.Serializer):
    invited_on = serializers.DateField(
        required=False, help_text="The day the invitation was sent (default: today; not before the breach)."
    )

    def validate(self, attrs):
        attrs.setdefault("invited_on", timezone.localdate())
        return attrs


class SanctionHearingRecordSerializer(serializers.Serializer):
    responded = serializers.BooleanField(help_text="false: the client did not respond (only once the term has passed).")
    statement = serializers.CharField(
        max_length=8000, required=False, allow_blank=True, default="", help_text="Required when the client responded."
    )
    held_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Not in the future.")


class SanctionAssessmentRecordSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(
        choices=sanction_rules.FINDING_CHOICES,
        help_text="`none` (not culpable, art. 18 lid 9) closes the case without a sanction.",
    )
    reasoning = serializers.CharField(max_length=8000, allow_blank=True, help_text="Required.")
    assessed_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")

    def validate(self, attrs):
        attrs.setdefault("assessed_on", timezone.localdate())
        return attrs


class SanctionDecisionProposeSerializer(serializers.Serializer):
    start_on = serializers.DateField(help_text="The first day of the reduction.")
    pct = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="Left out: the proposal of the rule set. Lower only (art. 18 lid 10), with `lowered_reason`.",
    )
    months = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True, default=None, help_text="Left out: the proposal."
    )
    lowered_reason = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", help_text="Required when lower."
    )
    spread_over = serializers.IntegerField(
        min_value=2,
        max_value=3,
        required=False,
        allow_null=True,
        default=None,
        help_text="Spread a uniform reduction over 2 or 3 months (art. 18 lid 5); left out: not spread.",
    )


class SanctionDecisionApproveSerializer(serializers.Serializer):
    """No fields: the caller, a team lead who did not propose the decision, approves it."""


class SanctionDecisionSendSerializer(serializers.Serializer):
    sent_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")

    def validate(self, attrs):
        attrs.setdefault("sent_on", timezone.localdate())
        return attrs


class SanctionDecisionReconsiderSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    note = serializers.CharField(max_length=4000, allow_blank=True, help_text="What the reconsideration found.")

    def validate(self, attrs):
        attrs.setdefault("on", timezone.localdate())
        return attrs


class SanctionDecisionReviseSerializer(serializers.Serializer):
    complies_on = serializers.DateField(
        help_text="The day from which the client complies again (not in the future, not after the reduction ended)."
    )
    reason = serializers.CharField(max_length=4000, allow_blank=True, help_text="What shows it (required).")


class SanctionObjectionRegisterSerializer(serializers.Serializer):
    received_on = serializers.DateField(
        required=False, help_text="Default: today (not in the future). After the term: registered and marked late."
    )

    def validate(self, attrs):
        attrs.setdefault("received_on", timezone.localdate())
        return attrs


class SanctionObjectionDecideSerializer(serializers.Serializer):
    objection_outcome = serializers.ChoiceField(
        source="outcome",
        choices=ObjectionOutcome.choices,
        help_text="`upheld`: a new decision without a reduction; `partly`: a new, lower one (`pct` and `months`); "
        "`rejected`, `withdrawn`: the decision stands.",
    )
    reasoning = serializers.CharField(max_length=8000, allow_blank=True, help_text="Required.")
    decided_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    pct = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True, default=None)
    months = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True, default=None)

    def validate(self, attrs):
        attrs.setdefault("decided_on", timezone.localdate())
        return attrs


class SanctionObjectionExtendSerializer(serializers.Serializer):
    """No fields: the decision term is extended once (Awb 7:10 lid 3)."""


class SanctionAppealRegisterSerializer(serializers.Serializer):
    lodged_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    court = serializers.CharField(max_length=200, allow_blank=True, help_text="The court (rechtbank).")

    def validate(self, attrs):
        attrs.setdefault("lodged_on", timezone.localdate())
        return attrs


class SanctionAppealDecideSerializer(serializers.Serializer):
    appeal_outcome = serializers.ChoiceField(source="outcome", choices=AppealOutcome.choices)
    decided_on = serializers.DateField(required=False, help_text="Default: today (not in the future).")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs.setdefault("decided_on", timezone.localdate())
        return attrs


class SanctionStageSerializer(serializers.Serializer):
    case_status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    cases = serializers.IntegerField(read_only=True)


class SanctionFindingCountSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(
        choices=sanction_rules.FINDING_CHOICES, read_only=True, allow_null=True, help_text="Null: not assessed yet."
    )
    cases = serializers.IntegerField(read_only=True)


class SanctionTotalSerializer(serializers.Serializer):
    """Cases and sanctions per 100 clients on benefit. Null: hidden (a small group), or no one on benefit."""

    n = serializers.IntegerField(read_only=True, allow_null=True, help_text="Clients on benefit.")
    cases = serializers.IntegerField(read_only=True, allow_null=True)
    sanctions = serializers.IntegerField(read_only=True, allow_null=True, help_text="Cases with a reduction.")
    cases_per_100 = serializers.FloatField(read_only=True, allow_null=True)
    sanctions_per_100 = serializers.FloatField(read_only=True, allow_null=True)


class SanctionGroupSerializer(SanctionTotalSerializer):
    attribute = serializers.ChoiceField(
        choices=[("gender", "gender"), ("age", "age"), ("household", "household"), ("district", "district")],
        read_only=True,
    )
    group = serializers.CharField(read_only=True, help_text="The group's name in the caller's language.")


class SanctionOverviewSerializer(serializers.Serializer):
    on = serializers.DateField(read_only=True)
    since = serializers.DateField(read_only=True, help_text="Cases with a breach on or after this day are counted.")
    small_group = serializers.IntegerField(read_only=True, help_text="Groups and counts below this are hidden.")
    by_stage = SanctionStageSerializer(many=True, read_only=True)
    by_finding = SanctionFindingCountSerializer(many=True, read_only=True)
    total = SanctionTotalSerializer(read_only=True)
    rows = SanctionGroupSerializer(many=True, read_only=True, help_text="Per gender, age band, household, district.")
