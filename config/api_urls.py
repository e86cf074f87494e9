"""The integration API: /api/v1/ (case record, compliance, webhooks), /api/schema/ (OpenAPI 3), /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from compliance.api.urls import urlpatterns as compliance_urls
from integrations.api.urls import urlpatterns as integrations_urls
from powcases.api.urls import urlpatterns as powcases_urls

app_name = "api"

urlpatterns = [
    path("v1/", include(powcases_urls + compliance_urls + integrations_urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
