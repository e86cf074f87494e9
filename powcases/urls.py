from django.urls import path

from . import views

app_name = "powcases"

urlpatterns = [
    path("media/<int:pk>/download/", views.media_download, name="media-download"),
]
