from __future__ import annotations

from typing import Any

from django import forms
from teamleader import NOT_GIVEN


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # "Last name", not "Last name:"
        super().__init__(*args, **kwargs)


class ContactForm(Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)

    def add_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``client.contacts.add()``; blank fields are left out."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"] or NOT_GIVEN,
            "last_name": data["last_name"],
            "emails": [{"type": "primary", "email": data["email"]}] if data["email"] else NOT_GIVEN,
            "telephones": [{"type": "phone", "number": data["phone"]}] if data["phone"] else NOT_GIVEN,
        }


class LoseDealForm(Form):
    reason_id = forms.ChoiceField(label="Reason")
    extra_info = forms.CharField(label="Remark", max_length=500, required=False)

    def __init__(self, *args: Any, reasons: list[Any], **kwargs: Any) -> None:
        """``reasons``: the records of ``lostReasons.list`` (an account may have none)."""
        super().__init__(*args, **kwargs)
        field = self.fields["reason_id"]
        field.choices = [("", "Choose a reason…")] + [(r.id, r.name) for r in reasons]
        field.required = bool(reasons)
        if not reasons:
            field.widget = forms.HiddenInput()
