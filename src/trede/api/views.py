"""REST endpoints. Thin, like the screens: check permission (trede.api.permissions), read through selectors,
write through the services, which validate, run in a transaction and write the audit record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from trede.activation import selectors as activation_selectors
from trede.activation.models import Activity, Participation, Referral, ReferralEvent
from trede.activation.rules import TEGENPRESTATIE_STATUS_TEXT
from trede.activation.services import (
    participation_end,
    participation_follow_up,
    participation_next_step,
    participation_record,
    referral_move,
    referral_propose,
)
from trede.api import serializers as s
from trede.api.permissions import (
    MAX_ID,
    DossierMixin,
    HasCaseloadRole,
    HasCatalogueRole,
    HasEmployerRole,
    IsProviderStaff,
    UserLanguageMixin,
    own_provider,
    request_purpose,
)
from trede.api.schema import FIELD_ERRORS, NOT_FOUND, TredeAutoSchema
from trede.caseload.models import ActionItem, Assignment, ContactMoment
from trede.caseload.selectors import (
    caseload,
    clients_in_reach,
    current_caseworker_id,
    dossier_relation,
    team_caseworkers,
    team_of,
)
from trede.caseload.services import (
    action_item_add,
    action_item_complete,
    assignment_assign,
    contact_record,
)
from trede.clients.models import (
    BenefitPeriod,
    Circumstances,
    Client,
    District,
    Household,
    HouseholdMember,
    LadderMeasurement,
)
from trede.clients.selectors import client_search
from trede.clients.services import (
    benefit_period_end,
    benefit_period_start,
    circumstances_record,
    client_register,
    client_review_schedule,
    client_update,
    household_member_add,
    ladder_measure,
)
from trede.core.audit import access_log, access_log_bulk
from trede.core.models import User
from trede.core.privacy import SMALL_GROUP
from trede.core.roles import Purpose, Role
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.employers import matching
from trede.employers import selectors as employer_selectors
from trede.employers.models import (
    ContactPerson,
    Employer,
    Exit,
    FollowUp,
    Match,
    Placement,
    Vacancy,
    VacancyStatus,
    WorkProfile,
)
from trede.employers.models import Referral as JobReferral
from trede.employers.models import ReferralEvent as JobReferralEvent
from trede.employers.services import (
    contact_person_save,
    employer_save,
    exit_register,
    follow_up_record,
    match_record,
    placement_end,
    placement_extend,
    placement_start,
    placement_training_started,
    vacancy_save,
    work_profile_record,
)
from trede.employers.services import referral_create as job_referral_create
from trede.employers.services import referral_move as job_referral_move
from trede.intake.models import Assessment, RouteDecision
from trede.intake.selectors import active_model_version, dossier_answers
from trede.intake.services import assessment_record, route_confirm, route_decide, route_decline
from trede.obligations.models import Exemption, ObligationKind
from trede.obligations.rules import Period, is_exempt_in
from trede.obligations.selectors import active_exemptions, active_obligations
from trede.obligations.services import exemption_end, exemption_grant
from trede.sanctions import letters as sanction_letters
from trede.sanctions import rules as sanction_rules
from trede.sanctions import selectors as sanction_selectors
from trede.sanctions import services as sanction_services
from trede.sanctions.models import Appeal, CaseStatus, Objection, SanctionCase
from trede.sanctions.models import Decision as SanctionDecision
from trede.sanctions.models import DecisionStatus as SanctionDecisionStatus
from trede.stats import matching as match_engine


class ApiView(UserLanguageMixin, generics.GenericAPIView):
    schema = TredeAutoSchema()


# --------------------------------------------------------------------------------------------------
# The caller, districts, the caller's team


class MeView(UserLanguageMixin, APIView):
    """The authenticated user: username, role and interface language."""

    schema = TredeAutoSchema()
    schema_tag = "me"

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class DistrictListView(UserLanguageMixin, generics.ListAPIView):
    """The districts of the municipality (their codes are used to register a client)."""

    schema = TredeAutoSchema()
    schema_tag = "districts"
    serializer_class = s.DistrictSerializer
    queryset = District.objects.order_by("name")


class TeamCaseworkersView(UserLanguageMixin, generics.ListAPIView):
    """The active caseworkers of the caller's own team (to register or assign a client to)."""

    schema = TredeAutoSchema()
    schema_tag = "team"
    permission_classes = [HasCaseloadRole]
    serializer_class = s.UserSummarySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return team_caseworkers(0)
        team_id = team_of(self.request.user)
        return team_caseworkers(team_id) if team_id else team_caseworkers(0).none()


# --------------------------------------------------------------------------------------------------
# Clients


def mark_exempt(client: Client, today: dt.date) -> None:
    """Set `exempt` on each of the client's prefetched active obligations from its prefetched active exemptions,
    without a query. The same answer as is_exempt() (Exemption.objects.active_on(today): started, and neither
    ended nor past the end date), through its pure counterpart is_exempt_in() on the exemptions' periods."""
    periods: dict[str, list[Period]] = defaultdict(list)
    for exemption in client.active_exemptions:
        periods[exemption.obligation].append(Period(exemption.start_on, exemption.effective_end))
    for obligation in client.active_obligations:
        obligation.exempt = is_exempt_in(periods[obligation.kind], today)


def client_detail(client_id: int) -> Client:
    """One client with what the API's client detail shows, in a constant number of queries."""
    today = timezone.localdate()
    client = (
        Client.objects.select_related("district", "household")
        .annotate(
            ladder_step=Subquery(
                LadderMeasurement.objects.filter(client_id=OuterRef("pk"))
                .order_by("-measured_on", "-id")
                .values("step")[:1]
            )
        )
        .prefetch_related(
            Prefetch("household__members", queryset=HouseholdMember.objects.order_by("role", "birth_date")),
            Prefetch(
                "obligations",
                queryset=active_obligations(today).order_by("kind", "-start_on"),
                to_attr="active_obligations",
            ),
            Prefetch(
                "exemptions",
                queryset=active_exemptions(today).order_by("obligation", "-start_on"),
                to_attr="active_exemptions",
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(end_on__isnull=True).select_related("caseworker"),
                to_attr="current_assignments",
            ),
        )
        .get(pk=client_id)
    )
    mark_exempt(client, today)
    return client


def _detail_response(client: Client, access: Access, *, code: int = status.HTTP_200_OK) -> Response:
    data = s.ClientDetailSerializer(
        client_detail(client.pk), context={"access": "write" if access == Access.WRITE else "read"}
    ).data
    return Response(data, status=code)


