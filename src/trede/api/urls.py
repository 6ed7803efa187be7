"""/api/v1/: the REST API (see trede.api.views) and its OpenAPI 3 schema (for signed-in users and tokens only)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from trede.api import views

app_name = "api"

client = "clients/<int:client_id>/"
case = f"{client}sanction-cases/<int:pk>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("me/", views.MeView.as_view(), name="me"),
    path("districts/", views.DistrictListView.as_view(), name="districts"),
    path("team/caseworkers/", views.TeamCaseworkersView.as_view(), name="team-caseworkers"),
    path("clients/", views.ClientListView.as_view(), name="clients"),
    path("clients/search/", views.ClientSearchView.as_view(), name="client-search"),
    path(client, views.ClientDetailView.as_view(), name="client"),
    path(f"{client}household/", views.HouseholdView.as_view(), name="household"),
    path(f"{client}household/members/", views.HouseholdMembersView.as_view(), name="household-members"),
    path(f"{client}benefit-periods/", views.BenefitPeriodsView.as_view(), name="benefit-periods"),
    path(f"{client}benefit-periods/<int:pk>/end/", views.BenefitPeriodEndView.as_view(), name="benefit-period-end"),
    path(f"{client}circumstances/", views.CircumstancesView.as_view(), name="circumstances"),
    path(f"{client}ladder-measurements/", views.LadderMeasurementsView.as_view(), name="ladder-measurements"),
    path(f"{client}exemptions/", views.ExemptionsView.as_view(), name="exemptions"),
    path(f"{client}exemptions/<int:pk>/end/", views.ExemptionEndView.as_view(), name="exemption-end"),
    path(f"{client}contacts/", views.ContactsView.as_view(), name="contacts"),
    path(f"{client}action-items/", views.ActionItemsView.as_view(), name="action-items"),
    path(
        f"{client}action-items/<int:pk>/complete/", views.ActionItemCompleteView.as_view(), name="action-item-complete"
    ),
    path(f"{client}assignments/", views.AssignmentsView.as_view(), name="assignments"),
    path(f"{client}assessments/", views.AssessmentsView.as_view(), name="assessments"),
    path(f"{client}assessments/dossier-answers/", views.DossierAnswersView.as_view(), name="dossier-answers"),
    path(f"{client}route-decisions/", views.RouteDecisionsView.as_view(), name="route-decisions"),
    path(f"{client}route-decisions/<int:pk>/confirm/", views.RouteConfirmView.as_view(), name="route-decision-confirm"),
    path(f"{client}route-decisions/<int:pk>/decline/", views.RouteDeclineView.as_view(), name="route-decision-decline"),
    path(f"{client}referrals/", views.ReferralsView.as_view(), name="referrals"),
    path(f"{client}referrals/<int:pk>/move/", views.ReferralMoveView.as_view(), name="referral-move"),
    path(f"{client}participations/", views.ParticipationsView.as_view(), name="participations"),
    path(
        f"{client}participations/<int:pk>/follow-up/",
        views.ParticipationFollowUpView.as_view(),
        name="participation-follow-up",
    ),
    path(f"{client}participations/<int:pk>/end/", views.ParticipationEndView.as_view(), name="participation-end"),
    path(
        f"{client}participations/<int:pk>/next-step/",
        views.ParticipationNextStepView.as_view(),
        name="participation-next-step",
    ),
    path(f"{client}tegenprestatie/", views.TegenprestatieView.as_view(), name="tegenprestatie"),
    path(f"{client}vacancies/", views.ClientVacanciesView.as_view(), name="client-vacancies"),
    path(f"{client}matches/", views.MatchesView.as_view(), name="matches"),
    path(f"{client}job-referrals/", views.JobReferralsView.as_view(), name="job-referrals"),
    path(f"{client}job-referrals/<int:pk>/move/", views.JobReferralMoveView.as_view(), name="job-referral-move"),
    path(f"{client}placements/", views.PlacementsView.as_view(), name="placements"),
    path(f"{client}placements/<int:pk>/extend/", views.PlacementExtendView.as_view(), name="placement-extend"),
    path(
        f"{client}placements/<int:pk>/training-started/",
        views.PlacementTrainingStartedView.as_view(),
        name="placement-training-started",
    ),
    path(f"{client}placements/<int:pk>/end/", views.PlacementEndView.as_view(), name="placement-end"),
    path(f"{client}exits/", views.ExitsView.as_view(), name="exits"),
    path(f"{client}follow-ups/<int:pk>/record/", views.FollowUpRecordView.as_view(), name="follow-up-record"),
    path(f"{client}work-profiles/", views.WorkProfilesView.as_view(), name="work-profiles"),
    path(f"{client}sanction-cases/", views.SanctionCasesView.as_view(), name="sanction-cases"),
    path(case, views.SanctionCaseView.as_view(), name="sanction-case"),
    path(f"{case}hearing/", views.SanctionHearingScheduleView.as_view(), name="sanction-hearing-schedule"),
    path(f"{case}hearing/record/", views.SanctionHearingRecordView.as_view(), name="sanction-hearing-record"),
    path(f"{case}assessment/", views.SanctionAssessmentView.as_view(), name="sanction-assessment"),
    path(f"{case}decisions/", views.SanctionDecisionProposeView.as_view(), name="sanction-decision-propose"),
    path(
        f"{case}decisions/<int:decision_id>/approve/",
        views.SanctionDecisionApproveView.as_view(),
        name="sanction-decision-approve",
    ),
    path(
        f"{case}decisions/<int:decision_id>/send/",
        views.SanctionDecisionSendView.as_view(),
        name="sanction-decision-send",
    ),
    path(
        f"{case}decisions/<int:decision_id>/reconsider/",
        views.SanctionDecisionReconsiderView.as_view(),
        name="sanction-decision-reconsider",
    ),
    path(
        f"{case}decisions/<int:decision_id>/revise/",
        views.SanctionDecisionReviseView.as_view(),
        name="sanction-decision-revise",
    ),
    path(
        f"{case}decisions/<int:decision_id>/objections/",
        views.SanctionObjectionRegisterView.as_view(),
        name="sanction-objection-register",
    ),
    path(
        f"{case}objections/<int:objection_id>/decide/",
        views.SanctionObjectionDecideView.as_view(),
        name="sanction-objection-decide",
    ),
    path(
        f"{case}objections/<int:objection_id>/extend/",
        views.SanctionObjectionExtendView.as_view(),
        name="sanction-objection-extend",
    ),
    path(
        f"{case}objections/<int:objection_id>/appeals/",
        views.SanctionAppealRegisterView.as_view(),
        name="sanction-appeal-register",
    ),
    path(
        f"{case}appeals/<int:appeal_id>/decide/",
        views.SanctionAppealDecideView.as_view(),
        name="sanction-appeal-decide",
    ),
    path("sanctions/overview/", views.SanctionOverviewView.as_view(), name="sanctions-overview"),
    path("activities/", views.ActivityListView.as_view(), name="activities"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity"),
    path("provider/referrals/", views.ProviderReferralListView.as_view(), name="provider-referrals"),
    path("provider/referrals/<int:pk>/move/", views.ProviderReferralMoveView.as_view(), name="provider-referral-move"),
    path("employers/", views.EmployerListView.as_view(), name="employers"),
    path("employers/<int:pk>/", views.EmployerDetailView.as_view(), name="employer"),
    path("employers/<int:pk>/contacts/", views.EmployerContactsView.as_view(), name="employer-contacts"),
    path("employers/<int:pk>/vacancies/", views.EmployerVacanciesView.as_view(), name="employer-vacancies"),
    path("vacancies/", views.VacancyListView.as_view(), name="vacancies"),
    path("vacancies/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy"),
    path("vacancies/<int:pk>/shortlist/", views.VacancyShortlistView.as_view(), name="vacancy-shortlist"),
    path("durability/", views.DurabilityView.as_view(), name="durability"),
]
