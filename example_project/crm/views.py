"""Pages that read and change Teamleader data.

The dashboard reads the mirror (``teamleader.django.mirror``): local tables that
``teamleader_sync`` fills and webhooks keep current, so showing it costs no API call.
The deal page and the forms talk to Teamleader through ``get_client()``, which is cheap
to call per request: each thread keeps one client, and the token is read from the
database (and refreshed when needed) on every call.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from teamleader import NOT_GIVEN, TeamleaderBadRequestError, TeamleaderClient
from teamleader.django import get_client
from teamleader.django.mirror.models import Contact, Deal
from teamleader.models import Deal as DealRecord

from . import mirror
from .forms import ContactForm, LoseDealForm
from .pagination import Pager
from .teamleader_errors import handles_teamleader_errors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    contacts, contacts_pager = Pager.from_query(request.GET, "contacts").page_of(
        Contact.objects.order_by("-added_at", "pk")
    )
    deals, deals_pager = Pager.from_query(request.GET, "deals").page_of(
        Deal.objects.select_related("phase").order_by("-created_at", "pk")
    )
    return render(request, "crm/dashboard.html", {
        "contacts": contacts,
        "contacts_pager": contacts_pager,
        "deals": deals,
        "deals_pager": deals_pager,
        "mirror": mirror.status(),
    })


@login_required
def mirror_status(request: HttpRequest) -> JsonResponse:
    """What the dashboard polls to reload itself when the mirror changed (a webhook arrived)."""
    return JsonResponse({"version": mirror.status()["version"]})


@require_POST
@login_required
@handles_teamleader_errors
def mirror_sync(request: HttpRequest) -> HttpResponse:
    """Copy Teamleader into the mirror now (with the sandbox, also register its webhooks here)."""
    summary = mirror.fill(request, register_webhooks=bool(settings.TEAMLEADER_SANDBOX_URL))
    messages.success(request, f"Synced from Teamleader: {summary}")
    return redirect("crm:dashboard")


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


def customer_name(client: TeamleaderClient, deal: DealRecord) -> str:
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
    mirror.refreshed("deals", deal_id)
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
    mirror.refreshed("deals", deal_id)
    messages.success(request, "The deal is marked as lost in Teamleader.")
    return redirect("crm:deal", deal_id=deal_id)


@login_required
@handles_teamleader_errors
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = get_client().contacts.add(**form.add_arguments())
        except TeamleaderBadRequestError as err:  # Teamleader's own validation
            form.add_error(None, "Teamleader refused the contact: " + ("; ".join(err.titles) or str(err)))
        else:
            if created is not None and created.id:
                mirror.refreshed("contacts", created.id)
            name = " ".join(filter(None, [form.cleaned_data["first_name"], form.cleaned_data["last_name"]]))
            messages.success(request, f"{name} was added to Teamleader.")
            return redirect("crm:dashboard")
    return render(request, "crm/contact_form.html", {"form": form})
