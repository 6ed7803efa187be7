"""Complete the rule sets of an existing database with the parameters that a newer trede knows.

A database set up before the intake (issue 3) has rule sets without youth_age, youth_search_weeks, route_threshold_months,
route_review_months, route_obligations and fairness_tolerance_pct. Every version of a scope gets the missing keys
with the shipped default (core/rulesets/2015-01-01-*.json), and an audit record says so: without them no route
decision could be taken under any rule set. Values that a municipality already set are never touched. A fresh
database already has them from 0002, so this finds nothing to do there.

Later migrations that add parameters call complete() again with their own keys.
"""

import json
from pathlib import Path

from django.db import migrations

RULESET_DIR = Path(__file__).resolve().parent.parent / "rulesets"


def complete(apps, keys: set[str]) -> None:
    RuleSet = apps.get_model("core", "RuleSet")
    AuditRecord = apps.get_model("core", "AuditRecord")
    shipped = {}
    for path in sorted(RULESET_DIR.glob("2015-01-01-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        shipped[data["scope"]] = (path.name, data["parameters"])
    for rs in RuleSet.objects.order_by("scope", "valid_from"):
        name, defaults = shipped[rs.scope]
        added = {k: defaults[k] for k in sorted(keys) if k in defaults and k not in rs.parameters}
        if not added:
            continue
        rs.parameters = {**rs.parameters, **added}
        rs.save(update_fields=["parameters"])
        AuditRecord.objects.create(
            action="ruleset_complete",
            model="core.RuleSet",
            object_pk=str(rs.pk),
            changes={key: [None, value] for key, value in added.items()} | {"file": [None, name]},
        )


def add_route_parameters(apps, schema_editor):
    complete(
        apps,
        {
            "youth_age",
            "youth_search_weeks",
            "route_threshold_months",
            "route_review_months",
            "route_obligations",
            "fairness_tolerance_pct",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_review_and_open_ruleset")]
    operations = [migrations.RunPython(add_route_parameters, migrations.RunPython.noop)]
