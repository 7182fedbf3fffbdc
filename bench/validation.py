"""What checking a request against the spec costs, per call (target: under 20 µs).

Times ``teamleader.validation.check_request`` (what ``client.call()`` runs before sending)
on typical bodies, after a first call has imported the group's rules. Prints the median
of several repeats, in microseconds per call.

    python bench/validation.py [--number 20000]

Not a test: it asserts nothing, it measures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teamleader.validation import SPEC_VERSION, check_request  # noqa: E402

CASES = [
    (
        "contacts.list with a filter, a page and a sort",
        "contacts.list",
        {
            "filter": {
                "email": {"type": "primary", "email": "ada@example.com"},
                "tags": ["vip"],
                "status": "active",
            },
            "page": {"size": 100, "number": 1},
            "sort": [{"field": "added_at", "order": "desc"}],
        },
    ),
    (
        "deals.create with a lead and a value",
        "deals.create",
        {
            "title": "Website",
            "lead": {"customer": {"type": "company", "id": "c3dea2c8"}, "contact_person_id": "f8a57a6f"},
            "estimated_value": {"amount": 12500, "currency": "EUR"},
            "responsible_user_id": "66abace2",
        },
    ),
    ("deals.win (an id only)", "deals.win", {"id": "c3dea2c8-dad9-4834-8a49-e16b5c5f1dde"}),
    (
        "invoices.draft with two lines (a large schema)",
        "invoices.draft",
        {
            "invoicee": {"customer": {"type": "company", "id": "c3dea2c8"}},
            "department_id": "6a6343fc",
            "payment_term": {"type": "after_invoice_date", "days": 30},
            "grouped_lines": [
                {
                    "line_items": [
                        {
                            "quantity": 3,
                            "description": "Support hour",
                            "unit_price": {"amount": 85, "tax": "excluding"},
                            "tax_rate_id": "c0c03f1e",
                        }
                    ]
                    * 2
                }
            ],
        },
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20000, help="calls per repeat")
    args = parser.parse_args()
    print(f"request validation against Teamleader's OpenAPI {SPEC_VERSION} ({args.number} calls x 7 repeats)")
    for label, endpoint, body in CASES:
        check_request(endpoint, body)  # imports the group's rules once
        times = timeit.repeat(lambda: check_request(endpoint, body), number=args.number, repeat=7)  # noqa: B023
        print(f"{label:<50} {statistics.median(times) / args.number * 1e6:6.2f} µs per call")


if __name__ == "__main__":
    main()
