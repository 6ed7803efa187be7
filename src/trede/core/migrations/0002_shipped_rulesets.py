"""Load the rule sets that ship with trede (legal: Participatiewet/Awb; local: trede's defaults), so that
every database, also a test database, has rules from the start. Later versions go through ruleset_publish."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

RULESET_DIR = Path(__file__).resolve().parent.parent / "rulesets"


def load(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    AuditRecord = apps.get_model("core", "AuditRecord")
    for path in sorted(RULESET_DIR.glob("2015-01-01-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        valid_from = dt.date.fromisoformat(data["valid_from"])
        if RuleSet.objects.filter(scope=data["scope"], valid_from=valid_from).exists():
            continue
        rs = RuleSet.objects.create(scope=data["scope"], name=data["name"], version=data["version"],
                                    valid_from=valid_from, source=data["source"], parameters=data["parameters"])
        AuditRecord.objects.create(action="ruleset_publish", model="core.RuleSet", object_pk=str(rs.pk),
                                   changes={"source": [None, data["source"]], "file": [None, path.name]})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
