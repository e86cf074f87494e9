"""Routes of the compliance API (mounted under /api/v1/ by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("findings", views.FindingViewSet, basename="finding")
router.register("rules", views.RuleViewSet, basename="rule")
router.register("compliance-runs", views.ComplianceRunViewSet, basename="compliance-run")

urlpatterns = router.urls
