"""The intake pages as a caseworker, a team lead, a policy analyst and a functional administrator use them: the
intake form pre-filled from the dossier, the estimate with its explanation, the route decision with the brake
on less help, the team lead's confirmation, and the model page with its import, activation and download."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.intake.test_services import (
    awaiting_decision,
    fitted_parameters,
    model_file,
    publish_local,
    stored_model,
    with_dossier,
)
from trede.clients.models import Client
from trede.intake import selectors
from trede.intake.models import Assessment, DecisionStatus, ModelStatus, ModelVersion, RouteDecision
from trede.intake.rules import ASKED, effect_text, factor_label
from trede.intake.services import assessment_record, model_import, model_train, route_decide
from trede.obligations.selectors import open_obligation_kinds
from trede.stats.fairness import MIN_GROUP

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def nl(template: str, **context) -> str:
    """How the (Dutch) pages render a value, e.g. nl('{{ v|floatformat:2 }}', v=0.5) -> '0,50'."""
    with translation.override("nl"):
        return Template(template).render(Context(context))


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


def post_data(form_initial: dict, **changes) -> dict:
    """What a browser submits for the intake form: the pre-filled answers, with `changes`."""
    data = {"assessed_on": form_initial["assessed_on"].isoformat()}
    for f in ASKED:
        value, on = form_initial.get(f), form_initial.get(f"{f}_on")
        data[f] = "" if value is None else str(value)
        data[f"{f}_on"] = on.isoformat() if on else ""
    return data | changes


# --------------------------------------------------------------------------------------------------
# (1) The intake form: pre-filled from the dossier, "Onbekend" stays missing


def test_the_intake_form_is_prefilled_from_the_dossier_with_each_answers_date(client, caseworker, make_client, today):
    patient = with_dossier(
        make_client, caseworker, today, recorded_days=100, ladder_step=4, education="high", debts="some"
    )
    client.force_login(caseworker)
    response = client.get(reverse("intake-start", args=[patient.pk]))
    page = html(response)
    recorded, measured = today - dt.timedelta(days=100), today - dt.timedelta(days=95)
    dossier = selectors.dossier_answers(patient, today)
    initial = response.context["form"].initial
    for f in ASKED:
        assert initial[f] == dossier[f]["value"] and initial[f"{f}_on"] == dossier[f]["on"], f
    assert (initial["education"], initial["education_on"]) == ("high", recorded)
    assert (initial["ladder_step"], initial["ladder_step_on"]) == (4, measured)
    assert selected(page, "education") == ["high"]
    assert selected(page, "debts") == ["some"]
    assert selected(page, "ladder_step") == ["4"]
    assert selected(page, "worked_last_2_years") == ["1"] and selected(page, "care_duties") == ["0"]
    assert 'value="6"' in input_tag(page, "work_experience_years")
    assert f'value="{recorded.isoformat()}"' in input_tag(page, "education_on")
    assert f'value="{measured.isoformat()}"' in input_tag(page, "ladder_step_on")
    assert f'value="{today.isoformat()}"' in input_tag(page, "assessed_on")
    # age and time on benefit are shown from the dossier, not asked
    assert "age" not in response.context["form"].fields
    assert "Er is geen model in gebruik" in page


def test_an_unknown_answer_stays_missing_and_is_listed_on_the_assessment_page(
    client, caseworker, administrator, make_client, today
):
    stored_model(administrator)
    patient = with_dossier(make_client, caseworker, today)
    client.force_login(caseworker)
    url = reverse("intake-start", args=[patient.pk])
    initial = client.get(url).context["form"].initial
    response = client.post(url, post_data(initial, dutch_level="", dutch_level_on="", social="", social_on=""))
    assessment = Assessment.objects.get(client=patient)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-detail", args=[patient.pk, assessment.pk])
    assert assessment.answers["dutch_level"]["value"] is None and assessment.answers["social"]["value"] is None
    assert assessment.answers["education"] == {
        "value": "middle",
        "on": initial["education_on"].isoformat(),
        "source": "intake",
    }
    assert assessment.estimate is None and assessment.model_version is None

    page = html(client.get(response["Location"]))
    assert "De intake is vastgelegd." in page
    assert "Geen schatting." in page
    missing = re.search(r"Deze antwoorden ontbreken: ([^.]*)\.", page)
    assert missing and set(missing.group(1).split(", ")) == {
        factor_label("dutch_level"),
        factor_label("social"),
    }
    assert page.count('class="missing"') == 2
    assert "Ongeveer" not in page


def test_an_answer_without_its_date_is_refused_beside_the_field_and_nothing_is_saved(
    client, caseworker, make_client, today
):
    patient = with_dossier(make_client, caseworker, today)
    client.force_login(caseworker)
    url = reverse("intake-start", args=[patient.pk])
    initial = client.get(url).context["form"].initial
    response = client.post(url, post_data(initial, health_on=""))
    assert response.status_code == 200
    assert response.context["form"].errors["health_on"] == ["Vul de datum van dit antwoord in."]
    late = (today + dt.timedelta(days=1)).isoformat()
    response = client.post(url, post_data(initial, debts_on=late))
    assert "debts_on" in response.context["form"].errors
    assert not Assessment.objects.exists()


# --------------------------------------------------------------------------------------------------
# (2) With an active model: the estimate and its explanation on the page


def test_the_assessment_page_shows_the_estimate_and_the_months_per_answer(
    client, caseworker, administrator, make_client, today
):
    version = stored_model(administrator)
    patient = with_dossier(make_client, caseworker, today)
    client.force_login(caseworker)
    url = reverse("intake-start", args=[patient.pk])
    form_page = client.get(url)
    assert "Er is geen model in gebruik" not in html(form_page)
    response = client.post(url, post_data(form_page.context["form"].initial))
    assessment = Assessment.objects.get(client=patient)
    assert assessment.model_version == version
    est = assessment.estimate
    page = html(client.get(response["Location"]))

    median = nl("{{ v|floatformat:0 }}", v=est["median"])
    lo, hi = (nl("{{ v|floatformat:0 }}", v=b) for b in est["median_band"])
    assert f"Ongeveer {median} maanden (waarschijnlijk tussen {lo} en {hi})" in page
    for h in ("6", "12", "24"):
        p = nl("{% widthratio v 1 100 %}", v=est["p_work"][h])
        band = [nl("{% widthratio v 1 100 %}", v=b) for b in est["p_band"][h]]
        assert f"<td>{h} maanden</td><td>{p}%</td><td>{band[0]}% – {band[1]}%</td>" in page
    effects = {e["factor"]: e["months"] for e in est["effects"]}
    for factor, months in effects.items():
        assert effect_text(factor, months) in page
    worked = round(effects["worked_last_2_years"])
    assert worked < 0
    assert f"Werkervaring in de laatste 2 jaar: {worked:+d} maanden" in page
    assert f"Model {version.number}." in page
    advised = "Traject naar werk" if est["median"] <= 24 else "Activering en participatie"
    assert f'<p class="big">{advised}</p>' in page


def test_an_estimate_beyond_the_history_is_not_shown_as_a_number(client, caseworker, administrator, make_client, today):
    stored_model(administrator, training={"followup_months": 2.0})
    patient = with_dossier(make_client, caseworker, today)
    assessment = assessment_record(
        actor=caseworker, client=patient, assessed_on=today, answers=selectors.dossier_answers(patient, today)
    )
    assert assessment.estimate["median"] > 2
    client.force_login(caseworker)
    page = html(client.get(reverse("assessment-detail", args=[patient.pk, assessment.pk])))
    assert "Langer dan 2 maanden" in page and "Ongeveer" not in page


# --------------------------------------------------------------------------------------------------
# (3)/(4) Without a model; the dated threshold on the page


def test_without_a_model_the_intake_works_without_estimate_or_advice(client, caseworker, make_client, today):
    patient = with_dossier(make_client, caseworker, today)
    client.force_login(caseworker)
    url = reverse("intake-start", args=[patient.pk])
    initial = client.get(url).context["form"].initial
    response = client.post(url, post_data(initial))
    assessment = Assessment.objects.get(client=patient)
    assert response.status_code == 302 and assessment.estimate is None and assessment.advised_route == ""
    page = html(client.get(response["Location"]))
    assert "Geen schatting." in page and "Er was geen model in gebruik." in page
    assert "Geen advies" in page
    assert "Deze antwoorden ontbreken" not in page


def test_the_page_names_the_threshold_of_the_rules_valid_on_the_intake_day(client, caseworker, make_client, today):
    patient = with_dossier(make_client, caseworker, today, recorded_days=150)
    publish_local(today - dt.timedelta(days=30), route_threshold_months=18)
    early, late = (
        assessment_record(
            actor=caseworker, client=patient, assessed_on=day, answers=selectors.dossier_answers(patient, day)
        )
        for day in (today - dt.timedelta(days=60), today)
    )
    client.force_login(caseworker)
    early_page = html(client.get(reverse("assessment-detail", args=[patient.pk, early.pk])))
    late_page = html(client.get(reverse("assessment-detail", args=[patient.pk, late.pk])))
    assert "Grens volgens de regelset: 24 maanden" in early_page
    assert "Grens volgens de regelset: 18 maanden" in late_page


# --------------------------------------------------------------------------------------------------
# (5)/(6) Deciding the route on the assessment page; the team lead's confirmation


@pytest.fixture
def young(make_client, caseworker, today):
    """A client of 22 (advice: the youth route) with an intake."""
    patient = with_dossier(make_client, caseworker, today, birth_date=today.replace(year=today.year - 22))
    assessment = assessment_record(
        actor=caseworker, client=patient, assessed_on=today, answers=selectors.dossier_answers(patient, today)
    )
    assert assessment.advised_route == "youth"
    return assessment


def decide(django_client, assessment: Assessment, today, route: str, reason: str = ""):
    url = reverse("assessment-detail", args=[assessment.client_id, assessment.pk])
    return django_client.post(url, {"route": route, "reason": reason, "decided_on": today.isoformat()})


def test_a_route_other_than_the_advice_without_a_reason_is_refused_on_the_form(client, caseworker, young, today):
    client.force_login(caseworker)
    page = html(client.get(reverse("assessment-detail", args=[young.client_id, young.pk])))
    assert re.search(r'value="youth" id="route-youth" checked', page)
    response = decide(client, young, today, "work", reason="   ")
    page = html(response)
    assert response.context["form"].errors["reason"] == ["Schrijf op waarom u afwijkt van het advies."]
    assert "Schrijf op waarom u afwijkt van het advies." in page
    assert not RouteDecision.objects.exists()
    assert not open_obligation_kinds(young.client_id)


def test_following_the_advice_takes_effect_at_once(client, caseworker, young, today):
    client.force_login(caseworker)
    response = decide(client, young, today, "youth")
    assert response.status_code == 302 and response["Location"] == reverse("client-dossier", args=[young.client_id])
    decision = RouteDecision.objects.get()
    assert (decision.status, decision.route, decision.assessment) == (DecisionStatus.IN_FORCE, "youth", young)
    assert open_obligation_kinds(young.client_id) == {"work_obligation"}
    assert "De route is vastgelegd." in html(client.get(response["Location"]))


def test_less_help_waits_for_a_team_lead_who_confirms_on_the_review_page(client, caseworker, team_lead, young, today):
    client.force_login(caseworker)
    response = decide(client, young, today, "participation", reason="Eerst de schulden regelen")
    decision = RouteDecision.objects.get()
    assert decision.status == DecisionStatus.AWAITING and not open_obligation_kinds(young.client_id)
    dossier = html(client.get(response["Location"]))
    assert "minder hulp dan geadviseerd" in dossier
    assert "wacht op bevestiging door een teamleider" in dossier
    # while it waits the assessment page offers no second decision, and a POST saves nothing
    assessment_url = reverse("assessment-detail", args=[young.client_id, young.pk])
    page = html(client.get(assessment_url))
    assert 'name="route"' not in page and "wacht op bevestiging door een teamleider" in page
    refused = decide(client, young, today, "youth")
    assert refused.status_code == 302 and RouteDecision.objects.count() == 1

    client.force_login(team_lead)
    awaiting = html(client.get(reverse("route-awaiting")))
    review_url = reverse("route-review", args=[young.client_id, decision.pk])
    assert review_url in awaiting and "Eerst de schulden regelen" in awaiting
    review = html(client.get(review_url))
    assert 'name="outcome"' in review and "U nam dit besluit zelf" not in review
    declined_without_note = client.post(review_url, {"outcome": "decline", "note": ""})
    assert "Schrijf op waarom u dit besluit niet bevestigt." in html(declined_without_note)
    assert RouteDecision.objects.get().status == DecisionStatus.AWAITING

    confirmed = client.post(review_url, {"outcome": "confirm", "note": "Akkoord"})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("route-awaiting")
    decision.refresh_from_db()
    assert (decision.status, decision.confirmed_by, decision.confirmation_note) == (
        DecisionStatus.IN_FORCE,
        team_lead,
        "Akkoord",
    )
    assert open_obligation_kinds(young.client_id) == {"cooperation"}
    assert Client.objects.get(pk=young.client_id).next_review_on == decision.review_on
    after = html(client.get(confirmed["Location"]))
    assert "Uw besluit over de route is vastgelegd." in after and review_url not in after
    assert 'name="outcome"' not in html(client.get(review_url))


def test_a_team_lead_cannot_confirm_his_own_decision_on_the_review_page(
    client, team_lead, make_client, caseworker, today
):
    patient = make_client(caseworker)
    decision = awaiting_decision(team_lead, patient, today)
    client.force_login(team_lead)
    url = reverse("route-review", args=[patient.pk, decision.pk])
    assert "U nam dit besluit zelf" in html(client.get(url))
    page = html(client.post(url, {"outcome": "confirm", "note": ""}))
    assert "Een tweede persoon bevestigt" in page
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING and decision.confirmed_by is None


def test_a_colleague_reading_the_assessment_cannot_decide(client, colleague, young, today):
    client.force_login(colleague)
    url = reverse("assessment-detail", args=[young.client_id, young.pk])
    client.post(f"{reverse('client-purpose', args=[young.client_id])}?next={url}", {"purpose": "substitution"})
    page = html(client.get(url))
    assert 'name="route"' not in page and "U kunt dit dossier alleen lezen." in page
    assert decide(client, young, today, "youth").status_code == 403
    assert not RouteDecision.objects.exists()


# --------------------------------------------------------------------------------------------------
# (8) The dossier shows the route


def test_the_dossier_shows_the_route_and_its_confirmation(client, caseworker, team_lead, make_client, today):
    from trede.intake.services import route_confirm

    patient = make_client(caseworker)
    decision = awaiting_decision(caseworker, patient, today, reason="Eerst de schulden regelen")
    client.force_login(caseworker)
    page = html(client.get(reverse("client-dossier", args=[patient.pk])))
    assert "Route gekozen: Traject naar werk" in page and "Route gekozen: Activering en participatie" in page
    assert "Besluit “Activering en participatie” wacht op bevestiging door een teamleider." in page
    route_confirm(actor=team_lead, decision=decision, note="Akkoord")
    page = html(client.get(reverse("client-dossier", args=[patient.pk])))
    assert '<p class="big">Activering en participatie</p>' in page
    assert f"Bevestigd door {team_lead}." in page
    assert "Routebesluit bevestigd door teamleider" in page
    assert "wacht op bevestiging" not in page


# --------------------------------------------------------------------------------------------------
# (11) The team lead's list: the own team only


def test_the_team_leads_list_shows_the_waiting_decisions_of_the_own_team_only(
    client, caseworker, outsider, team_lead, make_user, other_team, make_client, district_north, today
):
    mine = make_client(caseworker, surname="Binnenteam")
    theirs = make_client(outsider, district_obj=district_north, surname="Buitenteam")
    settled = make_client(caseworker, surname="Alvastgeregeld")
    awaiting_decision(caseworker, mine, today)
    awaiting_decision(outsider, theirs, today)
    route_decide(actor=caseworker, client=settled, route="work", reason="", decided_on=today)
    other_lead = make_user("team_lead", "otto", other_team)

    client.force_login(team_lead)
    page = html(client.get(reverse("route-awaiting")))
    assert "Binnenteam" in page and "Buitenteam" not in page and "Alvastgeregeld" not in page
    assert "1 besluit wacht" in page
    client.force_login(other_lead)
    page = html(client.get(reverse("route-awaiting")))
    assert "Buitenteam" in page and "Binnenteam" not in page
    decision = RouteDecision.objects.get(client=mine, status=DecisionStatus.AWAITING)
    assert client.get(reverse("route-review", args=[mine.pk, decision.pk])).status_code == 403


# --------------------------------------------------------------------------------------------------
# (10) The model page; import, activation, download


@pytest.fixture
def trained(shipped_rules, today):
    """A version trained on a generated municipality's history (no districts or teams may exist before)."""
    from trede.synth.generator import Spec
    from trede.synth.loader import synth_load

    synth_load(Spec(clients=800, seed=5, today=today, caseload_norm=350), progress=False)
    return model_train(actor=None, today=today, seed=4)