@extend_schema_view(
    get=extend_schema(
        summary="The caller's clients (caseload; a team lead: the team's)",
        parameters=[s.ClientListQuerySerializer],
        responses=s.ClientSummarySerializer(many=True),
    ),
    post=extend_schema(
        summary="Register a client",
        request=s.ClientRegisterSerializer,
        responses={201: s.ClientDetailSerializer, 400: FIELD_ERRORS},
    ),
)
class ClientListView(ApiView, generics.ListAPIView):
    """Clients in reach of the caller: a caseworker's own caseload, a team lead's team. No other role sees clients.

    To search by BSN, use POST /api/v1/clients/search/ instead of `?search=`: a query string ends up in server and
    proxy logs, a request body does not.

    Registering a client puts it in a caseload in the same transaction: a caseworker's own, or for a team lead
    the `caseworker` they name."""

    schema_tag = "clients"
    permission_classes = [HasCaseloadRole]
    serializer_class = s.ClientSummarySerializer
    query_serializer = s.ClientListQuerySerializer

    def list_params(self) -> dict:
        """The filters and sort of the list: here from the query string."""
        query = s.ClientListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Client.objects.none()
        params = self.list_params()
        district = params.get("district", "")
        if district and not District.objects.filter(code=district).exists():
            raise exceptions.ValidationError({"district": [_("Onbekende wijk: %(value)s.") % {"value": district}]})
        qs = clients_in_reach(self.request.user, caseworker_id=params.get("caseworker"))
        if params.get("search"):
            qs = client_search(qs, params["search"])
        self.today = timezone.localdate()
        rules = rules_on(self.today)
        sort, descending = s.CLIENT_SORTS[params["sort"]]
        return caseload(
            qs,
            today=self.today,
            contact_norm_days=rules["contact_norm_days"],
            due_horizon_days=rules["due_horizon_days"],
            district=district,
            step=params.get("step"),
            exemption={True: "ja", False: "nee"}.get(params["exempt"], ""),
            overdue=params["overdue"],
            sort=sort,
            descending=descending,
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        for client in page:
            mark_exempt(client, self.today)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request, *args, **kwargs):
        data = s.ClientRegisterSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        caseworker = fields.pop("caseworker")
        with transaction.atomic():
            client = client_register(actor=request.user, **fields)
            assignment_assign(actor=request.user, client=client, caseworker=caseworker)
        return _detail_response(client, Access.WRITE, code=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(
        summary="Search the caller's clients, the search term in the body (the way to search by BSN)",
        request=s.ClientSearchSerializer,
        responses={200: s.ClientSummarySerializer(many=True), 400: FIELD_ERRORS},
    ),
)
class ClientSearchView(ClientListView):
    """The client list (GET /api/v1/clients/) searched with a term in the request body: `{"search": "..."}`.

    Use this, not `?search=`, to search by BSN: a BSN in the URL ends up in server and proxy logs. The body takes
    the same filters and sort as the list's query parameters; the answer has the same shape, paginated (the page
    number stays in the query string, `?page=2`, and the body is sent again). The same callers as the list: a
    caseworker searches the own caseload, a team lead the team's; other roles get 403. A search is no dossier
    read and writes no access record."""

    http_method_names = ["post", "options"]
    query_serializer = None

    def list_params(self) -> dict:
        body = s.ClientSearchSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def post(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema_view(
    get=extend_schema(summary="A client's dossier summary", responses={200: s.ClientDetailSerializer}),
    patch=extend_schema(
        summary="Change a client's personal data, district or review date",
        request=s.ClientUpdateSerializer,
        responses={200: s.ClientDetailSerializer},
    ),
)
class ClientDetailView(DossierMixin, ApiView):
    """One client: personal data, household, caseworker, and the obligations and exemptions in force today."""

    schema_tag = "clients"
    serializer_class = s.ClientDetailSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get(self, request, client_id: int):
        return _detail_response(get_object_or_404(Client, pk=client_id), self.access)

    def patch(self, request, client_id: int):
        client = get_object_or_404(Client, pk=client_id)
        data = s.ClientUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        district = fields.pop("district", None)
        review_on = fields.pop("next_review_on", None)
        with transaction.atomic():
            if fields or district is not None:
                client = client_update(actor=request.user, client=client, district=district, **fields)
            if review_on is not None:
                client = client_review_schedule(actor=request.user, client=client, review_on=review_on)
        return _detail_response(client, self.access)


# --------------------------------------------------------------------------------------------------
# The parts of a dossier


class DossierCollection(DossierMixin, ApiView, generics.ListCreateAPIView):
    """A list of one kind of record in a client's dossier (GET, paginated) and adding one (POST, via a service).

    `serializer_class` shapes the records; `input_serializer_class` (default: the same) the POST body."""

    model = None
    ordering: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    input_serializer_class = None

    def get_queryset(self):
        qs = self.model.objects.select_related(*self.related).order_by(*self.ordering)
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        return qs.filter(client_id=self.client_id)

    def get_client(self) -> Client:
        return get_object_or_404(Client, pk=self.client_id)

    def create(self, request, *args, **kwargs):
        serializer_class = self.input_serializer_class or self.serializer_class
        data = serializer_class(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        record = self.write(self.get_client(), dict(data.validated_data))
        return Response(
            self.serializer_class(record, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    def write(self, client: Client, data: dict):
        """Each collection view names the service that records a new item (an abstract hook, not a stub)."""
        raise TypeError(f"{type(self).__name__} must define write(client, data)")


class DossierAction(DossierMixin, ApiView):
    """A state change of one record in a dossier (POST …/{id}/end/, …/complete/)."""

    model = None
    lookup_url_kwarg = "pk"
    input_serializer_class = None

    def get_queryset(self):
        qs = self.model.objects.all()
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        return qs.filter(client_id=self.client_id)

    def post(self, request, *args, **kwargs):
        record = self.get_object()
        data = self.input_serializer_class(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        record = self.write(record, dict(data.validated_data))
        return Response(self.serializer_class(record, context=self.get_serializer_context()).data)

    def write(self, record, data: dict):
        """Each action view names the service that changes the record (an abstract hook, not a stub)."""
        raise TypeError(f"{type(self).__name__} must define write(record, data)")


class ChangeAction(DossierAction):
    """An action whose service changes the record in place: run it (change), then read the record again with the
    related objects its serializer shows."""

    def change(self, record, data: dict) -> None:
        raise TypeError(f"{type(self).__name__} must define change(record, data)")

    def write(self, record, data):
        self.change(record, data)
        return self.get_queryset().get(pk=record.pk)


def _created(serializer, summary: str, request=None):
    return extend_schema_view(
        get=extend_schema(summary=f"List: {summary}"),
        post=extend_schema(
            summary=f"Add: {summary}", request=request or serializer, responses={201: serializer, 400: FIELD_ERRORS}
        ),
    )


def _action(request, response, summary: str):
    return extend_schema_view(
        post=extend_schema(
            summary=summary, request=request, responses={200: response, 400: FIELD_ERRORS, 404: NOT_FOUND}
        ),
    )


@_created(s.BenefitPeriodSerializer, "benefit periods")
class BenefitPeriodsView(DossierCollection):
    """The client's benefit periods, newest first; starting one (at most one open period)."""

    schema_tag = "benefit periods"
    model = BenefitPeriod
    ordering = ("-start_on", "-id")
    serializer_class = s.BenefitPeriodSerializer

    def write(self, client, data):
        return benefit_period_start(actor=self.request.user, client=client, **data)


@_action(s.BenefitPeriodEndSerializer, s.BenefitPeriodSerializer, "End a benefit period")
class BenefitPeriodEndView(DossierAction):
    """End a benefit period (exit) with its reason."""

    schema_tag = "benefit periods"
    model = BenefitPeriod
    serializer_class = s.BenefitPeriodSerializer
    input_serializer_class = s.BenefitPeriodEndSerializer

    def write(self, record, data):
        return benefit_period_end(actor=self.request.user, period=record, **data)


@_created(s.CircumstancesSerializer, "recorded circumstances (newest first; the first is current)")
class CircumstancesView(DossierCollection):
    """The recorded circumstances, newest first (the first is current); recording a new version."""

    schema_tag = "circumstances"
    model = Circumstances
    ordering = ("-recorded_on", "-id")
    related = ("recorded_by",)
    serializer_class = s.CircumstancesSerializer

    def write(self, client, data):
        return circumstances_record(actor=self.request.user, client=client, **data)


@_created(s.LadderMeasurementSerializer, "participation-ladder measurements")
class LadderMeasurementsView(DossierCollection):
    """Participation-ladder measurements (Divosa, steps 1-6), newest first; measuring, by the caller."""

    schema_tag = "ladder measurements"
    model = LadderMeasurement
    ordering = ("-measured_on", "-id")
    related = ("measured_by",)
    serializer_class = s.LadderMeasurementSerializer

    def write(self, client, data):
        return ladder_measure(actor=self.request.user, client=client, **data)


@_created(s.ExemptionSerializer, "exemptions (all, also ended ones)")
class ExemptionsView(DossierCollection):
    """All exemptions, also ended ones; granting one on a legal ground under the rules valid on its start date."""

    schema_tag = "exemptions"
    model = Exemption
    ordering = ("-start_on", "-id")
    related = ("granted_by",)
    serializer_class = s.ExemptionSerializer

    def write(self, client, data):
        return exemption_grant(actor=self.request.user, client=client, **data)


@_action(s.ExemptionEndSerializer, s.ExemptionSerializer, "End an exemption early")
class ExemptionEndView(DossierAction):
    """End an exemption early, with the reason. The record stays."""

    schema_tag = "exemptions"
    model = Exemption
    serializer_class = s.ExemptionSerializer
    input_serializer_class = s.ExemptionEndSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("granted_by")

    def write(self, record, data):
        return exemption_end(
            actor=self.request.user, exemption=record, ended_on=data["ended_on"], reason=data["end_reason"]
        )


@_created(s.ContactSerializer, "contacts")
class ContactsView(DossierCollection):
    """Contacts with the client, newest first; recording one (not in the future)."""

    schema_tag = "contacts"
    model = ContactMoment
    ordering = ("-contact_on", "-id")
    related = ("recorded_by",)
    serializer_class = s.ContactSerializer

    def write(self, client, data):
        return contact_record(actor=self.request.user, client=client, **data)


@_created(s.ActionItemSerializer, "action plan items")
class ActionItemsView(DossierCollection):
    """The action plan (plan van aanpak, art. 44a Participatiewet): open items first; adding one."""

    schema_tag = "action plan"
    model = ActionItem
    ordering = ("done_on", "deadline", "id")
    related = ("created_by",)
    serializer_class = s.ActionItemSerializer

    def write(self, client, data):
        return action_item_add(actor=self.request.user, client=client, **data)


@_action(s.ActionItemCompleteSerializer, s.ActionItemSerializer, "Mark an action plan item done")
class ActionItemCompleteView(DossierAction):
    """Mark an action plan item done (default: today)."""

    schema_tag = "action plan"
    model = ActionItem
    serializer_class = s.ActionItemSerializer
    input_serializer_class = s.ActionItemCompleteSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("created_by")

    def write(self, record, data):
        return action_item_complete(actor=self.request.user, item=record, done_on=data.get("done_on"))


@_created(
    s.AssignmentSerializer,
    "assignment history (which caseworker guided the client when)",
    request=s.AssignmentCreateSerializer,
)
class AssignmentsView(DossierCollection):
    """Reading: anyone who may read the dossier. (Re)assigning: a team lead of the client's team, to a caseworker
    of that team."""

    schema_tag = "assignments"
    model = Assignment
    ordering = ("-start_on", "-id")
    related = ("caseworker", "team", "assigned_by")
    serializer_class = s.AssignmentSerializer
    input_serializer_class = s.AssignmentCreateSerializer
    write_roles = (Role.TEAM_LEAD,)

    def write(self, client, data):
        return assignment_assign(actor=self.request.user, client=client, **data)


@extend_schema_view(
    get=extend_schema(summary="The client's household", responses={200: s.HouseholdSerializer, 404: NOT_FOUND}),
)
class HouseholdView(DossierMixin, ApiView):
    """The client's household: its composition and members."""

    schema_tag = "household"
    serializer_class = s.HouseholdSerializer

    def get(self, request, client_id: int):
        household = get_object_or_404(
            Household.objects.prefetch_related(
                Prefetch("members", queryset=HouseholdMember.objects.order_by("role", "birth_date"))
            ),
            client_id=client_id,
        )
        return Response(s.HouseholdSerializer(household).data)


@extend_schema_view(
    post=extend_schema(
        summary="Add a household member",
        request=s.HouseholdMemberSerializer,
        responses={201: s.HouseholdMemberSerializer, 400: FIELD_ERRORS},
    ),
)
class HouseholdMembersView(DossierMixin, ApiView):
    """Add a member to the household (optionally changing its composition)."""

    schema_tag = "household"
    serializer_class = s.HouseholdMemberSerializer

    def post(self, request, client_id: int):
        client = get_object_or_404(Client, pk=client_id)
        data = s.HouseholdMemberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = household_member_add(actor=request.user, client=client, **data.validated_data)
        return Response(s.HouseholdMemberSerializer(member).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------------------------------
# Intake and route decision


@_created(s.AssessmentSerializer, "intakes (newest first)", request=s.AssessmentCreateSerializer)
class AssessmentsView(DossierCollection):
    """The client's intakes, newest first: the answers with their dates and sources, the advice with its reason,
    and the time-to-work estimate exactly as it was shown (null without a model in use or with a missing answer).

    Recording an intake (trede.intake.services.assessment_record): age and time on benefit come from the dossier;
    every other answer is the caller's, with the day it is about. An unknown answer stays missing. To pre-fill a
    form, GET …/assessments/dossier-answers/ first."""

    schema_tag = "intake"
    model = Assessment
    ordering = ("-assessed_on", "-id")
    related = ("assessed_by",)
    serializer_class = s.AssessmentSerializer
    input_serializer_class = s.AssessmentCreateSerializer

    def get_queryset(self):
        # the version's number only: its parameters and history tables are large and not shown here
        return super().get_queryset().annotate(model_number=F("model_version__number"))

    def write(self, client, data):
        return assessment_record(actor=self.request.user, client=client, **data)


@extend_schema_view(
    get=extend_schema(
        summary="The answers the dossier gives for a new intake",
        parameters=[s.DossierAnswersQuerySerializer],
        responses={200: s.DossierAnswersSerializer},
    ),
)
class DossierAnswersView(DossierMixin, ApiView):
    """What the dossier knows on the day of an intake (trede.intake.selectors.dossier_answers): the newest
    circumstances and ladder step recorded on or before it, each with its date, and age and time on benefit. A
    client program shows them as the intake form's starting point; what the dossier does not know is null."""

    schema_tag = "intake"
    serializer_class = s.DossierAnswersSerializer
    query_serializer = s.DossierAnswersQuerySerializer

    def get(self, request, client_id: int):
        query = s.DossierAnswersQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        on = query.validated_data.get("on") or today
        if on > today:
            raise exceptions.ValidationError({"on": [_("De intake kan niet in de toekomst liggen.")]})
        client = get_object_or_404(Client, pk=client_id)
        version = active_model_version()
        data = {
            "on": on,
            "answers": dossier_answers(client, on),
            "model_version": version.number if version is not None else None,
        }
        return Response(s.DossierAnswersSerializer(data).data)


@_created(s.RouteDecisionSerializer, "route decisions (newest first)", request=s.RouteDecideSerializer)
class RouteDecisionsView(DossierCollection):
    """The client's route decisions, newest first, each with its status, the advice beside the chosen route, the
    team lead's confirmation and the obligations it opened.

    Deciding (trede.intake.services.route_decide): departing from the advice needs a `reason`. A route with less
    help than advised (or, without advice, than the route in force) is recorded with status `awaiting` and takes
    effect only when a team lead of the client's team, not the one who decided, confirms it
    (…/route-decisions/{id}/confirm/); otherwise it is `in_force` at once and opens the route's obligations."""

    schema_tag = "route decisions"
    model = RouteDecision
    ordering = ("-decided_on", "-id")
    related = ("decided_by", "confirmed_by", "assessment")
    serializer_class = s.RouteDecisionSerializer
    input_serializer_class = s.RouteDecideSerializer

    def write(self, client, data):
        decided_on = data.get("decided_on") or timezone.localdate()
        assessment_id = data.get("assessment")
        intakes = Assessment.objects.filter(client_id=client.pk).order_by("-assessed_on", "-id")
        if assessment_id is not None:
            assessment = intakes.filter(pk=assessment_id).first()
            if assessment is None:  # the same answer for another client's intake: no oracle across dossiers
                raise exceptions.ValidationError({"assessment": [_("Deze cliënt heeft geen intake met dit nummer.")]})
        else:  # left out: the latest intake's advice still counts, so that the brake cannot be skipped
            assessment = intakes.filter(assessed_on__lte=decided_on).first()
        return route_decide(
            actor=self.request.user,
            client=client,
            route=data["route"],
            reason=data["reason"],
            decided_on=decided_on,
            assessment=assessment,
        )


class RouteReviewView(DossierAction):
    """Shared by confirm and decline: the second person on a route with less help than advised. Only team leads
    pass the permission check (403 for other roles); route_confirm/route_decline refuse the one who decided and a
    decision that no longer waits (400)."""

    schema_tag = "route decisions"
    model = RouteDecision
    serializer_class = s.RouteDecisionSerializer
    write_roles = (Role.TEAM_LEAD,)


@_action(s.RouteConfirmSerializer, s.RouteDecisionSerializer, "Confirm a route decision that waits (team lead)")
class RouteConfirmView(RouteReviewView):
    """Confirm a route decision that waits: it takes effect today and opens the route's obligations. Only a team
    lead of the client's team who did not take the decision (other roles: 403; the one who decided, or a decision
    that no longer waits: 400)."""

    input_serializer_class = s.RouteConfirmSerializer

    def write(self, record, data):
        return route_confirm(actor=self.request.user, decision=record, note=data["note"])


@_action(s.RouteDeclineSerializer, s.RouteDecisionSerializer, "Decline a route decision that waits (team lead)")
class RouteDeclineView(RouteReviewView):
    """Decline a route decision that waits, with the reason in `note`: the route in force stays and the caseworker
    decides again. Only a team lead of the client's team who did not take the decision (other roles: 403; the one
    who decided, or a decision that no longer waits: 400)."""

    input_serializer_class = s.RouteDeclineSerializer

    def write(self, record, data):
        return route_decline(actor=self.request.user, decision=record, note=data["note"])


# --------------------------------------------------------------------------------------------------
# Activation: the catalogue, referrals, participation, the tegenprestatie


class CatalogueMixin:
    """The activities the caller may see: caseworkers and team leads the offered ones, the functional administrator
    every activity, a provider's staff only their own provider's (trede.activation.selectors.catalogue)."""

    def catalogue(self, **filters):
        user = self.request.user
        qs = activation_selectors.catalogue(offered_only=user.role in (Role.CASEWORKER, Role.TEAM_LEAD), **filters)
        if user.role == Role.PROVIDER:  # HasCatalogueRole lets in only a linked account; never the whole catalogue
            provider = own_provider(self.request)
            return qs.filter(provider=provider) if provider is not None else qs.none()
        return qs


@extend_schema_view(
    get=extend_schema(
        summary="The activity catalogue, with free places and waiting list",
        parameters=[s.ActivityListQuerySerializer],
        responses=s.ActivitySerializer(many=True),
    ),
)
class ActivityListView(CatalogueMixin, ApiView, generics.ListAPIView):
    """The activity catalogue, by name. Caseworkers and team leads see the activities on offer, the functional
    administrator every activity (also drafts and closed ones), a provider's staff their own provider's activities.
    Other roles: 403. Each activity with its free places and the length of its waiting list."""

    schema_tag = "activities"
    permission_classes = [HasCatalogueRole]
    serializer_class = s.ActivitySerializer
    query_serializer = s.ActivityListQuerySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Activity.objects.none()
        query = s.ActivityListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        district_id = None
        if params.get("district"):
            district_id = District.objects.filter(code=params["district"]).values_list("pk", flat=True).first()
            if district_id is None:
                raise exceptions.ValidationError(
                    {"district": [_("Onbekende wijk: %(value)s.") % {"value": params["district"]}]}
                )
        return self.catalogue(district_id=district_id, kind=params.get("kind", ""), text=params.get("q", ""))


@extend_schema_view(
    get=extend_schema(summary="One activity of the catalogue", responses={200: s.ActivitySerializer, 404: NOT_FOUND}),
)
class ActivityDetailView(CatalogueMixin, ApiView, generics.RetrieveAPIView):
    """One activity, if the caller may see it in the catalogue (otherwise 404)."""

    schema_tag = "activities"
    permission_classes = [HasCatalogueRole]
    serializer_class = s.ActivitySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Activity.objects.none()
        return self.catalogue()


def referrals_with_events(qs):
    """Referrals with their activity, provider, creator and steps: three queries for any number of referrals."""
    return qs.select_related("activity__provider", "created_by").prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("by").order_by("on", "id"))
    )


@_created(
    s.ReferralSerializer, "referrals to activities (newest first), each with its steps", s.ReferralProposeSerializer
)
class ReferralsView(DossierCollection):
    """The client's referrals to activities, newest first, each with every step (ReferralEvent).

    Proposing one (trede.activation.services.referral_propose): the activity must be on offer; without a free place
    the referral needs `waiting_list: true` and starts on the waiting list (400 naming `waiting_list` otherwise).
    A tegenprestatie is voluntary unless the client is required to do one on that day. Caseworker and team lead
    with write access only."""

    schema_tag = "referrals"
    model = Referral
    ordering = ("-proposed_on", "-id")
    serializer_class = s.ReferralSerializer
    input_serializer_class = s.ReferralProposeSerializer

    def get_queryset(self):
        return referrals_with_events(super().get_queryset())

    def write(self, client, data):
        referral = referral_propose(actor=self.request.user, client=client, **data)
        return self.get_queryset().get(pk=referral.pk)


@_action(s.ReferralMoveSerializer, s.ReferralSerializer, "Move a referral to its next status")
class ReferralMoveView(DossierAction):
    """Move a referral to its next status (trede.activation.rules.TRANSITIONS), on a day not in the future and not
    before the last step. Declining, withdrawing and ending need a `reason`. Starting records the participation with
    its first follow-up date; ending ends it (and asks for a new ladder measurement). An illegal step is 400 naming
    `to`."""

    schema_tag = "referrals"
    model = Referral
    serializer_class = s.ReferralSerializer
    input_serializer_class = s.ReferralMoveSerializer

    def get_queryset(self):
        return referrals_with_events(super().get_queryset())

    def write(self, record, data):
        referral_move(actor=self.request.user, referral=record, **data)
        return self.get_queryset().get(pk=record.pk)


@_created(s.ParticipationSerializer, "participation (newest first)")
class ParticipationsView(DossierCollection):
    """What the client does or did, newest first: from a referral, or found by the client (informal care,
    volunteer work, a course...).

    Recording a participation the client found (trede.activation.services.participation_record) is done on the
    client's word: no proof is asked. Its first follow-up contact is planned by the local rule set."""

    schema_tag = "participation"
    model = Participation
    ordering = ("-start_on", "-id")
    related = ("recorded_by",)
    serializer_class = s.ParticipationSerializer

    def write(self, client, data):
        return participation_record(actor=self.request.user, client=client, **data)


class ParticipationAction(ChangeAction):
    schema_tag = "participation"
    model = Participation
    serializer_class = s.ParticipationSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("recorded_by")


@_action(s.ParticipationFollowUpSerializer, s.ParticipationSerializer, "Record the follow-up contact")
class ParticipationFollowUpView(ParticipationAction):
    """The follow-up contact with a client who takes part: recorded as a contact, and the next one planned."""

    input_serializer_class = s.ParticipationFollowUpSerializer

    def change(self, record, data):
        participation_follow_up(actor=self.request.user, participation=record, **data)


@_action(s.ParticipationEndSerializer, s.ParticipationSerializer, "Stop a participation")
class ParticipationEndView(ParticipationAction):
    """A participation stops, with the reason (required) and, if agreed, the next step. A referral it came from
    ends with it. The caseworker gets an action item: measure the participation ladder again."""

    input_serializer_class = s.ParticipationEndSerializer

    def change(self, record, data):
        participation_end(actor=self.request.user, participation=record, **data)


@_action(s.ParticipationNextStepSerializer, s.ParticipationSerializer, "Record the next step after stopping")
class ParticipationNextStepView(ParticipationAction):
    """The next step after a participation stopped (clears the flag 'stopped without a next step')."""

    input_serializer_class = s.ParticipationNextStepSerializer

    def change(self, record, data):
        participation_next_step(actor=self.request.user, participation=record, **data)


@extend_schema_view(
    get=extend_schema(summary="The client's tegenprestatie status today", responses={200: s.TegenprestatieSerializer}),
)
class TegenprestatieView(DossierMixin, ApiView):
    """Does the tegenprestatie (art. 9 lid 1c Participatiewet) apply to the client today, and is it met? From the
    municipality's policy in the rule set valid today (art. 8a), the obligations imposed, the exemptions in force and
    the participations that count as a tegenprestatie (trede.activation.rules.tegenprestatie_status)."""

    schema_tag = "tegenprestatie"
    serializer_class = s.TegenprestatieSerializer

    def get(self, request, client_id: int):
        today = timezone.localdate()
        policy = rules_on(today)["tegenprestatie_policy"]
        code = activation_selectors.tegenprestatie_of(
            policy=policy,
            obligations=active_obligations(today).filter(client_id=client_id, kind=ObligationKind.TEGENPRESTATIE),
            exemptions=active_exemptions(today).filter(client_id=client_id, obligation=ObligationKind.TEGENPRESTATIE),
            participations=Participation.objects.filter(
                client_id=client_id, end_on__isnull=True, counts_as_tegenprestatie=True
            ),
            on=today,
        )
        data = {
            "on": today,
            "policy": policy,
            "tegenprestatie_status": code,
            "text": str(TEGENPRESTATIE_STATUS_TEXT[code]),
        }
        return Response(s.TegenprestatieSerializer(data).data)


# --------------------------------------------------------------------------------------------------
# The provider's own system: referrals to its activities


def _log_referral_read(request, client_id: int, *, granted: bool) -> None:
    access_log(
        actor=request.user,
        client_id=client_id,
        purpose=Purpose.REFERRAL,
        granted=granted,
        channel="api",
        path=request.path,
        trace_id=getattr(request, "trace_id", ""),
    )


@extend_schema_view(
    get=extend_schema(
        summary="The referrals to the caller's own activities (provider)",
        parameters=[s.ProviderReferralQuerySerializer],
        responses=s.ProviderReferralSerializer(many=True),
    ),
)
class ProviderReferralListView(ApiView, generics.ListAPIView):
    """For a provider's own system: the referrals to the caller's provider's activities (withdrawn ones left out),
    by activity and name. Of each client only the name, phone and e-mail: no BSN, birth date or address. Every
    client returned is written to the access log (purpose `referral`). Only a provider's staff (other roles: 403);
    they never reach a client's dossier."""

    schema_tag = "provider"
    permission_classes = [IsProviderStaff]
    serializer_class = s.ProviderReferralSerializer
    query_serializer = s.ProviderReferralQuerySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        query = s.ProviderReferralQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return activation_selectors.provider_referrals(
            own_provider(self.request), status=query.validated_data.get("status", "")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        access_log_bulk(
            actor=request.user,
            client_ids=[r.client_id for r in page],
            purpose=Purpose.REFERRAL,
            channel="api",
            path=request.path,
            trace_id=getattr(request, "trace_id", ""),
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@_action(s.ProviderReferralMoveSerializer, s.ProviderReferralSerializer, "Confirm a step of a referral (provider)")
class ProviderReferralMoveView(ApiView):
    """The provider confirms the start, the attendance, or that the client stopped or declined (with a reason) —
    only the steps trede.activation.rules.PROVIDER_MAY allows. A referral to another provider's activity is 404,
    and the refused attempt is written to the access log; an allowed one is logged with purpose `referral`."""

    schema_tag = "provider"
    permission_classes = [IsProviderStaff]
    serializer_class = s.ProviderReferralSerializer
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return activation_selectors.provider_referrals(own_provider(self.request))

    def post(self, request, pk: int):
        referral = self.get_queryset().filter(pk=pk).first()
        if referral is None:
            other = Referral.objects.filter(pk=pk).values_list("client_id", flat=True).first()
            if other is not None:  # someone else's referral (or a withdrawn one): a refused read of that client
                _log_referral_read(request, other, granted=False)
            raise exceptions.NotFound()
        _log_referral_read(request, referral.client_id, granted=True)
        data = s.ProviderReferralMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_move(actor=request.user, referral=referral, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


# --------------------------------------------------------------------------------------------------
# Employer services: employers, contact persons and vacancies (the employer adviser and the team lead), open
# vacancies (also caseworkers), the shortlist of a vacancy, and whether placements last


@contextmanager
def named_as(**names: str):
    """Report a service's error under the API's field name: the services name the model's field (`status`), the API
    has its own name for a choice set (`vacancy_status`, `match_status`)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError({names.get(k, k): v for k, v in exc.error_dict.items()}) from exc


class EmployerView(ApiView):
    """Base of the adviser's endpoints (HasEmployerRole)."""

    schema_tag = "employers"
    permission_classes = [HasEmployerRole]

    def get_employer(self) -> Employer:
        return get_object_or_404(Employer, pk=self.kwargs["pk"])


def employer_detail_data(employer_id: int) -> dict:
    employer = employer_selectors.employer_detail(employer_id)
    employer.durability = employer_selectors.durability(
        by="instrument", today=timezone.localdate(), employer_id=employer.pk
    )
    return s.EmployerDetailSerializer(employer).data


@extend_schema_view(
    get=extend_schema(
        summary="Employers (by name)",
        parameters=[s.EmployerListQuerySerializer],
        responses=s.EmployerSerializer(many=True),
    ),
    post=extend_schema(
        summary="Register an employer",
        request=s.EmployerWriteSerializer,
        responses={201: s.EmployerDetailSerializer, 400: FIELD_ERRORS},
    ),
)
class EmployerListView(EmployerView, generics.ListAPIView):
    """Employers with their fixed adviser, open vacancies and placements. Employer advisers and team leads only
    (other roles: 403). Registering one: the fixed adviser must be an employer adviser (default for an adviser: the
    caller); a KvK number has 8 digits and is registered once."""

    serializer_class = s.EmployerSerializer
    query_serializer = s.EmployerListQuerySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Employer.objects.none()
        query = s.EmployerListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        adviser_id = self.request.user.pk if params["mine"] else None
        return employer_selectors.employers(adviser_id=adviser_id, text=params.get("q", "").strip()).select_related(
            "district"
        )

    def post(self, request, *args, **kwargs):
        data = s.EmployerWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "adviser" not in fields and request.user.role == Role.EMPLOYER_ADVISER:
            fields["adviser"] = request.user
        employer = employer_save(actor=request.user, **fields)
        return Response(employer_detail_data(employer.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="One employer", responses={200: s.EmployerDetailSerializer, 404: NOT_FOUND}),
    patch=extend_schema(
        summary="Change an employer",
        request=s.EmployerWriteSerializer,
        responses={200: s.EmployerDetailSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    ),
)
class EmployerDetailView(EmployerView):
    """One employer: the organisation, its fixed adviser and agreements, its contact persons, its vacancies (with how
    many were referred and hired) and how long people placed there stayed, per instrument (small groups
    suppressed)."""

    serializer_class = s.EmployerDetailSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get(self, request, pk: int):
        return Response(employer_detail_data(self.get_employer().pk))

    def patch(self, request, pk: int):
        employer = self.get_employer()
        context = {**self.get_serializer_context(), "employer": employer}
        data = s.EmployerWriteSerializer(data=request.data, partial=True, context=context)
        data.is_valid(raise_exception=True)
        employer_save(actor=request.user, employer=employer, **data.validated_data)
        return Response(employer_detail_data(employer.pk))


@extend_schema_view(
    get=extend_schema(summary="An employer's contact persons"),
    post=extend_schema(
        summary="Add a contact person",
        request=s.ContactPersonSerializer,
        responses={201: s.ContactPersonSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    ),
)
class EmployerContactsView(EmployerView, generics.ListAPIView):
    """An employer's contact persons, by name. A new one needs a phone number or an e-mail address (400 naming
    `phone` without either): a vacancy names one of them."""

    serializer_class = s.ContactPersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ContactPerson.objects.none()
        return ContactPerson.objects.filter(employer=self.get_employer()).order_by("name", "id")

    def post(self, request, pk: int):
        employer = self.get_employer()
        data = s.ContactPersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_person_save(actor=request.user, employer=employer, **data.validated_data)
        return Response(s.ContactPersonSerializer(contact).data, status=status.HTTP_201_CREATED)


def vacancies_listed():
    """Vacancies with their employer, district, contact person and number of referrals (one query per page)."""
    return employer_selectors.vacancies(status="")


def _vacancy_data(vacancy_id: int) -> dict:
    return s.VacancySerializer(vacancies_listed().get(pk=vacancy_id)).data


@extend_schema_view(
    get=extend_schema(summary="An employer's vacancies (newest first, every status)"),
    post=extend_schema(
        summary="Add a vacancy",
        request=s.VacancyWriteSerializer,
        responses={201: s.VacancySerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    ),
)
class EmployerVacanciesView(EmployerView, generics.ListAPIView):
    """An employer's vacancies, newest first, in every status. A new vacancy is a draft unless `vacancy_status` is
    `open`; opening needs a complete vacancy (400 naming `vacancy_status` with every missing item, nothing saved)."""

    serializer_class = s.VacancySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vacancy.objects.none()
        return vacancies_listed().filter(employer=self.get_employer())

    def post(self, request, pk: int):
        employer = self.get_employer()
        data = s.VacancyWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with named_as(status="vacancy_status"):
            vacancy = vacancy_save(actor=request.user, employer=employer, **data.validated_data)
        return Response(_vacancy_data(vacancy.pk), status=status.HTTP_201_CREATED)


class VacancyReaders:
    """Employer advisers and team leads see every vacancy; caseworkers read the open ones (as the screens)."""

    extra_read_roles = (Role.CASEWORKER,)

    def caseworker_sees(self, vacancy_status: str) -> None:
        if self.request.user.role == Role.CASEWORKER and vacancy_status != VacancyStatus.OPEN:
            raise exceptions.PermissionDenied()


@extend_schema_view(
    get=extend_schema(
        summary="Vacancies (open ones unless asked otherwise), newest first",
        parameters=[s.VacancyListQuerySerializer],
        responses=s.VacancySerializer(many=True),
    ),
)
class VacancyListView(VacancyReaders, EmployerView, generics.ListAPIView):
    """Vacancies, newest first: the open ones by default. Employer advisers and team leads may ask for another
    status; caseworkers read the open vacancies only (another status: 403). Other roles: 403."""

    schema_tag = "vacancies"
    serializer_class = s.VacancySerializer
    query_serializer = s.VacancyListQuerySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vacancy.objects.none()
        query = s.VacancyListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        self.caseworker_sees(params["status"])
        district_id = None
        if params.get("district"):
            district_id = District.objects.filter(code=params["district"]).values_list("pk", flat=True).first()
            if district_id is None:
                raise exceptions.ValidationError(
                    {"district": [_("Onbekende wijk: %(value)s.") % {"value": params["district"]}]}
                )
        return employer_selectors.vacancies(
            status=params["status"], district_id=district_id, text=params.get("q", "").strip()
        )


@extend_schema_view(
    get=extend_schema(summary="One vacancy", responses={200: s.VacancySerializer, 404: NOT_FOUND}),
    patch=extend_schema(
        summary="Change a vacancy, or open, fill or close it",
        request=s.VacancyWriteSerializer,
        responses={200: s.VacancySerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    ),
)
class VacancyDetailView(VacancyReaders, EmployerView):
    """One vacancy with what it still lacks before it can open (`missing`). Caseworkers read open vacancies only
    (another: 403). Changing it (employer advisers and team leads): only the fields sent; `vacancy_status: open` is
    refused while the vacancy is incomplete (400 naming `vacancy_status` with every missing item, nothing saved)."""

    schema_tag = "vacancies"
    serializer_class = s.VacancySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get(self, request, pk: int):
        vacancy = get_object_or_404(vacancies_listed(), pk=pk)
        self.caseworker_sees(vacancy.status)
        return Response(s.VacancySerializer(vacancy).data)

    def patch(self, request, pk: int):
        vacancy = get_object_or_404(Vacancy.objects.select_related("employer"), pk=pk)
        context = {**self.get_serializer_context(), "vacancy": vacancy}
        data = s.VacancyWriteSerializer(data=request.data, partial=True, context=context)
        data.is_valid(raise_exception=True)
        with named_as(status="vacancy_status"):
            vacancy_save(actor=request.user, employer=vacancy.employer, vacancy=vacancy, **data.validated_data)
        return Response(_vacancy_data(vacancy.pk))


@extend_schema_view(
    get=extend_schema(
        summary="The shortlist of an open vacancy: ranked candidates with why and why not",
        parameters=[s.ShortlistQuerySerializer],
        responses={200: s.ShortlistSerializer, 404: NOT_FOUND},
    ),
)
class VacancyShortlistView(EmployerView):
    """For an open vacancy, the clients on benefit and on the route to work who fit it best
    (trede.employers.matching.shortlist): each with the score, its parts and why in words, then the best blocked ones
    with why not (a hard constraint such as an exemption or a health limitation is never overridden by a high score).

    Of each client only the id and the first name with the surname's initial, and the client's caseworker, who
    proposes the client: no BSN, birth date or address. Every client returned is written to the access log (purpose
    `matching`, channel `api`). Employer advisers and team leads only; a vacancy that is not open: 400 naming
    `vacancy_status`."""

    schema_tag = "vacancies"
    serializer_class = s.ShortlistSerializer
    query_serializer = s.ShortlistQuerySerializer

    def get(self, request, pk: int):
        vacancy = get_object_or_404(Vacancy.objects.select_related("employer", "district"), pk=pk)
        query = s.ShortlistQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if vacancy.status != VacancyStatus.OPEN:
            raise exceptions.ValidationError(
                {"vacancy_status": [_("Een kandidatenlijst is er alleen voor een open vacature.")]}
            )
        today = timezone.localdate()
        rows, ranking = matching.shortlist(
            vacancy, today, top=query.validated_data["top"], blocked=query.validated_data["blocked"]
        )
        ids = [row.id for row in rows]
        facts = {
            cid: (first, surname, cw)
            for cid, first, surname, cw in Client.objects.filter(pk__in=ids)
            .annotate(cw=current_caseworker_id())
            .values_list("pk", "first_name", "surname", "cw")
        }
        caseworkers = {u.pk: u for u in User.objects.filter(pk__in={cw for _f, _s, cw in facts.values()} - {None})}
        results = []
        for row in rows:
            first, surname, cw = facts[row.id]
            results.append(
                {
                    "client": {"id": row.id, "short_name": f"{first} {surname[:1]}."},
                    "caseworker": caseworkers.get(cw),
                    **s.explanation_data(row),
                }
            )
        access_log_bulk(
            actor=request.user,
            client_ids=ids,
            purpose=Purpose.MATCHING,
            channel="api",
            path=request.path,
            trace_id=getattr(request, "trace_id", ""),
        )
        data = {
            "vacancy": vacancy,
            "on": today,
            "considered": ranking.considered if ranking is not None else 0,
            "eligible": ranking.eligible if ranking is not None else 0,
            "blocked_by": [
                {"block": code, "count": n} for code, n in (ranking.blocked_by.items() if ranking else ()) if n
            ],
            "results": results,
        }
        return Response(s.ShortlistSerializer(data).data)


@extend_schema_view(
    get=extend_schema(
        summary="Whether placements last: exits to work per employer, instrument or route",
        parameters=[s.DurabilityQuerySerializer],
        responses={200: s.DurabilitySerializer},
    ),
)
class DurabilityView(EmployerView):
    """Exits to work grouped by employer, instrument (the placement's kind) or route, with how many lasted 6 and 12
    months and how many came back on benefit (the revolving door), measured on the benefit data
    (trede.employers.selectors.durability). Groups smaller than `small_group` are suppressed. Employer advisers, team
    leads and policy analysts."""

    schema_tag = "durability"
    serializer_class = s.DurabilitySerializer
    query_serializer = s.DurabilityQuerySerializer
    extra_read_roles = (Role.POLICY_ANALYST,)

    def get(self, request):
        query = s.DurabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        rows = employer_selectors.durability(by=query.validated_data["by"], today=today)
        return Response(s.DurabilitySerializer({"on": today, "small_group": SMALL_GROUP, "rows": rows}).data)


# --------------------------------------------------------------------------------------------------
# Employer services in the dossier: open vacancies for the client, matches, referrals to a vacancy, placements, the
# exit to work and its follow-ups, the work profile


def _pair_score(client: Client, vacancy: Vacancy, on: dt.date) -> tuple[float, dict[str, float]]:
    """The score and its components for one client and one vacancy, as the client's list shows them."""
    rows = list(matching.candidates(on, client_ids=[client.pk], on_benefit_only=False))
    explanation = match_engine.explain(matching.vacancy_arrays([vacancy]), 0, matching.client_arrays(rows), 0)
    return explanation.score, dict(explanation.components)


@extend_schema_view(
    get=extend_schema(
        summary="The open vacancies for the client, best first, with why and why not",
        responses=s.ClientVacancySerializer(many=True),
    ),
)
class ClientVacanciesView(DossierMixin, ApiView, generics.ListAPIView):
    """The open vacancies ranked for this client (trede.employers.matching.vacancies_for): the best 30 by score, then
    every vacancy a hard constraint blocks, with why not (an exemption from the work obligation, work too heavy for
    the client's health, a driving licence, the journey, a hard language requirement, not being on the route to
    work). Each with the score, its parts and why in words, whether a referral is possible (`referable`: not being on
    the route to work does not stop one the caseworker chooses, every other block does) and what was recorded for the
    match so far."""

    schema_tag = "matching"
    serializer_class = s.ClientVacancySerializer

    def list(self, request, *args, **kwargs):
        client = get_object_or_404(Client, pk=self.client_id)
        rows, _ranking = matching.vacancies_for(client, timezone.localdate())
        page = self.paginate_queryset(rows)
        vacancies = Vacancy.objects.select_related("employer").in_bulk([row.id for row in page])
        statuses = dict(Match.objects.filter(client_id=client.pk).values_list("vacancy_id", "status"))
        data = [
            {
                "vacancy": vacancies[row.id],
                "referable": not [code for code in row.explanation.reasons if code != "not_on_work_route"],
                "match_status": statuses.get(row.id),
                **s.explanation_data(row),
            }
            for row in page
        ]
        return self.get_paginated_response(s.ClientVacancySerializer(data, many=True).data)


@_created(s.MatchSerializer, "matches recorded (discussed, proposed, declined), newest first", s.MatchRecordSerializer)
class MatchesView(DossierCollection):
    """What was done with the client's matches: discussed with the client, proposed to the employer, declined (with a
    reason), each with the score and its parts as they were. Recording one again for the same vacancy replaces it. A
    hard constraint is never overridden: `proposed` is refused (400 naming `match_status`) when one blocks the
    client."""

    schema_tag = "matching"
    model = Match
    ordering = ("-on", "-id")
    related = ("vacancy__employer", "by")
    serializer_class = s.MatchSerializer
    input_serializer_class = s.MatchRecordSerializer

    def write(self, client, data):
        score, components = _pair_score(client, data["vacancy"], data["on"])
        with named_as(status="match_status"):
            match = match_record(actor=self.request.user, client=client, score=score, components=components, **data)
        return self.get_queryset().get(pk=match.pk)


def job_referrals_with_events(qs):
    return qs.select_related("vacancy__employer", "created_by").prefetch_related(
        Prefetch("events", queryset=JobReferralEvent.objects.select_related("by").order_by("on", "id"))
    )


@_created(
    s.JobReferralSerializer, "referrals to vacancies (newest first), each with its steps", s.JobReferralCreateSerializer
)
class JobReferralsView(DossierCollection):
    """The client's referrals to vacancies, newest step first, each with every step (ReferralEvent), as on the
    vacancy's and the client's timeline. Referring (trede.employers.services.referral_create): the vacancy must be
    open, and a hard constraint that blocks the client refuses it (400 naming `vacancy`)."""

    schema_tag = "job referrals"
    model = JobReferral
    ordering = ("-status_on", "-id")
    serializer_class = s.JobReferralSerializer
    input_serializer_class = s.JobReferralCreateSerializer

    def get_queryset(self):
        return job_referrals_with_events(super().get_queryset())

    def write(self, client, data):
        referral = job_referral_create(actor=self.request.user, client=client, **data)
        return self.get_queryset().get(pk=referral.pk)


@_action(s.JobReferralMoveSerializer, s.JobReferralSerializer, "Move a referral to a vacancy to its next step")
class JobReferralMoveView(DossierAction):
    """The next step of a referral to a vacancy (trede.employers.rules.TRANSITIONS), on a day not in the future and
    not before the last step; not hired and withdrawn need a `reason`. An illegal step is 400 naming `to`."""

    schema_tag = "job referrals"
    model = JobReferral
    serializer_class = s.JobReferralSerializer
    input_serializer_class = s.JobReferralMoveSerializer

    def get_queryset(self):
        return job_referrals_with_events(super().get_queryset())

    def write(self, record, data):
        job_referral_move(actor=self.request.user, referral=record, **data)
        return self.get_queryset().get(pk=record.pk)


@_created(s.PlacementSerializer, "placements (newest first)", s.PlacementStartSerializer)
class PlacementsView(DossierCollection):
    """The client's placements, newest first. Starting one (trede.employers.services.placement_start) within the
    rules valid on its start date: a trial placement lasts at most 2 months and states the contract intended
    afterwards; a wage subsidy is computed from the assessed wage value (art. 10d, at most 70%; unassessed 50% for at
    most 6 months); a climbing job names its promised training and the date it starts by. A trial placement from a
    referral moves the referral to `trial_placement`."""

    schema_tag = "placements"
    model = Placement
    ordering = ("-start_on", "-id")
    related = ("employer", "vacancy__employer", "created_by")
    serializer_class = s.PlacementSerializer
    input_serializer_class = s.PlacementStartSerializer

    def write(self, client, data):
        placement = placement_start(actor=self.request.user, client=client, **data)
        return self.get_queryset().get(pk=placement.pk)


class PlacementAction(ChangeAction):
    schema_tag = "placements"
    model = Placement
    serializer_class = s.PlacementSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("employer", "vacancy__employer", "created_by")


@_action(s.PlacementExtendSerializer, s.PlacementSerializer, "Extend a trial placement")
class PlacementExtendView(PlacementAction):
    """Extend a trial placement, at most by the legal extension (4 months after its term)."""

    input_serializer_class = s.PlacementExtendSerializer

    def change(self, record, data):
        placement_extend(actor=self.request.user, placement=record, **data)


@_action(s.PlacementTrainingStartedSerializer, s.PlacementSerializer, "Record that a climbing job's training started")
class PlacementTrainingStartedView(PlacementAction):
    """The promised training of a climbing job started (clears `training_missed`)."""

    input_serializer_class = s.PlacementTrainingStartedSerializer

    def change(self, record, data):
        placement_training_started(actor=self.request.user, placement=record, **data)


@_action(s.PlacementEndSerializer, s.PlacementSerializer, "End a placement with its outcome")
class PlacementEndView(PlacementAction):
    """End a placement with its outcome: a contract, or no contract with the reason. A referral it came from moves to
    hired or not hired."""

    input_serializer_class = s.PlacementEndSerializer

    def change(self, record, data):
        placement_end(actor=self.request.user, placement=record, **data)


@_created(s.ExitSerializer, "exits to work (newest first), each with its follow-ups", s.ExitRegisterSerializer)
class ExitsView(DossierCollection):
    """The client's exits to work, each with its follow-ups. Registering one (trede.employers.services.exit_register)
    ends the running benefit period (reason: work), records the job (at least the minimum wage) and plans follow-ups
    at 1, 6 and 12 months."""

    schema_tag = "exits"
    model = Exit
    ordering = ("-exit_on", "-id")
    related = ("employer", "recorded_by")
    serializer_class = s.ExitSerializer
    input_serializer_class = s.ExitRegisterSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("done_by")))
        )

    def write(self, client, data):
        with named_as(end_on="exit_on"):  # ending the benefit period speaks of its end date
            job_exit = exit_register(actor=self.request.user, client=client, **data)
        return self.get_queryset().get(pk=job_exit.pk)


@_action(s.FollowUpRecordSerializer, s.FollowUpSerializer, "Record a follow-up after an exit to work")
class FollowUpRecordView(DossierAction):
    """A follow-up after an exit to work: still working? still off benefit? a job coach needed? Once per follow-up,
    not before the exit and not in the future."""

    schema_tag = "exits"
    model = FollowUp
    serializer_class = s.FollowUpSerializer
    input_serializer_class = s.FollowUpRecordSerializer

    def get_queryset(self):
        qs = FollowUp.objects.select_related("done_by")
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        return qs.filter(exit__client_id=self.client_id)

    def write(self, record, data):
        follow_up_record(actor=self.request.user, follow_up=record, **data)
        return self.get_queryset().get(pk=record.pk)


@_created(s.WorkProfileSerializer, "work profiles (newest first; the first is current)", s.WorkProfileRecordSerializer)
class WorkProfilesView(DossierCollection):
    """What the client has done and wants in work, newest first (the first is the one matching uses): occupations
    with years of experience and preferred occupations as ISCO-08 codes, hours wanted, driving licence. Recording a
    new version keeps the history; an unknown code is 400 naming `experience` or `preferences`."""

    schema_tag = "work profiles"
    model = WorkProfile
    ordering = ("-recorded_on", "-id")
    related = ("recorded_by",)
    serializer_class = s.WorkProfileSerializer
    input_serializer_class = s.WorkProfileRecordSerializer

    def write(self, client, data):
        return work_profile_record(actor=self.request.user, client=client, **data)


# --------------------------------------------------------------------------------------------------
# Sanctions: a case from the breach through the hearing, the culpability assessment and the decision (approved by a
# second person) to the objection and the appeal; the overview for team leads and auditors. The due process is the
# services' (trede.sanctions.services): the API only calls them, so a step out of turn is the same 400 as on screen.


class SanctionCaseAccess:
    """The sanction screens open a case only for those who may write in the dossier: the client's own caseworker and
    a team lead of the team (trede.sanctions.views: dossier_view(Access.WRITE)). So here reading needs write access
    too: a colleague with read access to the dossier is refused (403), and the attempt is in the access log like any
    refused one. Writing is checked by DossierMixin (write access, `write_roles`)."""

    write_roles = (Role.CASEWORKER, Role.TEAM_LEAD)

    def initial(self, request, *args, **kwargs):
        user = request.user  # authenticates; an anonymous caller is refused by the permission check that follows
        client_id = int(kwargs["client_id"])
        if user.is_authenticated and request.method in SAFE_METHODS and client_id <= MAX_ID:
            access, _own = dossier_relation(user, client_id)
            if access == Access.READ:
                stated = request_purpose(request)
                access_log(
                    actor=user,
                    client_id=client_id,
                    purpose=stated if stated in Purpose.values else "",
                    granted=False,
                    channel="api",
                    path=request.path,
                    trace_id=getattr(request, "trace_id", ""),
                )
                raise exceptions.PermissionDenied()
        super().initial(request, *args, **kwargs)


def _steps(case: SanctionCase) -> list[str]:
    """The steps that fit the case now, as the case page offers them."""
    steps: list[str] = []
    hearing = getattr(case, "hearing", None)
    if case.status == CaseStatus.OPEN:
        steps.append("hearing_schedule")
    elif case.status == CaseStatus.HEARING:
        steps.append("hearing_record" if hearing is None or hearing.responded is None else "assessment_record")
    decisions = list(case.decisions.all())
    pending = [d for d in decisions if d.status != SanctionDecisionStatus.SENT]
    if case.status == CaseStatus.ASSESSED and not pending:
        steps.append("decision_propose")
    if any(d.status == SanctionDecisionStatus.DRAFT for d in pending):
        steps.append("decision_approve")
    if any(d.status == SanctionDecisionStatus.APPROVED for d in pending):
        steps.append("decision_send")
    superseded = {d.supersedes_id for d in decisions if d.supersedes_id}
    current = [d for d in decisions if d.status == SanctionDecisionStatus.SENT and d.pk not in superseded]
    objections = [o for d in decisions for o in d.objections.all()]
    if current:
        steps.append("objection_register")
        if any(d.pct and d.months and d.reconsidered_on is None for d in current):
            steps.append("decision_reconsider")
        if not pending and any(d.pct and d.end_on for d in current):
            steps.append("decision_revise")
    if any(not o.outcome for o in objections):
        steps.append("objection_decide")
        if any(not o.outcome and not o.extended for o in objections):
            steps.append("objection_extend")
    if any(o.outcome for o in objections):
        steps.append("appeal_register")
    if any(not a.outcome for o in objections for a in o.appeals.all()):
        steps.append("appeal_decide")
    return steps


def sanction_case_data(case: SanctionCase, today: dt.date) -> dict:
    """One case as the API shows it: the record with the proposal of the rule set (while a decision can be proposed),
    its deadlines (trede.sanctions.rules, each from the rules valid on its own start) and the next steps."""
    rules_by_day: dict[dt.date, object] = {}

    def legal(day: dt.date):
        if day not in rules_by_day:
            rules_by_day[day] = rules_on(day)
        return rules_by_day[day]

    deadlines = []

    def add(kind: str, record: int, deadline) -> None:
        deadlines.append(
            {
                "deadline": kind,
                "record": record,
                "due": deadline.due,
                "source": deadline.source,
                "passed": sanction_rules.overdue(deadline.due, today),
            }
        )

    hearing = getattr(case, "hearing", None)
    if hearing is not None and hearing.responded is None:
        deadlines.append(
            {
                "deadline": "hearing",
                "record": case.pk,
                "due": hearing.respond_by,
                "source": sanction_rules.hearing_deadline(hearing.invited_on, legal(hearing.invited_on)).source,
                "passed": sanction_rules.overdue(hearing.respond_by, today),
            }
        )
    decisions = list(case.decisions.all())
    superseded = {d.supersedes_id for d in decisions if d.supersedes_id}
    for d in decisions:
        d.has_letter = bool(d.letter_size)
        if d.status != SanctionDecisionStatus.SENT or d.pk in superseded:
            continue
        term = sanction_rules.objection_deadline(d.sent_on, legal(d.sent_on))
        if not list(d.objections.all()) and not sanction_rules.overdue(term.due, today):
            add("objection_term", d.pk, term)  # the client's term: shown while it runs
        if d.pct and d.months and d.reconsidered_on is None:
            add("reconsideration", d.pk, sanction_rules.reconsideration_deadline(d.start_on, legal(d.start_on)))
    for d in decisions:
        for o in d.objections.all():
            if not o.outcome:
                deadlines.append(
                    {
                        "deadline": "objection_decision",
                        "record": o.pk,
                        "due": o.decide_by,
                        "source": sanction_rules.objection_decision_deadline(
                            o.term_ends_on, legal(o.term_ends_on), extended=o.extended
                        ).source,
                        "passed": sanction_rules.overdue(o.decide_by, today),
                    }
                )
    proposal = None
    if case.status == CaseStatus.ASSESSED and all(d.status == SanctionDecisionStatus.SENT for d in decisions):
        p = sanction_rules.proposal(case.category, case.breach_number, legal(case.breach_on))
        proposal = {
            "pct": p.pct,
            "months": p.months,
            "text": sanction_rules.period_text(p.pct, p.months),
            "article": p.article,
            "source": p.source,
        }
    case.proposal = proposal
    case.deadlines = sorted(deadlines, key=lambda x: (x["due"], x["deadline"]))
    case.next_steps = _steps(case)
    return s.SanctionCaseSerializer(case).data


def sanction_cases(client_id: int):
    """A client's cases with everything a case shows (as trede.sanctions.selectors.case_detail, and who recorded
    each step), in a constant number of queries; of a decision letter only its size, never its content."""
    return (
        SanctionCase.objects.filter(client_id=client_id)
        .select_related("client", "created_by", "hearing__recorded_by", "assessment__assessed_by")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=SanctionDecision.objects.defer("pdf")
                .annotate(letter_size=Length("pdf"))
                .select_related("decided_by", "approved_by")
                .prefetch_related(
                    Prefetch(
                        "objections",
                        queryset=Objection.objects.select_related("registered_by")
                        .prefetch_related(
                            Prefetch("appeals", queryset=Appeal.objects.select_related("registered_by").order_by("pk"))
                        )
                        .order_by("pk"),
                    )
                )
                .order_by("pk"),
            )
        )
    )


@extend_schema_view(
    get=extend_schema(
        summary="The client's sanction cases (newest breach first)",
        responses=s.SanctionCaseSummarySerializer(many=True),
    ),
    post=extend_schema(
        summary="Open a sanction case from a breach (the prechecks run first)",
        request=s.SanctionCaseOpenSerializer,
        responses={201: s.SanctionCaseSerializer, 400: FIELD_ERRORS},
    ),
)
class SanctionCasesView(SanctionCaseAccess, DossierCollection):
    """The client's sanction cases, newest breach first: each with its stage and breach number.

    Opening one (trede.sanctions.services.case_open): the prechecks run first and are kept with the case. An
    obligation the client was exempt from on the breach date, an obligation not in force, or (where the duty exists
    only in writing) no letter on file stops the case at once: it is recorded with `case_status` `stopped` and the
    reason, and no further step is possible. Health, care duties and urgent reasons are weighed at the hearing.
    Evidence (an appointment, a letter, a referral) must be the client's own. The client's own caseworker and a team
    lead of the team only; a colleague with read access to the dossier gets 403, as on the screens."""

    schema_tag = "sanctions"
    model = SanctionCase
    ordering = ("-breach_on", "-id")
    serializer_class = s.SanctionCaseSummarySerializer
    input_serializer_class = s.SanctionCaseOpenSerializer

    def create(self, request, *args, **kwargs):
        data = s.SanctionCaseOpenSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        case = sanction_services.case_open(actor=request.user, client=self.get_client(), **data.validated_data)
        case = sanction_cases(self.client_id).get(pk=case.pk)
        return Response(sanction_case_data(case, timezone.localdate()), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="One sanction case: checks, hearing, assessment, decisions, objections, deadlines",
        responses={200: s.SanctionCaseSerializer, 404: NOT_FOUND},
    ),
)
class SanctionCaseView(SanctionCaseAccess, DossierMixin, ApiView):
    """One sanction case with what its page shows: the checks kept when it was opened (the facts on the breach date,
    what blocks and what to weigh), the breach number, the hearing with its term, the culpability assessment, every
    decision (oldest first; a sent one never changes, a later one supersedes it) with its objections and appeals,
    the proposal of the rule set valid on the breach date while a decision can be proposed, the terms still running
    or missed (on the working-day calendar) and the next steps trede accepts."""

    schema_tag = "sanctions"
    serializer_class = s.SanctionCaseSerializer

    def get(self, request, client_id: int, pk: int):
        case = get_object_or_404(sanction_cases(client_id), pk=pk)
        return Response(sanction_case_data(case, timezone.localdate()))


class SanctionCaseAction(SanctionCaseAccess, DossierAction):
    """A step of a case (POST …/sanction-cases/{id}/…): the service does it or refuses it (400, nothing saved); the
    answer is the whole case after the step. `part` names the record of the case the step is about (a decision, an
    objection, an appeal: its id in the URL); 404 when the case has no such record."""

    schema_tag = "sanctions"
    model = SanctionCase
    serializer_class = s.SanctionCaseSerializer
    part: str | None = None
    names: dict[str, str] = {}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SanctionCase.objects.none()
        return sanction_cases(self.client_id)

    def record_of(self, case: SanctionCase):
        if self.part is None:
            return case
        wanted = self.kwargs[f"{self.part}_id"]
        decisions = list(case.decisions.all())
        found = {
            "decision": decisions,
            "objection": [o for d in decisions for o in d.objections.all()],
            "appeal": [a for d in decisions for o in d.objections.all() for a in o.appeals.all()],
        }[self.part]
        record = next((r for r in found if r.pk == wanted), None)
        if record is None:
            raise exceptions.NotFound()
        return record

    def post(self, request, *args, **kwargs):
        case = self.get_object()
        record = self.record_of(case)
        data = self.input_serializer_class(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with named_as(**self.names):
            self.step(record, dict(data.validated_data))
        case = self.get_queryset().get(pk=case.pk)
        return Response(sanction_case_data(case, timezone.localdate()))

    def step(self, record, data: dict) -> None:
        """Each step names the service that does it (an abstract hook, not a stub)."""
        raise TypeError(f"{type(self).__name__} must define step(record, data)")


@_action(s.SanctionHearingScheduleSerializer, s.SanctionCaseSerializer, "Invite the client to give their view")
class SanctionHearingScheduleView(SanctionCaseAction):
    """Record that the client was invited to give their view before a decision (Awb 4:8); the answer term follows
    from the rule set valid on the day of the invitation. Only for an open case, not before the breach."""

    input_serializer_class = s.SanctionHearingScheduleSerializer

    def step(self, case, data):
        sanction_services.hearing_schedule(actor=self.request.user, case=case, **data)


@_action(s.SanctionHearingRecordSerializer, s.SanctionCaseSerializer, "Record the client's view, or that none came")
class SanctionHearingRecordView(SanctionCaseAction):
    """The client's view (`responded: true` with the `statement`), or that they did not respond: only once the term
    has passed (400 naming `responded` before)."""

    input_serializer_class = s.SanctionHearingRecordSerializer

    def step(self, case, data):
        sanction_services.hearing_record(actor=self.request.user, case=case, **data)


@_action(s.SanctionAssessmentRecordSerializer, s.SanctionCaseSerializer, "Record the culpability assessment")
class SanctionAssessmentView(SanctionCaseAction):
    """The culpability assessment (art. 18 lid 9), mandatory and with its reasoning, after the hearing was recorded.
    Not culpable (`none`) closes the case without a sanction, and that is recorded."""

    input_serializer_class = s.SanctionAssessmentRecordSerializer

    def step(self, case, data):
        sanction_services.assessment_record(actor=self.request.user, case=case, **data)


@_action(s.SanctionDecisionProposeSerializer, s.SanctionCaseSerializer, "Propose the decision (a draft)")
class SanctionDecisionProposeView(SanctionCaseAction):
    """The decision as a draft, after the hearing and a culpable finding: the proposal of the rule set valid on the
    breach date, or lower (art. 18 lid 10: `pct` and/or `months` below the proposal, with `lowered_reason`); never
    higher. The reduction in euros per month follows from the benefit norm. It waits for a second person."""

    input_serializer_class = s.SanctionDecisionProposeSerializer
    names = {"reason": "lowered_reason"}

    def step(self, case, data):
        sanction_services.decision_propose(actor=self.request.user, case=case, **data)


@_action(s.SanctionDecisionApproveSerializer, s.SanctionCaseSerializer, "Approve a draft decision (team lead)")
class SanctionDecisionApproveView(SanctionCaseAction):
    """A second person approves a draft decision: a team lead of the client's team who did not propose it (other
    roles: 403; the one who proposed it, or a decision no longer a draft: 400)."""

    input_serializer_class = s.SanctionDecisionApproveSerializer
    part = "decision"
    write_roles = (Role.TEAM_LEAD,)

    def step(self, decision, data):
        sanction_services.decision_approve(actor=self.request.user, decision=decision)


@_action(s.SanctionDecisionSendSerializer, s.SanctionCaseSerializer, "Send an approved decision with its letter")
class SanctionDecisionSendView(SanctionCaseAction):
    """Send an approved decision: the decision letter (PDF, plain Dutch: the facts, the culpability reasoning, the
    reduction in euros per month, the period and how to object within the term) is made and kept with it. From then
    on the decision never changes; only a new decision (objection outcome, revision) can follow it."""

    input_serializer_class = s.SanctionDecisionSendSerializer
    part = "decision"

    def step(self, decision, data):
        sent_on = data["sent_on"]
        pdf = None
        if decision.status == SanctionDecisionStatus.APPROVED and sent_on <= timezone.localdate():
            pdf = sanction_letters.decision_pdf(decision, sent_on=sent_on)  # the service refuses the others
        sanction_services.decision_send(actor=self.request.user, decision=decision, sent_on=sent_on, pdf=pdf)


@_action(s.SanctionDecisionReconsiderSerializer, s.SanctionCaseSerializer, "Record the reconsideration of a reduction")
class SanctionDecisionReconsiderView(SanctionCaseAction):
    """Record that a sent reduction was reconsidered (art. 18 lid 3, within 3 months) and what was found; once per
    decision. A different outcome is a new decision."""

    input_serializer_class = s.SanctionDecisionReconsiderSerializer
    part = "decision"

    def step(self, decision, data):
        sanction_services.decision_reconsider(actor=self.request.user, decision=decision, **data)


@_action(
    s.SanctionDecisionReviseSerializer, s.SanctionCaseSerializer, "Revise a reduction once the client complies again"
)
class SanctionDecisionReviseView(SanctionCaseAction):
    """Revision on the client's request once they comply again (art. 18 lid 11): a new draft decision that ends the
    reduction on the day before `complies_on`, with the reason. Like every decision a second person approves it and
    it is then sent; the old decision is never edited. Only the newest sent decision with a reduction."""

    input_serializer_class = s.SanctionDecisionReviseSerializer
    part = "decision"

    def step(self, decision, data):
        sanction_services.decision_revise(actor=self.request.user, decision=decision, **data)


@_action(s.SanctionObjectionRegisterSerializer, s.SanctionCaseSerializer, "Register an objection against a decision")
class SanctionObjectionRegisterView(SanctionCaseAction):
    """Register an objection (bezwaar) against a sent decision, with its terms (Awb 6:7, 6:8, 7:10). One received
    after the term is registered and marked late (Awb 6:11)."""

    input_serializer_class = s.SanctionObjectionRegisterSerializer
    part = "decision"

    def step(self, decision, data):
        sanction_services.objection_register(actor=self.request.user, decision=decision, **data)


@_action(s.SanctionObjectionDecideSerializer, s.SanctionCaseSerializer, "Decide on an objection")
class SanctionObjectionDecideView(SanctionCaseAction):
    """The decision on an objection. `upheld`: a new decision without a reduction; `partly`: a new, lower one (`pct`
    and `months`, never higher than the old); `rejected` or `withdrawn`: the decision stands. The old decision is never
    edited; a new one is a draft that a second person approves and that is then sent."""

    input_serializer_class = s.SanctionObjectionDecideSerializer
    part = "objection"
    names = {"outcome": "objection_outcome"}

    def step(self, objection, data):
        sanction_services.objection_decide(actor=self.request.user, objection=objection, **data)


@_action(s.SanctionObjectionExtendSerializer, s.SanctionCaseSerializer, "Extend the decision term of an objection")
class SanctionObjectionExtendView(SanctionCaseAction):
    """Extend the term to decide on an objection, once and before the decision (Awb 7:10 lid 3)."""

    input_serializer_class = s.SanctionObjectionExtendSerializer
    part = "objection"

    def step(self, objection, data):
        sanction_services.objection_extend(actor=self.request.user, objection=objection)


@_action(s.SanctionAppealRegisterSerializer, s.SanctionCaseSerializer, "Register an appeal to the court")
class SanctionAppealRegisterView(SanctionCaseAction):
    """Register an appeal (beroep) against the decision on an objection, once that decision was taken."""

    input_serializer_class = s.SanctionAppealRegisterSerializer
    part = "objection"

    def step(self, objection, data):
        sanction_services.appeal_register(actor=self.request.user, objection=objection, **data)


@_action(s.SanctionAppealDecideSerializer, s.SanctionCaseSerializer, "Record the court's judgment on an appeal")
class SanctionAppealDecideView(SanctionCaseAction):
    """Record the court's judgment on an appeal, once."""

    input_serializer_class = s.SanctionAppealDecideSerializer
    part = "appeal"
    names = {"outcome": "appeal_outcome"}

    def step(self, appeal, data):
        sanction_services.appeal_decide(actor=self.request.user, appeal=appeal, **data)


class HasSanctionOverviewRole(BasePermission):
    """The sanction overview, as the screen (trede.sanctions.views.overview): team leads and auditors."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in (Role.TEAM_LEAD, Role.AUDITOR))


@extend_schema_view(
    get=extend_schema(
        summary="Sanction cases by stage, culpability and group (team leads and auditors)",
        responses={200: s.SanctionOverviewSerializer},
    ),
)
class SanctionOverviewView(ApiView):
    """The cases opened in the last 12 months by stage and by culpability finding, and per group (gender, age band,
    household, district) the cases and reductions per 100 clients on benefit, so that disproportionate sanctioning
    shows (trede.sanctions.selectors.overview). Groups and counts under `small_group` are hidden (null). Aggregates
    only: no client in the answer, so nothing in the access log. Team leads and auditors (other roles: 403)."""

    schema_tag = "sanctions"
    permission_classes = [HasSanctionOverviewRole]
    serializer_class = s.SanctionOverviewSerializer

    def get(self, request):
        today = timezone.localdate()
        data = sanction_selectors.overview(today)
        status_of = {str(label): value for value, label in CaseStatus.choices}
        data = {
            "on": today,
            "since": data["since"],
            "small_group": data["threshold"],
            "by_stage": [{"case_status": status_of[str(label)], "cases": n} for label, n in data["by_stage"]],
            "by_finding": [
                {"finding": finding or None, "cases": n}
                for finding, n in sorted(data["by_finding"].items(), key=lambda kv: kv[0] or "")
            ],
            "total": data["total"],
            "rows": data["rows"],
        }
        return Response(s.SanctionOverviewSerializer(data).data)
