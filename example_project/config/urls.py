from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),  # "Connect to Teamleader" lives on the Teamleader connection page
    path("teamleader/", include("teamleader.django.urls")),  # where Teamleader posts webhooks
    path("", include("crm.urls")),
]
