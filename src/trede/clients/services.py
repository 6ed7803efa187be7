"""Writes about clients: registration, household, benefit periods, circumstances and ladder measurements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.clients.models import (
    BenefitPeriod,
    Circumstances,
    Client,
    District,
    Household,
    HouseholdMember,
    LadderMeasurement,
)
from trede.clients.rules import normalise_postcode, not_in_future, postcode_problem
from trede.core.audit import audit, snapshot
from trede.core.rules import bsn_problem

CLIENT_FIELDS = (
    "first_name",
    "surname_prefix",
    "surname",
    "birth_date",
    "gender",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
)


def _raise_if(problems: dict[str, list[str]]) -> None:
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)


def _district(value: District | str | int | None) -> District:
    if isinstance(value, District):
        return value
    found = (
        District.objects.filter(code=value).first()
        if isinstance(value, str)
        else (District.objects.filter(pk=value).first() if value is not None else None)
    )
    if found is None:
        raise ValidationError({"district": _("Onbekende wijk: %(value)s.") % {"value": value}})
    return found


def client_register(
    *,
    actor,
    bsn: str,
    district: District | str | int,
    first_name: str,
    surname: str,
    birth_date: dt.date,
    household_kind: str = "single",
    **fields,
) -> Client:
    """Register a new client with a household. Refuses an invalid or known BSN; nothing half-saved."""
    bsn = (bsn or "").strip().replace(" ", "").replace(".", "")
    problems: dict[str, list[str]] = {}
    if (msg := bsn_problem(bsn)) is not None:
        problems["bsn"] = [msg]
    elif Client.objects.filter(bsn=bsn).exists():
        problems["bsn"] = [_("Er is al een cliënt met dit BSN.")]
    if birth_date and birth_date > timezone.localdate():
        problems["birth_date"] = [_("De geboortedatum kan niet in de toekomst liggen.")]
    if (msg := postcode_problem(fields.get("postcode", ""))) is not None:
        problems["postcode"] = [msg]
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    with transaction.atomic():
        try:
            district_obj = _district(district)
        except ValidationError as exc:
            problems.update(exc.message_dict)
        _raise_if(problems)
        if fields.get("postcode"):
            fields["postcode"] = normalise_postcode(fields["postcode"])
        client = Client(
            bsn=bsn,
            district=district_obj,
            first_name=first_name,
            surname=surname,
            birth_date=birth_date,
            **fields,
        )
        client.full_clean()
        try:
            with transaction.atomic():
                client.save()
        except IntegrityError:  # registered at the same moment by someone else
            raise ValidationError({"bsn": [_("Er is al een cliënt met dit BSN.")]}) from None
        household = Household(client=client, kind=household_kind)
        household.full_clean()
        household.save()
        audit(actor=actor, action="client_register", instance=client, client_id=client.pk)
        audit(actor=actor, action="household_set", instance=household, client_id=client.pk)
    return client


def client_update(*, actor, client: Client, district: District | str | int | None = None, **fields) -> Client:
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        before = snapshot(client)
        problems = {}
        if "postcode" in fields:
            if (msg := postcode_problem(fields["postcode"])) is not None:
                problems["postcode"] = [msg]
            else:
                fields["postcode"] = normalise_postcode(fields["postcode"])
        if district is not None:
            try:
                client.district = _district(district)
            except ValidationError as exc:
                problems.update(exc.message_dict)
        _raise_if(problems)
        for k, v in fields.items():
            setattr(client, k, v)
        client.full_clean()
        client.save()
        audit(actor=actor, action="client_update", instance=client, client_id=client.pk, before=before)
    return client


def client_review_schedule(*, actor, client: Client, review_on: dt.date) -> Client:
    """Set the date of the client's next periodic review of route and plan."""
    today = timezone.localdate()
    if review_on < today:
        raise ValidationError({"next_review_on": _("Plan de herbeoordeling vandaag of later.")})
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        before = snapshot(client, ["next_review_on"])
        client.next_review_on = review_on
        client.save(update_fields=["next_review_on"])
        audit(
            actor=actor,
            action="client_review_schedule",
            instance=client,
            client_id=client.pk,
            before=before,
            after=snapshot(client, ["next_review_on"]),
        )
    return client


def household_member_add(
    *,
    actor,
    client: Client,
    role: str,
    first_name: str,
    birth_date: dt.date,
    household_kind: str | None = None,
) -> HouseholdMember:
    if birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("De geboortedatum kan niet in de toekomst liggen.")})
    with transaction.atomic():
        household, _created = Household.objects.select_for_update().get_or_create(
            client=client, defaults={"kind": household_kind or "single"}
        )
        if household_kind and household.kind != household_kind:
            before = snapshot(household)
            household.kind = household_kind
            household.full_clean()
            household.save()
            audit(actor=actor, action="household_set", instance=household, client_id=client.pk, before=before)
        member = HouseholdMember(household=household, role=role, first_name=first_name, birth_date=birth_date)
        member.full_clean()
        member.save()
        audit(actor=actor, action="household_member_add", instance=member, client_id=client.pk)
    return member


def benefit_period_start(*, actor, client: Client, start_on: dt.date, norm: str = "single") -> BenefitPeriod:
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        periods = list(BenefitPeriod.objects.filter(client=client))
        if any(p.end_on is None for p in periods):
            raise ValidationError({"start_on": _("Er loopt al een uitkering; beëindig die eerst.")})
        if any(p.end_on is not None and p.end_on >= start_on for p in periods):
            raise ValidationError({"start_on": _("Deze uitkering overlapt met een eerdere periode.")})
        period = BenefitPeriod(client=client, start_on=start_on, norm=norm)
        period.full_clean()
        period.save()
        audit(actor=actor, action="benefit_period_start", instance=period, client_id=client.pk)
    return period


