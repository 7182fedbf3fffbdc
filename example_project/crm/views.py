"""Pages that read and change Teamleader data through ``get_client()``.

``get_client()`` is cheap to call per request: each thread keeps one client, and the
token is read from the database (and refreshed when needed) on every call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from teamleader import NOT_GIVEN, TeamleaderBadRequestError, TeamleaderClient
from teamleader.django import get_client
from teamleader.models import Deal

from .forms import ContactForm, LoseDealForm
from .pagination import Pager
from .teamleader_errors import handles_teamleader_errors

CONTACTS_NEWEST_FIRST = [{"field": "added_at", "order": "desc"}]
DEALS_NEWEST_FIRST = [{"field": "created_at", "order": "desc"}]


@login_required
@handles_teamleader_errors
def dashboard(request: HttpRequest) -> HttpResponse:
    client = get_client()
    contacts_pager = Pager.from_query(request.GET, "contacts")
    deals_pager = Pager.from_query(request.GET, "deals")
    contacts = client.contacts.list(page=contacts_pager.body, sort=CONTACTS_NEWEST_FIRST)
    deals = client.deals.list(page=deals_pager.body, sort=DEALS_NEWEST_FIRST)
    return render(request, "crm/dashboard.html", {
        "contacts": contacts,
        "contacts_pager": contacts_pager.after(contacts),
        "deals": deals,
        "deals_pager": deals_pager.after(deals),
    })


@login_required
@handles_teamleader_errors
def deal_detail(request: HttpRequest, deal_id: str) -> HttpResponse:
    client = get_client()
    deal = client.deals.info(deal_id)
    phase_id = (deal.get("current_phase") or {}).get("id")
    phases = client.deal_phases.list(filter={"ids": [phase_id]}) if phase_id else []
    reasons = list(client.lost_reasons.iterate())
    lost = deal.get("lost_reason") or {}
    lost_reason_id = (lost.get("reason") or {}).get("id")
    return render(request, "crm/deal_detail.html", {
        "deal": deal,
        "customer_name": customer_name(client, deal),
        "phase_name": phases[0].name if phases else "",
        "lost_reason": next((r.name for r in reasons if r.id == lost_reason_id), ""),
        "lost_remark": lost.get("remark") or "",
        "lose_form": LoseDealForm(reasons=reasons),
    })


def customer_name(client: TeamleaderClient, deal: Deal) -> str:
    """The name of the deal's customer, a company or a contact."""
    customer = deal.customer
    if customer is None:
        return ""
    if customer.type == "company":
        return client.companies.get(customer.id).name or ""
    return client.contacts.get(customer.id).full_name


@require_POST
@login_required
@handles_teamleader_errors
def deal_win(request: HttpRequest, deal_id: str) -> HttpResponse:
    get_client().deals.win(deal_id)
    messages.success(request, "The deal is marked as won in Teamleader.")
    return redirect("crm:deal", deal_id=deal_id)


@require_POST
@login_required
@handles_teamleader_errors
def deal_lose(request: HttpRequest, deal_id: str) -> HttpResponse:
    client = get_client()
    form = LoseDealForm(request.POST, reasons=list(client.lost_reasons.iterate()))
    if not form.is_valid():
        messages.error(request, "Choose why the deal was lost.")
        return redirect("crm:deal", deal_id=deal_id)
    data = form.cleaned_data
    client.deals.lose(deal_id, reason_id=data["reason_id"] or NOT_GIVEN, extra_info=data["extra_info"] or NOT_GIVEN)
    messages.success(request, "The deal is marked as lost in Teamleader.")
    return redirect("crm:deal", deal_id=deal_id)


@login_required
@handles_teamleader_errors
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            get_client().contacts.add(**form.add_arguments())
        except TeamleaderBadRequestError as err:  # Teamleader's own validation
            form.add_error(None, "Teamleader refused the contact: " + ("; ".join(err.titles) or str(err)))
        else:
            name = " ".join(filter(None, [form.cleaned_data["first_name"], form.cleaned_data["last_name"]]))
            messages.success(request, f"{name} was added to Teamleader.")
            return redirect("crm:dashboard")
    return render(request, "crm/contact_form.html", {"form": form})
