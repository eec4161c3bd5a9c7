"""The public share page, mounted at the site root (/share/<token>), outside the API."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>", views.share_page, name="share-page"),
]
