"""Every registered page of the case record opens, and the media item page links to the private download."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.files.base import ContentFile
from django.urls import reverse

from powcases import services
from powcases.models import ExchangeProposal
from tests.factories import (
    DetaineeFactory,
    ExchangeIncomingFactory,
    InterpreterFactory,
    InterrogationFactory,
    MediaItemFactory,
)

pytestmark = pytest.mark.django_db

POWCASES_MODELS = sorted(
    (model._meta.model_name for model in site._registry if model._meta.app_label == "powcases"),
)


@pytest.mark.parametrize("model_name", POWCASES_MODELS)
def test_changelist_opens_for_the_superuser(client_for, superuser, model_name):
    DetaineeFactory()

    response = client_for(superuser).get(reverse(f"admin:powcases_{model_name}_changelist"))

    assert response.status_code == 200


def test_media_item_page_links_to_the_permission_checked_download(client_for, case_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = MediaItemFactory(depicted=[DetaineeFactory()])
    item.file.save("photo.png", ContentFile(b"png"), save=True)
    download = reverse("powcases:media-download", args=[item.pk])

    page = client_for(case_officer).get(reverse("admin:powcases_mediaitem_change", args=[item.pk])).content.decode()
    listing = client_for(case_officer).get(reverse("admin:powcases_mediaitem_changelist")).content.decode()

    assert f'href="{download}"' in page
    assert f'href="{download}"' in listing


def test_exchange_page_shows_status_history_and_what_may_come_next(client_for, exchange_coordinator):
    proposal = services.exchange_save(
        actor=None, proposal=ExchangeProposal(reference="EX-2025-0001", counterparty="RU"), outgoing=[DetaineeFactory()]
    )
    ExchangeIncomingFactory(proposal=proposal, family_name="Shevchuk")
    services.exchange_transition(actor=exchange_coordinator, proposal=proposal, to="proposed")

    body = (
        client_for(exchange_coordinator)
        .get(reverse("admin:powcases_exchangeproposal_change", args=[proposal.pk]))
        .content.decode()
    )

    assert "Status history" in body
    assert "Agreed, Rejected, Cancelled" in body
    assert "Shevchuk" in body


def test_interrogation_page_offers_interpreters_and_saves_them_through_the_service(client_for, case_officer):
    session = InterrogationFactory(language="kor")
    nis = InterpreterFactory(name="NIS-1", languages=["kor", "ukr"])
    url = reverse("admin:powcases_interrogation_change", args=[session.pk])
    client = client_for(case_officer)
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "detainee": session.detainee_id,
            "started_at_0": session.started_at.strftime("%Y-%m-%d"),
            "started_at_1": session.started_at.strftime("%H:%M:%S"),
            "language": "ko",
            "mode": "written",
            "answers_in_writing": "on",
            "interpreters": [nis.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert session.language == "kor"
    assert list(session.interpreters.all()) == [nis]
    assert session.history.latest().history_user == case_officer
