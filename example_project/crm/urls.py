from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mirror/status/", views.mirror_status, name="mirror_status"),
    path("mirror/sync/", views.mirror_sync, name="mirror_sync"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("deals/<str:deal_id>/", views.deal_detail, name="deal"),
    path("deals/<str:deal_id>/win/", views.deal_win, name="deal_win"),
    path("deals/<str:deal_id>/lose/", views.deal_lose, name="deal_lose"),
]
