"""Helpers shared by all forms: put a service's validation errors on the right form fields."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submitted(request, form, write: Callable[[dict], Any]) -> bool:
    """True when a POSTed form is valid and the service (`write`) accepted its data.

    A service's ValidationError lands on the form's fields, so the page shows it beside the input; nothing is
    saved then, because every service runs in one transaction.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def dossier_form_page(request, client, form, *, title: str, intro: str = ""):
    """The standard page for a form about one client: back link, title, intro, the form."""
    return render(request, "web/form_page.html", {"client": client, "form": form, "title": title, "intro": intro})