def benefit_period_end(*, actor, period: BenefitPeriod, end_on: dt.date, exit_reason: str) -> BenefitPeriod:
    if not exit_reason:
        raise ValidationError({"exit_reason": _("Kies de reden van beëindiging.")})
    with transaction.atomic():
        period = BenefitPeriod.objects.select_for_update().get(pk=period.pk)
        if period.end_on is not None:
            raise ValidationError({"end_on": _("Deze uitkering is al beëindigd.")})
        if end_on < period.start_on:
            raise ValidationError({"end_on": _("De einddatum ligt vóór de ingangsdatum.")})
        before = snapshot(period)
        period.end_on = end_on
        period.exit_reason = exit_reason
        period.full_clean()
        period.save()
        audit(
            actor=actor,
            action="benefit_period_end",
            instance=period,
            client_id=period.client_id,
            before=before,
        )
    return period


def circumstances_record(*, actor, client: Client, recorded_on: dt.date, **facts) -> Circumstances:
    """Record the client's circumstances as they are on a date (a new version; the history is kept)."""
    _raise_if({"recorded_on": [m] if (m := not_in_future(recorded_on, timezone.localdate(), _("De datum"))) else []})
    last_worked = facts.get("last_worked_year")
    if last_worked and last_worked > recorded_on.year:
        raise ValidationError({"last_worked_year": _("Dit jaar ligt na de datum van vastleggen.")})
    with transaction.atomic():
        record = Circumstances(client=client, recorded_on=recorded_on, recorded_by=actor, **facts)
        record.full_clean()
        record.save()
        audit(actor=actor, action="circumstances_record", instance=record, client_id=client.pk)
    return record


def ladder_measure(*, actor, client: Client, step: int, measured_on: dt.date, note: str = "") -> LadderMeasurement:
    """Record a participation-ladder measurement (Divosa, steps 1-6) on a date, by the acting person."""
    problems: dict[str, list[str]] = {}
    if step not in range(1, 7):
        problems["step"] = [_("Kies een trede van 1 tot en met 6.")]
    if m := not_in_future(measured_on, timezone.localdate(), _("De meetdatum")):
        problems["measured_on"] = [m]
    _raise_if(problems)
    with transaction.atomic():
        m = LadderMeasurement(client=client, step=step, measured_on=measured_on, measured_by=actor, note=note)
        m.full_clean()
        m.save()
        audit(actor=actor, action="ladder_measure", instance=m, client_id=client.pk)
    return m


# --------------------------------------------------------------------------------------------------
# Import from the municipality's previous system: all rows or none.

IMPORT_REQUIRED = ("bsn", "first_name", "surname", "birth_date", "district")
IMPORT_OPTIONAL = (
    "surname_prefix",
    "gender",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
    "household_kind",
    "caseworker",
    "benefit_start",
    "norm",
)


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("regel %(line)d, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file was refused; nothing was stored. `problems` says which line and field, and why."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _parse_date(value: str, field: str) -> dt.date:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        {field: _("Geen geldige datum: %(value)r (gebruik JJJJ-MM-DD of DD-MM-JJJJ).") % {"value": value}}
    )


def clients_import(*, actor, rows: Iterable[dict[str, str]], first_line: int = 2, dry_run: bool = False) -> int:
    """Register clients from rows (e.g. a CSV file), with their caseworker and running benefit.

    Every row goes through the same services as the screens. One bad row refuses the whole file: nothing is
    stored, and every problem is reported with its line and field.
    """
    from trede.caseload.services import assignment_assign
    from trede.core.models import User

    problems: list[ImportProblem] = []
    count = 0
    with transaction.atomic():
        for line, row in enumerate(rows, start=first_line):
            unknown = set(row) - set(IMPORT_REQUIRED) - set(IMPORT_OPTIONAL)
            missing = [f for f in IMPORT_REQUIRED if not (row.get(f) or "").strip()]
            if unknown:
                problems.append(ImportProblem(line, ", ".join(sorted(unknown)), _("onbekende kolom")))
            for f in missing:
                problems.append(ImportProblem(line, f, _("ontbreekt")))
            if unknown or missing:
                continue
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves the others' work usable
                    fields = {k: row[k].strip() for k in CLIENT_FIELDS if k in row and row[k] is not None}
                    fields.pop("birth_date", None)
                    if not fields.get("gender"):
                        fields.pop("gender", None)
                    client = client_register(
                        actor=actor,
                        bsn=row["bsn"],
                        district=row["district"].strip(),
                        birth_date=_parse_date(row["birth_date"], "birth_date"),
                        household_kind=(row.get("household_kind") or "single").strip(),
                        **fields,
                    )
                    if username := (row.get("caseworker") or "").strip():
                        caseworker = User.objects.filter(username=username).first()
                        if caseworker is None:
                            raise ValidationError({"caseworker": _("Onbekende klantmanager: %(u)s.") % {"u": username}})
                        assignment_assign(
                            actor=actor,
                            client=client,
                            caseworker=caseworker,
                            reason=_("Overgenomen uit het vorige systeem"),
                        )
                    if start := (row.get("benefit_start") or "").strip():
                        benefit_period_start(
                            actor=actor,
                            client=client,
                            start_on=_parse_date(start, "benefit_start"),
                            norm=(row.get("norm") or "single").strip(),
                        )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
                for field, messages in errors.items():
                    problems.extend(ImportProblem(line, field, m) for m in messages)
                continue
            count += 1
        if problems:
            raise ImportRejected(problems)  # leaving the atomic block with an exception rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return count
