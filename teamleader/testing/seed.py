"""Builds the sandbox's deterministic account: users, companies, contacts, pipelines, deals."""

from __future__ import annotations

import random
import unicodedata
import uuid
from typing import Any

from . import seed_data as data
from .api.deals import new_deal
from .store import State
from .timeutil import iso_date, iso_datetime, parse_datetime

__all__ = ["DEFAULT_SEED", "SEED_NOW", "build_state"]

DEFAULT_SEED = 20250602
#: The moment the seed describes (2025-06-02T09:00:00+00:00): every seeded date lies before it.
SEED_NOW = 1748854800
DAY = 86400
Record = dict[str, Any]
FOCUS = "https://focus.teamleader.eu"


def _ref(kind: str, record_id: str) -> dict[str, str]:
    return {"type": kind, "id": record_id}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


_LEGAL_FORMS = (" S.à r.l.", " GmbH", " SAS", " SRL", " VZW", " NV", " BV", " SA")


def _split_legal_form(name: str) -> tuple[str, str]:
    """``("Pixelwerf", "BV")`` from ``"Pixelwerf BV"``."""
    for form in _LEGAL_FORMS:
        if name.endswith(form):
            return name[: -len(form)], form.strip()
    return name, ""


def _belgian_vat(rng: random.Random) -> str:
    """An enterprise number that passes the mod-97 check: ``BE0`` + 7 digits + 2 check digits."""
    base = f"0{rng.randrange(4_000_000, 9_999_999):07d}"
    return f"BE{base}{97 - int(base) % 97:02d}"


