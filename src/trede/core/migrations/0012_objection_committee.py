"""Complete existing rule sets with the objection term under an advisory committee (Awb 7:10 lid 1, 7:13)."""

import importlib

from django.db import migrations

complete = importlib.import_module("trede.core.migrations.0004_complete_rulesets").complete


def add_objection_committee(apps, schema_editor):
    complete(apps, {"objection_committee_decision_weeks", "objection_advisory_committee"})


class Migration(migrations.Migration):
    dependencies = [("core", "0011_benefit_norms")]
    operations = [migrations.RunPython(add_objection_committee, migrations.RunPython.noop)]
