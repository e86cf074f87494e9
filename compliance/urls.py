"""URLs of the compliance reports and Annex IV cards (mounted at /compliance/ by config.urls)."""

from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("reports/", views.report_index, name="report-index"),
    path("reports/detainee/<int:pk>/", views.report_detainee, name="report-detainee"),
    path("reports/facility/<int:pk>/", views.report_facility, name="report-facility"),
    path("reports/period/", views.report_period, name="report-period"),
    path("reports/rule/<str:rule_id>/", views.report_rule, name="report-rule"),
    path("reports/stored/<int:pk>/", views.report_status, name="report-status"),
    path("reports/stored/<int:pk>/progress/", views.report_progress, name="report-progress"),
    path("reports/stored/<int:pk>/download/", views.report_download, name="report-download"),
    path("cards/capture/<int:pk>/", views.card_capture, name="card-capture"),
    path("cards/identity/<int:pk>/", views.card_identity, name="card-identity"),
    path("cards/rights/<int:pk>/", views.card_rights_notice, name="card-rights"),
]