def _vat(rng: random.Random, country: str) -> str:
    if country == "BE":
        return _belgian_vat(rng)
    digits = "".join(str(rng.randrange(10)) for _ in range(9))
    return {"NL": f"NL{digits}B01", "FR": f"FR{rng.randrange(10, 99)}{digits}", "LU": f"LU{digits[:8]}"}.get(
        country, f"{country}{digits}"
    )


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.state = State()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def digits(self, pattern: str) -> str:
        return "".join(str(self.rng.randrange(10)) if ch == "#" else ch for ch in pattern)

    def moment(self, earliest: float, latest: float = SEED_NOW - 3600) -> int:
        return int(self.rng.uniform(earliest, max(earliest, latest)))

    def build(self) -> State:
        state = self.state
        state.account = {"id": self.new_id(), "name": data.ACCOUNT["name"]}
        self.department = self.new_id()
        self.team = self.new_id()
        self.sources = [self.new_id() for _ in range(3)]
        self.users()
        self.companies()
        self.contacts()
        self.pipelines()
        self.deals()
        return state

    def users(self) -> None:
        for index, (first, last, function, language, status) in enumerate(data.USERS):
            user_id = self.new_id()
            self.state.users[user_id] = {
                "id": user_id,
                "account": _ref("account", self.state.account["id"]),
                "first_name": first,
                "last_name": last,
                "email": f"{_slug(first)}.{_slug(last)}@{data.ACCOUNT['domain']}",
                "email_verification_status": "confirmed",
                "telephones": [{"type": "mobile", "number": self.digits("+32 47# ## ## ##")}],
                "language": language,
                "function": function,
                "time_zone": "Europe/Brussels",
                "status": status,
                "teams": [] if function == "Office Manager" else [_ref("team", self.team)],
                "external_rate": {"amount": float(self.rng.choice((65, 75, 85, 95))), "currency": "EUR"},
                "preferences": {
                    "invoiceable": True,
                    "historic_time_tracking_limit": None,
                    "whitelabeling": False,
                },
            }
            if index == 0:
                self.state.owner_id = user_id
        self.active_users = [u for u, r in self.state.users.items() if r["status"] == "active"]

    def companies(self) -> None:
        business_types: dict[str, str] = {}
        remarks = (
            None,
            None,
            "Met at Flanders Technology & Innovation.",
            "Prefers contact by email.",
            "Annual review in **September**.",
        )
        for index, row in enumerate(data.COMPANIES):
            name, domain, street, postal, city, country, language, phone, pattern = row
            company_id = self.new_id()
            legal_form = _split_legal_form(name)[1]
            business_type = business_types.setdefault(legal_form, self.new_id())
            added = self.moment(SEED_NOW - 900 * DAY, SEED_NOW - 200 * DAY)
            self.state.companies[company_id] = {
                "id": company_id,
                "name": name,
                "status": "deactivated" if index in (14, 23) else "active",
                "business_type": _ref("businessType", business_type),
                "vat_number": _vat(self.rng, country),
                "national_identification_number": None,
                "emails": [{"type": "primary", "email": f"info@{domain}"}],
                "telephones": [{"type": "phone", "number": f"{phone} {self.digits(pattern)}"}],
                "website": f"https://www.{domain}",
                "addresses": [
                    {
                        "type": "primary",
                        "address": {
                            "line_1": street,
                            "postal_code": postal,
                            "city": city,
                            "country": country,
                            "area_level_two": None,
                            "addressee": name,
                        },
                    }
                ],
                "iban": None,
                "bic": None,
                "language": language,
                "preferred_currency": "EUR",
                "payment_term": self.rng.choice(
                    (
                        {"type": "cash"},
                        {"type": "after_invoice_date", "days": 30},
                        {"type": "end_of_month", "days": 30},
                    )
                ),
                "invoicing_preferences": {"electronic_invoicing_address": None},
                "responsible_user": _ref("user", self.rng.choice(self.active_users)),
                "remarks": self.rng.choice(remarks),
                "added_at": iso_datetime(added),
                "updated_at": iso_datetime(self.moment(added)),
                "web_url": f"{FOCUS}/company_detail.php?id={company_id}",
                "tags": sorted(self.rng.sample(data.TAGS, self.rng.randrange(3))),
                "custom_fields": [],
                "marketing_mails_consent": self.rng.random() < 0.4,
                "price_list": None,
            }

    def contact(self, language: str, country: str, domain: str | None, company: Record | None) -> None:
        taken = {(c["first_name"], c["last_name"]) for c in self.state.contacts.values()}
        while True:
            first, gender = self.rng.choice(data.FIRST_NAMES[language])
            last = self.rng.choice(data.LAST_NAMES[language])
            if (first, last) not in taken:
                break
        contact_id = self.new_id()
        mail_domain = domain or self.rng.choice(("telenet.be", "skynet.be", "gmail.com", "proximus.be"))
        salutations = {
            "nl": ("Dhr.", "Mevr."),
            "fr": ("M.", "Mme"),
            "de": ("Herr", "Frau"),
            "en": ("Mr", "Ms"),
        }
        mobile = f"{self.rng.choice(data.MOBILE_PREFIXES[country])} {self.digits('## ## ##')}"
        telephones = [{"type": "mobile", "number": mobile}]
        if company is not None and self.rng.random() < 0.5:
            telephones.append({"type": "phone", "number": company["telephones"][0]["number"]})
        earliest = parse_datetime(company["added_at"]) if company is not None else SEED_NOW - 700 * DAY
        added = self.moment(earliest, SEED_NOW - 30 * DAY)
        addresses = []
        if company is None:
            street, postal, city = self.rng.choice(data.COMPANIES)[2:5]
            addresses = [
                {
                    "type": "primary",
                    "address": {
                        "line_1": street.replace(street.split(" ")[-1], str(self.rng.randrange(1, 180))),
                        "postal_code": postal,
                        "city": city,
                        "country": country,
                        "area_level_two": None,
                    },
                }
            ]
        links = []
        if company is not None:
            links = [
                {
                    "position": self.rng.choice(data.POSITIONS[language]),
                    "secondary_position": None,
                    "division": None,
                    "decision_maker": self.rng.random() < 0.4,
                    "company": _ref("company", company["id"]),
                }
            ]
        self.state.contacts[contact_id] = {
            "id": contact_id,
            "first_name": first,
            "last_name": last,
            "status": "deactivated" if self.rng.random() < 0.05 else "active",
            "salutation": salutations[language][gender == "female"],
            "vat_number": None,
            "emails": [{"type": "primary", "email": f"{_slug(first)}.{_slug(last)}@{mail_domain}"}],
            "telephones": telephones,
            "website": None,
            "addresses": addresses,
            "gender": gender,
            "birthdate": None,
            "iban": None,
            "bic": None,
            "national_identification_number": None,
            "companies": links,
            "language": language,
            "payment_term": {"type": "cash"},
            "invoicing_preferences": {"electronic_invoicing_address": None},
            "remarks": None,
            "tags": sorted(self.rng.sample(data.TAGS, self.rng.randrange(3))),
            "custom_fields": [],
            "marketing_mails_consent": self.rng.random() < 0.5,
            "added_at": iso_datetime(added),
            "updated_at": iso_datetime(self.moment(added)),
            "web_url": f"{FOCUS}/contact_detail.php?id={contact_id}",
            "price_list": None,
        }

    def contacts(self) -> None:
        for company in list(self.state.companies.values()):
            domain = company["website"].removeprefix("https://www.")
            country = company["addresses"][0]["address"]["country"]
            for _ in range(self.rng.randrange(1, 4)):
                self.contact(company["language"], country, domain, company)
        for _ in range(8):
            self.contact(self.rng.choice(("nl", "nl", "fr")), "BE", None, None)

    def pipelines(self) -> None:
        for name, is_default, phases in data.PIPELINES:
            pipeline_id = self.new_id()
            self.state.pipelines[pipeline_id] = {"id": pipeline_id, "name": name, "status": "open"}
            if is_default:
                self.state.default_pipeline_id = pipeline_id
            for order, (phase_name, probability, days) in enumerate(phases):
                phase_id = self.new_id()
                self.state.phases[phase_id] = {
                    "id": phase_id,
                    "name": phase_name,
                    "actions": [],
                    "requires_attention_after": {"amount": days, "unit": "days"},
                    "probability": probability,
                    "_pipeline_id": pipeline_id,
                    "_order": order,
                }
        for name in data.LOST_REASONS:
            reason_id = self.new_id()
            self.state.lost_reasons[reason_id] = {"id": reason_id, "name": name}

    def deals(self) -> None:
        companies = [c for c in self.state.companies.values() if c["status"] == "active"]
        loners = [c for c in self.state.contacts.values() if not c["companies"]]
        drafts = []
        for _ in range(42):
            drafts.append(self.moment(SEED_NOW - 420 * DAY, SEED_NOW - 2 * DAY))
        for created in sorted(drafts):
            if self.rng.random() < 0.85:
                company = self.rng.choice(companies)
                customer, label = _ref("company", company["id"]), _split_legal_form(company["name"])[0]
                people = [
                    c["id"]
                    for c in self.state.contacts.values()
                    if any(link["company"]["id"] == company["id"] for link in c["companies"])
                ]
                contact_person = self.rng.choice(people) if people else None
            else:
                person = self.rng.choice(loners)
                customer = _ref("contact", person["id"])
                label = f"{person['first_name']} {person['last_name']}"
                contact_person = None
            pipeline = (
                self.state.default_pipeline_id
                if self.rng.random() < 0.8
                else next(p for p in self.state.pipelines if p != self.state.default_pipeline_id)
            )
            phases = sorted(
                (p for p in self.state.phases.values() if p["_pipeline_id"] == pipeline),
                key=lambda p: p["_order"],
            )
            title, low, high = self.rng.choice(data.DEAL_TITLES)
            roll = self.rng.random()
            status = "won" if roll < 0.25 else "lost" if roll < 0.45 else "open"
            reach = len(phases) - 1 if status == "won" else self.rng.randrange(len(phases))
            if status == "open" and reach == 0 and self.rng.random() < 0.6:
                status = "new"
            closed = self.moment(created + 7 * DAY, SEED_NOW - 3600) if status in ("won", "lost") else None
            deal = new_deal(
                self.state,
                deal_id=self.new_id(),
                now=created,
                user_id=self.rng.choice(self.active_users),
                title=f"{title} ({label})",
                customer=customer,
                contact_person_id=contact_person,
                phase=phases[0],
                amount=float(self.rng.randrange(low, high, 250)),
                closing_date=iso_date(created + self.rng.randrange(20, 120) * DAY),
                department_id=self.department,
                source_id=self.rng.choice(self.sources),
            )
            started = created
            for phase in phases[1 : reach + 1]:
                started = self.moment(started + DAY, (closed or SEED_NOW) - DAY)
                deal["current_phase"] = _ref("dealPhase", phase["id"])
                deal["estimated_probability"] = phase["probability"]
                deal["phase_history"].append(
                    {
                        "phase": _ref("dealPhase", phase["id"]),
                        "started_at": iso_datetime(started)[:19].replace("T", " "),
                        "started_by": deal["responsible_user"],
                    }
                )
            deal["status"] = status
            deal["weighted_value"]["amount"] = round(
                deal["estimated_value"]["amount"] * deal["estimated_probability"], 2
            )
            if closed is not None:
                deal["closed_at"] = iso_datetime(closed)
            if status == "lost":
                reason = self.rng.choice(list(self.state.lost_reasons))
                deal["lost_reason"] = {"reason": _ref("lostReason", reason), "remark": None}
            deal["updated_at"] = iso_datetime(max(closed or 0, started))


def build_state(seed: int = DEFAULT_SEED) -> State:
    """A fresh, fully populated account; the same ``seed`` always gives the same records."""
    return _Builder(seed).build()
