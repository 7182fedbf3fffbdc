from django.urls import include, path

urlpatterns = [path("teamleader/", include("teamleader.django.urls"))]
