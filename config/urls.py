"""URL configuration. Everything requires login; media and reports are served only through permission checks."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("cases/", include("powcases.urls")),
    path("compliance/", include("compliance.urls")),
    path("api/", include("config.api_urls")),  # /api/v1/..., /api/schema/, /api/docs/
]