def fairness_row(page: str, attribute_label: str, group_label: str) -> str:
    cells = rf"<td>{re.escape(escape(attribute_label))}</td><td>{re.escape(escape(group_label))}</td>(.*?)</tr>"
    match = re.search(cells, page, re.S)
    assert match, (attribute_label, group_label)
    return match.group(1)


def test_the_model_page_shows_training_accuracy_and_fairness_with_small_groups_suppressed(client, analyst, trained):
    from trede.intake.views import group_label

    client.force_login(analyst)
    page = html(client.get(reverse("model")))
    t, a, f = trained.training, trained.accuracy, trained.fairness
    assert f"Model {trained.number} (Niet actief)" in page
    for label, value in (
        ("Uitkeringsperiodes", t["spells"]),
        ("Waarvan uitstroom naar werk", t["events"]),
        ("Apart gehouden voor de toets", t["holdout_spells"]),
        ("Niet gebruikt: geen omstandigheden vastgelegd", t["left_out"]["no_factors"]),
    ):
        assert f"<dt>{label}</dt><dd>{nl('{{ v }}', v=value)}</dd>" in page, label
    assert nl("{{ v|floatformat:2 }}", v=a["concordance"]) in page
    assert nl("{{ v|floatformat:3 }}", v=a["brier_12"]) in page
    assert f"op {a['known_12']} mensen met een bekende uitkomst" in page
    assert page.count("<td>", page.index("Kalibratie")) >= 3 * len(a["calibration_12"])

    labels = {"gender": "Geslacht", "age_band": "Leeftijd", "household": "Huishouden"}
    rows = f["rows"]
    assert any(r["suppressed"] for r in rows) and any(not r["suppressed"] for r in rows)
    for r in rows:
        cells = fairness_row(page, labels[r["attribute"]], group_label(r["attribute"], r["group"]))
        if r["suppressed"]:
            assert r["n"] < MIN_GROUP
            assert f"minder dan {MIN_GROUP}" in cells and "te klein om te tonen" in cells
            assert f"<td>{r['n']}</td>" not in cells
        else:
            assert cells.lstrip().startswith(f"<td>{r['n']}</td>")
            assert f"<td>{nl('{% widthratio v 1 100 %}', v=r['predicted_12'])}%</td>" in cells
    # the analyst reads; only the functional administrator imports and activates
    assert reverse("model-import") not in page and reverse("model-activate", args=[trained.number]) not in page
    assert reverse("model-download", args=[trained.number]) in page


