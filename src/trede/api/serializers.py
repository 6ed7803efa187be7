"""Serializers of the API: explicit fields and enum choices, so that the OpenAPI schema is precise.

Serializers only shape and type-check data. Every rule of the domain (BSN, dates in the future, overlapping
exemptions, ...) is checked by the service that does the write, and its errors reach the caller through
trede.api.exceptions with the same field names.

One choice set has one field name throughout (e.g. ObligationKind is always `obligation`, HouseholdKind always
`household_kind`), so that the schema has one named enum per choice set.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
from trede.obligations.models import ExemptionGround, ObligationKind

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
