"""Complete existing rule sets with the outreach parameters (cohort size, minutes per talk, share of hours)."""

import importlib

from django.db import migrations

complete = importlib.import_module("trede.core.migrations.0004_complete_rulesets").complete


def add_outreach_parameters(apps, schema_editor):
    complete(apps, {"campaign_cohort_size", "talk_minutes", "talk_hours_share_pct"})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_complete_rulesets")]
    operations = [migrations.RunPython(add_outreach_parameters, migrations.RunPython.noop)]