def test_the_administrator_activates_a_version_and_the_previous_one_retires(client, administrator):
    first = stored_model(administrator)
    second = stored_model(administrator, active=False)
    client.force_login(administrator)
    page = html(client.get(reverse("model")))
    assert reverse("model-import") in page
    assert reverse("model-activate", args=[second.number]) in page
    assert reverse("model-activate", args=[first.number]) not in page  # in use already
    response = client.post(reverse("model-activate", args=[second.number]))
    assert response["Location"] == f"{reverse('model')}?versie={second.number}"
    assert f"Model {second.number} is nu in gebruik." in html(client.get(response["Location"]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.activated_by) == (
        ModelStatus.RETIRED,
        ModelStatus.ACTIVE,
        administrator,
    )


def test_a_version_with_corrupted_parameters_is_not_activated_and_the_page_says_why(client, administrator):
    version = stored_model(administrator, active=False)
    ModelVersion.objects.filter(pk=version.pk).update(parameters=fitted_parameters() | {"columns": ["x"]})
    client.force_login(administrator)
    response = client.post(reverse("model-activate", args=[version.number]), follow=True)
    assert "Dit model kan niet in gebruik" in html(response)
    assert ModelVersion.objects.get(pk=version.pk).status == ModelStatus.DRAFT


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (None, "Er is geen modelbestand gekozen"),
        (b"{kapot", "beschadigd"),
        (b"protected", "gender"),
    ],
)
def test_a_corrupt_or_foreign_upload_is_refused_with_a_message(client, administrator, upload, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if upload == b"protected":
        params = fitted_parameters()
        upload = model_file(params | {"factors": [*params["factors"], "gender"]})
    client.force_login(administrator)
    data = {"file": SimpleUploadedFile("model.json", upload, "application/json")} if upload else {}
    response = client.post(reverse("model-import"), data)
    assert response["Location"] == reverse("model")
    assert words in html(client.get(response["Location"]))
    assert not ModelVersion.objects.exists()


def test_a_downloaded_version_can_be_uploaded_again(client, analyst, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = stored_model(administrator, training={"spells": 321})
    client.force_login(analyst)
    response = client.get(reverse("model-download", args=[version.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert f"trede-model-{version.number}.json" in response["Content-Disposition"]
    content = response.content
    assert json.loads(content)["parameters"] == version.parameters

    client.force_login(administrator)
    upload = SimpleUploadedFile(f"trede-model-{version.number}.json", content, "application/json")
    response = client.post(reverse("model-import"), {"file": upload})
    copy = ModelVersion.objects.get(number=version.number + 1)
    assert response["Location"] == f"{reverse('model')}?versie={copy.number}"
    assert (copy.status, copy.parameters, copy.training) == (ModelStatus.DRAFT, version.parameters, {"spells": 321})
    assert copy.created_by == administrator
    assert model_import(actor=None, content=content, name="again.json").number == copy.number + 1


def test_an_intake_on_a_generated_municipality_shows_how_similar_clients_fared(client, administrator, trained, today):
    from trede.caseload.models import Assignment
    from trede.intake.rules import similar_key
    from trede.intake.services import model_activate

    model_activate(actor=administrator, version=trained)
    groups = trained.prospects["groups"]
    chosen = None
    for assignment in Assignment.objects.filter(end_on__isnull=True, client__benefit_periods__end_on__isnull=True):
        profile = selectors.profile_of(selectors.dossier_answers(assignment.client, today))
        key = similar_key(profile)
        if key in groups and all(v is not None for v in profile.values()):
            chosen = assignment
            break
    assert chosen is not None
    patient, group = chosen.client, groups[key]

    client.force_login(chosen.caseworker)
    url = reverse("intake-start", args=[patient.pk])
    response = client.post(url, post_data(client.get(url).context["form"].initial))
    assessment = Assessment.objects.get(client=patient)
    assert response["Location"] == reverse("assessment-detail", args=[patient.pk, assessment.pk])
    assert assessment.model_version == trained and assessment.estimate["similar"] == group["spells"]
    assert assessment.estimate["followup"] == trained.training["followup_months"]
    page = html(client.get(response["Location"]))
    pct = round(100 * group["worked"] / group["known"])
    assert (
        f"Van {group['known']} eerdere cliënten met een vergelijkbaar profiel vonden er {group['worked']} ({pct}%)"
        in page
    )
    assert f"{group['spells']} eerdere cliënten hadden een vergelijkbaar profiel" in page
    if assessment.estimate["median"] > trained.training["followup_months"]:
        assert f"Langer dan {nl('{{ v|floatformat:0 }}', v=trained.training['followup_months'])} maanden" in page
    else:
        assert f"Ongeveer {nl('{{ v|floatformat:0 }}', v=assessment.estimate['median'])} maanden" in page
