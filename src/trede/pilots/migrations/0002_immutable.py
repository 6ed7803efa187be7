"""Database triggers: a pilot's plan is frozen once it is no longer a draft (and its seed and fingerprints once
set), and an assignment is never updated. The services refuse these changes first; the triggers make sure no other
path (a shell, a bulk update, a bug) can make them either. Deletion stays possible (the synthetic municipality's
--clear empties whole tables)."""

from django.db import migrations

# the plan's columns as they were when this migration was written (models.PLAN_FIELDS)
FROZEN = (
    "name", "question", "intervention", "control", "criteria", "unit", "strata", "subgroups", "primary_outcome",
    "secondary_outcomes", "follow_up_months", "analysis_plan", "analysis_date", "weight_intervention",
    "weight_control", "correction", "bootstrap", "baseline_pct", "target_effect_pp", "icc", "cluster_size",
    "caseworker_ids", "exemption_obligation", "intensity_intervention", "intensity_control", "plan_digest",
    "registered_on", "campaign_id",
)  # fmt: skip
DRAWN = ("seed", "randomised_on", "assignment_digest")

SQLITE = [
    f"""CREATE TRIGGER pilots_plan_frozen BEFORE UPDATE ON pilots_pilot FOR EACH ROW
    WHEN OLD.status <> 'draft' AND (NEW.status = 'draft' OR {" OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in FROZEN)})
    BEGIN SELECT RAISE(ABORT, 'pilot plan is frozen after registration'); END""",
    f"""CREATE TRIGGER pilots_draw_frozen BEFORE UPDATE ON pilots_pilot FOR EACH ROW
    WHEN OLD.status IN ('randomised', 'analysed')
     AND (NEW.status NOT IN ('randomised', 'analysed') OR {" OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in DRAWN)})
    BEGIN SELECT RAISE(ABORT, 'pilot draw is frozen'); END""",
    """CREATE TRIGGER pilots_assignment_immutable BEFORE UPDATE ON pilots_pilotassignment FOR EACH ROW
    BEGIN SELECT RAISE(ABORT, 'a pilot assignment never changes'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS pilots_plan_frozen",
    "DROP TRIGGER IF EXISTS pilots_draw_frozen",
    "DROP TRIGGER IF EXISTS pilots_assignment_immutable",
]


def _row(prefix, columns):
    return "ROW(" + ", ".join(f'{prefix}."{c}"' for c in columns) + ")"


POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION pilots_plan_frozen() RETURNS trigger AS $$
    BEGIN
      IF OLD.status <> 'draft' AND (NEW.status = 'draft' OR {_row("OLD", FROZEN)} IS DISTINCT FROM {_row("NEW", FROZEN)}) THEN
        RAISE EXCEPTION 'pilot plan is frozen after registration';
      END IF;
      IF OLD.status IN ('randomised', 'analysed') AND (NEW.status NOT IN ('randomised', 'analysed')
         OR {_row("OLD", DRAWN)} IS DISTINCT FROM {_row("NEW", DRAWN)}) THEN
        RAISE EXCEPTION 'pilot draw is frozen';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER pilots_plan_frozen BEFORE UPDATE ON pilots_pilot
    FOR EACH ROW EXECUTE FUNCTION pilots_plan_frozen()""",
    """CREATE OR REPLACE FUNCTION pilots_assignment_immutable() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'a pilot assignment never changes'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER pilots_assignment_immutable BEFORE UPDATE ON pilots_pilotassignment
    FOR EACH ROW EXECUTE FUNCTION pilots_assignment_immutable()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS pilots_plan_frozen ON pilots_pilot",
    "DROP FUNCTION IF EXISTS pilots_plan_frozen()",
    "DROP TRIGGER IF EXISTS pilots_assignment_immutable ON pilots_pilotassignment",
    "DROP FUNCTION IF EXISTS pilots_assignment_immutable()",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("pilots", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
