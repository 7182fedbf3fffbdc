"""Models: attribute access, derived properties, and tolerance of odd data."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest

from teamleader.models import Company, Contact, Deal, Model, Money, Page, User


def test_contact_full_name_copes_with_a_missing_first_name():
    assert Contact({"first_name": "Ada", "last_name": "Lovelace"}).full_name == "Ada Lovelace"
    assert Contact({"last_name": "Lovelace"}).full_name == "Lovelace"
    assert Contact({"first_name": None, "last_name": "Lovelace"}).full_name == "Lovelace"
    assert Contact({"first_name": " ", "last_name": "Lovelace"}).full_name == "Lovelace"
    assert Contact({}).full_name == ""


def test_primary_email_is_the_one_typed_primary():
    contact = Contact(
        {"emails": [{"type": "invoicing", "email": "billing@x.be"}, {"type": "primary", "email": "ada@x.be"}]}
    )
    assert contact.primary_email == "ada@x.be"
    assert Contact({}).primary_email is None
    assert Contact({"emails": "garbage"}).primary_email is None
    assert Contact({"emails": [{"type": "primary", "email": ""}]}).primary_email is None


def test_primary_email_falls_back_to_the_first_email_when_none_is_typed_primary():
    emails = [{"type": "invoicing", "email": "billing@x.be"}, {"type": "other", "email": "o@x.be"}]
    assert Contact({"emails": emails}).primary_email == "billing@x.be"
    assert Company({"emails": emails}).primary_email == "billing@x.be"


def test_primary_phone_prefers_a_landline_then_a_mobile_never_a_fax():
    phones = [{"type": "fax", "number": "+32 9 000"}, {"type": "mobile", "number": "+32 470"}]
    assert Contact({"telephones": phones}).primary_phone == "+32 470"
    phones.append({"type": "phone", "number": "+32 9 123"})
    assert Contact({"telephones": phones}).primary_phone == "+32 9 123"
    assert Company({"telephones": [{"type": "fax", "number": "+32 9 000"}]}).primary_phone is None
    assert Contact({}).primary_phone is None


@pytest.mark.parametrize(
    "status, won, lost, is_open",
    [
        ("won", True, False, False),
        ("lost", False, True, False),
        ("open", False, False, True),
        ("new", False, False, True),
        (None, False, False, False),
    ],
)
def test_deal_status_flags(status, won, lost, is_open):
    deal = Deal({"status": status})
    assert (deal.is_won, deal.is_lost, deal.is_open) == (won, lost, is_open)


def test_deal_estimated_value_is_money():
    deal = Deal({"estimated_value": {"amount": 123.3, "currency": "EUR"}})
    assert deal.estimated_value == Money(Decimal("123.3"), "EUR")
    assert str(deal.estimated_value) == "123.3 EUR"
    assert Deal({}).estimated_value is None
    assert Deal({"estimated_value": {"amount": "n/a"}}).estimated_value is None


def test_unknown_and_missing_fields_never_break_parsing():
    deal = Deal(
        {"id": "d1", "title": "Big", "brand_new_field": {"nested": [{"x": 1}]}, "closed_at": "not a date"}
    )
    assert deal.brand_new_field.nested[0].x == 1
    assert deal.closed_at is None
    assert deal.summary is None
    assert deal.raw["brand_new_field"] == {"nested": [{"x": 1}]}
    with pytest.raises(AttributeError, match="no field 'nope'"):
        deal.nope  # noqa: B018


def test_dates_and_nested_records():
    deal = Deal(
        {
            "created_at": "2017-05-09T11:25:11+00:00",
            "estimated_closing_date": "2017-05-09",
            "lead": {"customer": {"type": "company", "id": "co1"}},
        }
    )
    assert deal.created_at == dt.datetime(2017, 5, 9, 11, 25, 11, tzinfo=dt.timezone.utc)
    assert deal.estimated_closing_date == dt.date(2017, 5, 9)
    assert deal.customer.type == "company"
    assert deal.lead.customer.id == "co1"


def test_dict_style_access_and_repr():
    company = Company({"id": "c1", "name": "Pied Piper"})
    assert company["name"] == company.name == "Pied Piper"
    assert company.get("vat_number", "-") == "-"
    assert "name" in company
    assert repr(company) == "<Company id='c1' 'Pied Piper'>"
    assert repr(Contact({"id": "p1", "first_name": "Ada", "last_name": "L"})) == "<Contact id='p1' 'Ada L'>"


def test_user_fields():
    user = User(
        {
            "id": "u1",
            "first_name": "John",
            "last_name": "Smith",
            "email": "john@x.eu",
            "account": {"id": "a1"},
        }
    )
    assert (user.full_name, user.email, user.account_id) == ("John Smith", "john@x.eu", "a1")


def test_models_pickle_and_compare():
    contact = Contact({"id": "p1", "last_name": "L"})
    assert pickle.loads(pickle.dumps(contact)) == contact
    assert contact != Model({"id": "p1", "last_name": "L"})


def test_page_keeps_meta_and_included():
    page = Page([Contact({"id": "1"})], {"meta": {"matches": 41}, "included": {"company": [{"id": "c"}]}})
    assert len(page) == 1 and page.matches == 41 and page.included["company"][0]["id"] == "c"
    assert Page([], {}).matches is None


def test_item_access_gives_declared_fields_parsed_like_attributes():
    """Django templates look up ``record["key"]`` before ``record.key``."""
    deal = Deal(
        {
            "closed_at": "2017-05-09T11:25:11+00:00",
            "estimated_value": {"amount": 10, "currency": "EUR"},
            "lead": {"customer": {"type": "company", "id": "co1"}},
        }
    )
    assert deal["closed_at"] == deal.closed_at == dt.datetime(2017, 5, 9, 11, 25, 11, tzinfo=dt.timezone.utc)
    assert deal.get("estimated_value") == Money(Decimal("10"), "EUR")
    assert deal["lead"] == {"customer": {"type": "company", "id": "co1"}}  # undeclared: as sent
    assert deal.raw["closed_at"] == "2017-05-09T11:25:11+00:00"
    assert deal.get("summary", "-") == "-"
    with pytest.raises(KeyError):
        deal["summary"]  # noqa: B018


def test_django_template_renders_parsed_values():
    from django.template import Context, Template

    deal = Deal(
        {
            "title": "Big",
            "closed_at": "2017-05-09T11:25:11+00:00",
            "estimated_value": {"amount": 1500, "currency": "EUR"},
            "status": "won",
        }
    )
    html = Template(
        "{{ deal.title }}|{{ deal.closed_at|date:'Y-m-d' }}|{{ deal.estimated_value.amount }}|{{ deal.is_won }}"
    ).render(Context({"deal": deal}))
    assert html == "Big|2017-05-09|1500|True"


def test_a_list_field_holding_something_else_gives_the_default():
    contact = Contact({"emails": "ada@example.com", "tags": {"vip": True}})
    assert contact.emails == [] and contact.tags == []
