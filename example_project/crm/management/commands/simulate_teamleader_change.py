"""``manage.py simulate_teamleader_change``: change a deal in Teamleader, as a colleague would.

For the demo's live mirror: the change goes to Teamleader (the sandbox), which posts a
webhook to this site, whose mirror applies it; the open dashboard reloads by itself.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from teamleader import TeamleaderError
from teamleader.django import get_client


class Command(BaseCommand):
    help = "Win, lose or move one open deal in Teamleader (not through this site), to watch the mirror follow."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--deal", help="The deal's id (default: a random open one).")
        parser.add_argument("--action", choices=["win", "lose", "move"], help="Default: chosen at random.")

    def handle(self, *args: Any, deal: str | None, action: str | None, **options: Any) -> None:
        client = get_client()
        try:
            if deal is None:
                open_deals = client.deals.list(filter={"status": ["open"]}, page={"size": 100})
                if not open_deals:
                    raise CommandError("Teamleader has no open deal to change.")
                deal = random.choice(open_deals).id
            action = action or random.choice(["win", "lose", "move"])
            info = client.deals.info(deal)
            if action == "win":
                client.deals.win(deal)
                done = "won"
            elif action == "lose":
                client.deals.lose(deal)
                done = "lost"
            else:
                phases = client.deal_phases.list(page={"size": 100})
                current = (info.get("current_phase") or {}).get("id")
                phase = next((p for p in phases if p.id != current), None)
                if phase is None:
                    raise CommandError("There is no other phase to move the deal to.")
                client.deals.move(deal, phase_id=phase.id)
                done = f"moved to {phase.name}"
        except TeamleaderError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(self.style.SUCCESS(f"{info.title}: {done} in Teamleader. Watch the dashboard follow."))
