"""trede letters CAMPAIGN COHORT --by USERNAME: make all invitation letters of a cohort in one go (the print room's
run for a cohort of 1,500; the web page makes them 300 at a time). Resumable: run it again after an interruption."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.core.models import User
from trede.outreach.letters import letters_generate
from trede.outreach.models import Cohort


class Command(BaseCommand):
    help = "Make the invitation letters of one cohort of a campaign (idempotent and resumable)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="campaign id")
        parser.add_argument("cohort", type=int, help="cohort number")
        parser.add_argument("--by", required=True, help="username of the team lead or functional administrator")

    def handle(self, *args, campaign: int, cohort: int, by: str, **options):
        found = Cohort.objects.select_related("campaign").filter(campaign_id=campaign, number=cohort).first()
        if found is None:
            raise CommandError(f"no cohort {cohort} in campaign {campaign}")
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {by!r}")
        try:
            run = letters_generate(actor=actor, cohort=found, on=timezone.localdate())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"campaign {campaign}, cohort {cohort}: {run.made} letter(s) made, {run.withdrawn} invitation(s) "
            f"withdrawn (no longer invitable; their caseworker got an action), {run.remaining} remaining"
        )
