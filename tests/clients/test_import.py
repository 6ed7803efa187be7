import pytest
from django.core.management import CommandError, call_command

from trede.caseload.models import Assignment
from trede.clients.models import BenefitPeriod, Client
from trede.core.models import AuditRecord

pytestmark = pytest.mark.django_db

HEADER = "bsn;first_name;surname;birth_date;district;postcode;caseworker;benefit_start;household_kind\n"


def write(tmp_path, body: str):
    path = tmp_path / "clients.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_file_is_imported_through_the_services(tmp_path, district, caseworker, capsys):
    path = write(
        tmp_path,
        "111222333;Anna;de Wit;1980-02-01;CEN;1234 AB;anna;2024-03-01;single\n"
        "123456782;Bilal;Aziz;15-06-1975;CEN;;;;single_parent\n",
    )
    call_command("importclients", str(path))
    assert "imported 2 client(s)" in capsys.readouterr().out
    anna = Client.objects.get(bsn="111222333")
    assert Assignment.objects.get(client=anna).caseworker == caseworker
    assert BenefitPeriod.objects.get(client=anna).end_on is None
    assert Client.objects.get(bsn="123456782").household.kind == "single_parent"
    assert AuditRecord.objects.filter(action="client_register").count() == 2


def test_one_bad_row_refuses_the_whole_file_and_names_line_and_field(tmp_path, district, caseworker, capsys):
    path = write(
        tmp_path,
        "111222333;Anna;de Wit;1980-02-01;CEN;1234 AB;anna;2024-03-01;single\n"
        "111222334;Bilal;Aziz;15-06-1975;XXX;99;nobody;31-31-2020;single\n"
        "111222333;Carla;Dekker;1990-01-01;CEN;;;;single\n",
    )
    with pytest.raises(CommandError, match="nothing stored"):
        call_command("importclients", str(path))
    err = capsys.readouterr().err
    assert "regel 3, bsn:" in err and "regel 3, district:" in err and "regel 3, postcode:" in err
    assert "regel 4, bsn: Er is al een cliënt met dit BSN" in err
    assert Client.objects.count() == 0 and not AuditRecord.objects.filter(action="client_register").exists()


def test_dry_run_and_unknown_columns(tmp_path, district, capsys):
    path = write(tmp_path, "111222333;Anna;de Wit;1980-02-01;CEN;;;;single\n")
    call_command("importclients", str(path), "--dry-run")
    assert "would import 1" in capsys.readouterr().out and Client.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("bsn,first_name,surname,birth_date,district,shoe_size\n111222333,A,B,1980-01-01,CEN,44\n")
    with pytest.raises(CommandError):
        call_command("importclients", str(bad))
    assert "shoe_size: onbekende kolom" in capsys.readouterr().err
