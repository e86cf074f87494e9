"""Routes of the webhook API (mounted under /api/v1/ by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = router.urls
