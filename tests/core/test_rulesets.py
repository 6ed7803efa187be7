import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trede.core.models import AuditRecord, RuleSet
from trede.core.rules import ruleset_parameters_problems
from trede.core.selectors import rules_on
from trede.core.services import ruleset_publish

pytestmark = pytest.mark.django_db


def test_shipped_rules_are_loaded_with_their_source():
    rules = rules_on(dt.date(2026, 1, 1))
    assert rules["contact_norm_days"] == 90
    assert rules["exemption_grounds"]["single_parent_under_5"]["review_months"] == 6
    assert "BWBR0015703" in rules.source_of("exemption_grounds").source


def test_a_decision_uses_the_rules_valid_on_its_date(administrator):
    ruleset_publish(
        actor=administrator,
        scope="local",
        name="Beleidsregels 2026",
        version="2026-07",
        valid_from=dt.date(2026, 7, 1),
        source="Raadsbesluit 12 mei 2026",
        parameters={"contact_norm_days": 60},
    )
    assert rules_on(dt.date(2026, 6, 30))["contact_norm_days"] == 90
    assert rules_on(dt.date(2026, 7, 1))["contact_norm_days"] == 60
    # parameters not set in the new version are carried over
    assert rules_on(dt.date(2026, 7, 1))["caseload_norm"] == 350
    old = RuleSet.objects.get(scope="local", valid_from=dt.date(2015, 1, 1))
    assert old.valid_until == dt.date(2026, 6, 30)
    assert AuditRecord.objects.filter(action="ruleset_close", object_pk=str(old.pk)).exists()


def test_history_is_not_rewritten(administrator):
    with pytest.raises(ValidationError) as info:
        ruleset_publish(
            actor=administrator,
            scope="local",
            name="x",
            version="x",
            valid_from=dt.date(2014, 1, 1),
            source="x",
            parameters={"contact_norm_days": 60},
        )
    assert "valid_from" in info.value.message_dict
    assert RuleSet.objects.count() == 2


def test_unknown_or_misplaced_parameters_are_refused():
    assert ruleset_parameters_problems("local", {"contact_norm_days": 30}) == []
    assert ruleset_parameters_problems("local", {"nonsense": 1})
    assert ruleset_parameters_problems("local", {"objection_term_weeks": 6})  # a legal parameter
    assert ruleset_parameters_problems("local", {"contact_norm_days": "30"})
    assert ruleset_parameters_problems("local", {"contact_norm_days": True})
    assert ruleset_parameters_problems("local", {"contact_norm_days": 0})


def test_source_is_required(administrator):
    with pytest.raises(ValidationError) as info:
        ruleset_publish(
            actor=administrator,
            scope="local",
            name="x",
            version="x",
            valid_from=dt.date(2027, 1, 1),
            source="  ",
            parameters={},
        )
    assert "source" in info.value.message_dict


def test_the_database_keeps_one_open_version_per_scope():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.create(scope="local", name="x", version="x", valid_from=dt.date(2030, 1, 1), source="x")


def test_rules_of_the_newest_version_win_on_its_dates(administrator):
    for month, norm in ((3, 30), (6, 60)):
        ruleset_publish(
            actor=administrator,
            scope="local",
            name="x",
            version=str(month),
            valid_from=dt.date(2026, month, 1),
            source="x",
            parameters={"contact_norm_days": norm},
        )
    assert rules_on(dt.date(2026, 5, 31))["contact_norm_days"] == 30
    assert rules_on(dt.date(2026, 7, 1))["contact_norm_days"] == 60
