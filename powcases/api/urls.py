"""Routes of the case record API (mounted under /api/v1/ by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("detainees", views.DetaineeViewSet, basename="detainee")
router.register("interpreters", views.InterpreterViewSet, basename="interpreter")
router.register("interrogations", views.InterrogationViewSet, basename="interrogation")
router.register("medical-assessments", views.MedicalAssessmentViewSet, basename="medical-assessment")
router.register("media", views.MediaItemViewSet, basename="media")
router.register("capture-cards", views.CaptureCardViewSet, basename="capture-card")
router.register("repatriation-wishes", views.RepatriationWishViewSet, basename="repatriation-wish")
router.register("exchanges", views.ExchangeViewSet, basename="exchange")

urlpatterns = router.urls
