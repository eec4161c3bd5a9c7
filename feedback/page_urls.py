"""The public share page, mounted at the site root (/share/<token>), outside the API."""

from django.urls import path

from cloudinterview.api.ids import register_id_converters

from . import views

register_id_converters()

urlpatterns = [
    path("<share_token:token>", views.share_page, name="share-page"),
]
