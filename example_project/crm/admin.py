"""The signups in the admin (the Teamleader connection page comes from teamleader.django)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Signup
from .sync import push_signup


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ("full_name", "email", "created_at", "in_teamleader")
    search_fields = ("first_name", "last_name", "email")
    readonly_fields = ("teamleader_id", "sync_error", "created_at")
    actions = ["push_to_teamleader"]

    @admin.display(boolean=True, description="In Teamleader")
    def in_teamleader(self, signup: Signup) -> bool:
        return bool(signup.teamleader_id)

    @admin.action(description="Push selected signups to Teamleader")
    def push_to_teamleader(self, request: HttpRequest, queryset: QuerySet[Signup]) -> None:
        pending = list(queryset.filter(teamleader_id="").values_list("pk", flat=True))
        failed = [pk for pk in pending if not push_signup(pk)]
        if pending and not failed:
            self.message_user(request, f"Pushed {len(pending)} signup(s) to Teamleader.", messages.SUCCESS)
        elif failed:
            self.message_user(
                request,
                f"{len(failed)} of {len(pending)} signup(s) could not be pushed; see “last push error”.",
                messages.ERROR,
            )
        else:
            self.message_user(request, "The selected signups are already in Teamleader.", messages.INFO)
