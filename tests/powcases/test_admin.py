"""The admin for case officers: who sees what, writes through services, and no query per row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from powcases import services
from powcases.choices import ExchangeStatus
from powcases.models import Detainee, DetaineeAlias, ExchangeProposal
from tests.factories import (
    CaptureCardFactory,
    CustodyEventFactory,
    DetaineeAliasFactory,
    DetaineeFactory,
    FacilityFactory,
    IdentityDocumentFactory,
    InformationNotificationFactory,
    InterpreterFactory,
    InterrogationFactory,
    LanguageSkillFactory,
    MediaItemFactory,
    MedicalAssessmentFactory,
    RepatriationWishFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:powcases_detainee_changelist")
ADD = reverse("admin:powcases_detainee_add")


def change_url(detainee: Detainee) -> str:
    return reverse("admin:powcases_detainee_change", args=[detainee.pk])


def inline_management_data(request_user, obj=None) -> dict[str, str]:
    """Management-form fields for every inline the user gets on the detainee page (all empty)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = request_user
    model_admin = site._registry[Detainee]
    data = {}
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    return data


def add_detainee_payload(user, **fields) -> dict[str, str]:
    payload = {
        "status": "prisoner_of_war",
        "quarters": "adults",
        "family_name": "Kim",
        "given_names": "Kwang-hyok",
        "family_name_original": "김",
        "given_names_original": "광혁",
        "original_script": "Hang",
        "date_of_birth": "1999",
        "sex": "M",
        "nationality": "kp",
        "power_depends_on": "KP",
        "rank_category": "unknown",
        "military_role": "scout sniper",
        "serving_since": "2016",
    }
    payload |= inline_management_data(user)
    payload |= fields
    return payload


# --- Access per role -------------------------------------------------------------------------------------


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_outsider_without_a_role_sees_no_detainee(client_for, outsider):
    DetaineeFactory()

    assert client_for(outsider).get(CHANGELIST).status_code == 403


def test_case_officer_sees_the_record_but_not_medical_assessments(client_for, case_officer):
    detainee = DetaineeFactory()
    MedicalAssessmentFactory(detainee=detainee, injuries="Jaw injury")
    LanguageSkillFactory(detainee=detainee, language="kor")
    client = client_for(case_officer)

    response = client.get(change_url(detainee))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Language skills" in body and "Custody history" in body and "Interrogations" in body
    assert "Medical assessments" not in body and "Jaw injury" not in body
    assert client.get(reverse("admin:powcases_medicalassessment_changelist")).status_code == 403


@pytest.mark.parametrize("persona", ["medical_officer", "legal_reviewer"], indirect=True)
def test_medical_officer_and_legal_reviewer_see_medical_assessments(client_for, persona):
    detainee = DetaineeFactory()
    MedicalAssessmentFactory(detainee=detainee, injuries="Jaw injury")

    response = client_for(persona).get(change_url(detainee))

    assert response.status_code == 200
    assert "Jaw injury" in response.content.decode()


def test_auditor_can_read_but_not_change(client_for, auditor):
    detainee = DetaineeFactory(family_name="Ri", date_of_birth=dt.date(2005, 1, 1), date_of_birth_precision="year")
    client = client_for(auditor)

    page = client.get(change_url(detainee))
    assert page.status_code == 200
    assert '<div class="readonly">2005</div>' in page.content.decode()  # as recorded, not "Jan. 1, 2005"
    response = client.post(change_url(detainee), add_detainee_payload(auditor, family_name="Changed"))

    assert response.status_code == 403
    detainee.refresh_from_db()
    assert detainee.family_name == "Ri"
    assert client.get(ADD).status_code == 403


# --- Writes through the admin ----------------------------------------------------------------------------


def test_case_officer_adds_a_detainee_with_a_partial_birth_date_and_korean(client_for, case_officer):
    payload = add_detainee_payload(
        case_officer,
        **{
            "languages-TOTAL_FORMS": "1",
            "languages-0-language": "ko-KP",
            "languages-0-understands": "on",
            "languages-0-speaks": "on",
            "languages-0-reads": "true",
            "languages-0-writes": "true",
            "languages-0-established_by": "interpreter_assessment",
        },
    )

    response = client_for(case_officer).post(ADD, payload)

    assert response.status_code == 302, response.content.decode()[:3000]
    detainee = Detainee.objects.get()
    assert detainee.case_number.startswith(f"POW-{timezone.now().year}-")
    assert (detainee.date_of_birth, detainee.date_of_birth_precision) == (dt.date(1999, 1, 1), "year")
    assert detainee.nationality == "KP"
    assert list(detainee.languages.values_list("language", flat=True)) == ["kor"]
    assert detainee.history.latest().history_user == case_officer
    assert detainee.languages.get().history.latest().history_user == case_officer


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "1999-13", "Date of birth: &#x27;1999-13&#x27; is not a valid calendar date."),
        ("languages-0-language", "klingon!", "Language: &#x27;klingon!&#x27; is not a language code"),
        ("nationality", "XX", "Nationality: &#x27;XX&#x27; is not a country code"),
    ],
)
def test_bad_input_in_the_admin_names_the_field(client_for, case_officer, field, value, message):
    payload = add_detainee_payload(
        case_officer,
        **{"languages-TOTAL_FORMS": "1", "languages-0-language": "kor", "languages-0-established_by": "self_declared"},
    )
    payload[field] = value

    response = client_for(case_officer).post(ADD, payload)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Detainee.objects.exists()


def test_search_in_hangul_finds_the_soldier(client_for, case_officer):
    ri = DetaineeFactory(family_name="Ri", family_name_original="리", given_names_original="철웅")
    DetaineeFactory(family_name="Ivanov", family_name_original="Иванов")

    response = client_for(case_officer).get(CHANGELIST, {"q": "철웅"})

    assert list(response.context["cl"].result_list) == [ri]


@pytest.mark.parametrize("typed", ["리철웅", "철웅 리", "Ri Chol-ung", "Chol-ung Ri", "richol-ung"])
def test_search_finds_the_whole_name_as_a_user_types_it(client_for, case_officer, typed):
    ri = DetaineeFactory(
        family_name="Ri", given_names="Chol-ung", family_name_original="리", given_names_original="철웅"
    )
    DetaineeFactory(family_name="Kim", given_names="Kwang-hyok", family_name_original="김")

    response = client_for(case_officer).get(CHANGELIST, {"q": typed})

    assert list(response.context["cl"].result_list) == [ri]


def test_search_finds_the_name_on_his_document(client_for, case_officer):
    ri = DetaineeFactory(family_name="Ri")
    IdentityDocumentFactory(detainee=ri, name_on_document="Ондар Айдын Борисович")
    DetaineeFactory()

    response = client_for(case_officer).get(CHANGELIST, {"q": "Ондар"})

    assert list(response.context["cl"].result_list) == [ri]


def test_language_filter_lists_only_speakers_of_that_language(client_for, case_officer):
    korean = DetaineeFactory()
    LanguageSkillFactory(detainee=korean, language="kor")
    LanguageSkillFactory(detainee=DetaineeFactory(), language="rus")

    response = client_for(case_officer).get(CHANGELIST, {"language": "kor"})

    assert list(response.context["cl"].result_list) == [korean]


def test_changelist_shows_birth_date_as_recorded_and_latest_wish(client_for, case_officer):
    detainee = DetaineeFactory(date_of_birth=dt.date(1999, 1, 1), date_of_birth_precision="year")
    RepatriationWishFactory(detainee=detainee, wish="wishes_to_return", recorded_at=timezone.now() - dt.timedelta(9))
    RepatriationWishFactory(detainee=detainee, wish="does_not_wish_to_return")

    body = client_for(case_officer).get(CHANGELIST).content.decode()

    assert '<td class="field-birth">1999</td>' in body
    assert "Does not wish to return" in body


def test_exchange_action_refuses_a_transition_the_table_does_not_allow(client_for, exchange_coordinator):
    proposal = services.exchange_save(
        actor=None, proposal=ExchangeProposal(reference="EX-9", counterparty="RU"), outgoing=[DetaineeFactory()]
    )
    client = client_for(exchange_coordinator)
    url = reverse("admin:powcases_exchangeproposal_changelist")

    response = client.post(url, {"action": "move_to_agreed", "_selected_action": [proposal.pk]}, follow=True)

    assert "Cannot move from &#x27;draft&#x27; to &#x27;agreed&#x27;" in response.content.decode()
    client.post(url, {"action": "move_to_proposed", "_selected_action": [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.status == ExchangeStatus.PROPOSED
    assert proposal.transitions.last().actor == exchange_coordinator


# --- Query counts ----------------------------------------------------------------------------------------


def make_detainees(count: int) -> None:
    facilities = [FacilityFactory(), FacilityFactory()]
    for index in range(count):
        detainee = DetaineeFactory(current_facility=facilities[index % 2])
        RepatriationWishFactory(detainee=detainee)
        LanguageSkillFactory(detainee=detainee, language="rus")


def test_detainee_changelist_issues_the_same_queries_for_5_and_25_rows(
    client_for, case_officer, django_assert_num_queries
):
    client = client_for(case_officer)
    make_detainees(5)
    client.get(CHANGELIST)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as five:
        assert client.get(CHANGELIST).status_code == 200

    make_detainees(20)
    # session, user, permissions, count, filtered count, rows (facility joined, latest wish annotated),
    # facility filter choices, nationality choices, language choices: the same whatever the number of rows.
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 25


def fill_record(detainee: Detainee, rows: int, interpreters: list) -> None:
    for _ in range(rows):
        DetaineeAliasFactory(detainee=detainee)
        CustodyEventFactory(detainee=detainee)
        IdentityDocumentFactory(detainee=detainee)
        MedicalAssessmentFactory(detainee=detainee, facility=detainee.current_facility)
        InterrogationFactory(detainee=detainee, interpreters=interpreters, facility=detainee.current_facility)
        MediaItemFactory(depicted=[detainee])
        CaptureCardFactory(detainee=detainee)
        InformationNotificationFactory(detainee=detainee)
        RepatriationWishFactory(detainee=detainee).interpreters.set(interpreters)
        VisitFactory(detainee=detainee, facility=detainee.current_facility)
    services.exchange_save(
        actor=None, proposal=ExchangeProposal(reference=f"EX-{detainee.pk}", counterparty="RU"), outgoing=[detainee]
    )


def test_detainee_change_page_queries_do_not_grow_with_inline_rows(
    client_for, legal_reviewer, django_assert_num_queries
):
    # The legal reviewer sees every inline, the medical one included.
    interpreters = [InterpreterFactory(), InterpreterFactory()]
    small, large = DetaineeFactory(), DetaineeFactory()
    fill_record(small, 1, interpreters)
    fill_record(large, 6, interpreters)
    client = client_for(legal_reviewer)
    client.get(change_url(small))
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(change_url(small)).status_code == 200

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(change_url(large))
    assert response.status_code == 200
    assert response.content.decode().count("has_original") >= 6 * 9  # the rows are all there


def test_case_officer_change_page_also_stays_flat(client_for, case_officer, django_assert_num_queries):
    interpreters = [InterpreterFactory()]
    small, large = DetaineeFactory(), DetaineeFactory()
    fill_record(small, 1, interpreters)
    fill_record(large, 5, interpreters)
    client = client_for(case_officer)
    client.get(change_url(small))
    with CaptureQueriesContext(connection) as one_row:
        client.get(change_url(small))

    with django_assert_num_queries(len(one_row.captured_queries)):
        assert client.get(change_url(large)).status_code == 200


def form_data(response) -> dict:
    """The POST data a browser would send back for a change page left as it is (main form and every inline)."""
    from django.forms import SplitDateTimeWidget

    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict = {}
    for form in forms:
        for name, field in form.fields.items():
            key, value = form.add_prefix(name), form[name].value()
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, SplitDateTimeWidget):
                parts = widget.decompress(value) if value else [None, None]
                data[f"{key}_0"] = parts[0].isoformat() if parts[0] else ""
                data[f"{key}_1"] = parts[1].strftime("%H:%M:%S") if parts[1] else ""
            elif isinstance(value, bool):
                if field.widget.__class__.__name__ == "NullBooleanSelect":
                    data[key] = "true" if value else "false"
                elif value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)
    return data


def test_case_officer_edits_a_full_record_and_history_names_him(client_for, case_officer):
    detainee = DetaineeFactory(date_of_birth=dt.date(1999, 1, 1), date_of_birth_precision="year")
    fill_record(detainee, 2, [InterpreterFactory()])
    client = client_for(case_officer)
    page = client.get(change_url(detainee))
    data = form_data(page)
    data["date_of_birth"] = "1999-05"
    data["aliases-0-DELETE"] = "on"
    removed_alias = detainee.aliases.order_by("name").first()
    data["languages-TOTAL_FORMS"] = "1"
    data |= {
        "languages-0-language": "ko",
        "languages-0-understands": "on",
        "languages-0-speaks": "on",
        "languages-0-reads": "unknown",
        "languages-0-writes": "unknown",
        "languages-0-established_by": "self_declared",
    }

    response = client.post(change_url(detainee), data)

    assert response.status_code == 302, [
        (f.prefix, f.errors) for s in response.context["inline_admin_formsets"] for f in s.formset.forms if f.errors
    ] or response.context["adminform"].form.errors
    detainee.refresh_from_db()
    assert detainee.birth_date_display == "1999-05"
    assert list(detainee.languages.values_list("language", flat=True)) == ["kor"]
    assert detainee.interrogations.count() == 2
    assert detainee.aliases.count() == 1
    assert DetaineeAlias.history.get(id=removed_alias.pk, history_type="-").history_user == case_officer
    history = client.get(reverse("admin:powcases_detainee_history", args=[detainee.pk]))
    assert history.status_code == 200
    assert case_officer.username in history.content.decode()


def powcases_changelists() -> list[str]:
    return sorted(m._meta.model_name for m in site._registry if m._meta.app_label == "powcases")


@pytest.mark.parametrize("model_name", powcases_changelists())
def test_every_changelist_issues_the_same_queries_for_more_rows(
    client_for, superuser, model_name, django_assert_num_queries
):
    url = reverse(f"admin:powcases_{model_name}_changelist")
    interpreters = [InterpreterFactory(), InterpreterFactory()]
    fill_record(DetaineeFactory(), 1, interpreters)
    client = client_for(superuser)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    for _ in range(2):
        fill_record(DetaineeFactory(), 1, interpreters)
    InterpreterFactory()
    FacilityFactory()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("persona", ["exchange_coordinator", "auditor"], indirect=True)
def test_exchange_page_queries_do_not_grow_with_members(client_for, persona, django_assert_num_queries):
    small = services.exchange_save(
        actor=None,
        proposal=ExchangeProposal(reference="EX-S", counterparty="RU"),
        outgoing=[DetaineeFactory()],
        incoming=[{"family_name": "Melnyk", "date_of_birth": "1990"}],
    )
    large = services.exchange_save(
        actor=None,
        proposal=ExchangeProposal(reference="EX-L", counterparty="RU"),
        outgoing=[DetaineeFactory() for _ in range(8)],
        incoming=[{"family_name": f"Koval {n}", "date_of_birth": "1990-05"} for n in range(8)],
    )
    for proposal in (small, large):
        services.exchange_transition(actor=None, proposal=proposal, to=ExchangeStatus.PROPOSED)
    client = client_for(persona)
    url = "admin:powcases_exchangeproposal_change"
    client.get(reverse(url, args=[small.pk]))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url, args=[small.pk]))

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse(url, args=[large.pk]))
    assert "1990-05" in response.content.decode()


def test_history_shows_an_empty_facility_as_empty_not_as_deleted(client_for, case_officer):
    detainee = services.detainee_create(actor=case_officer, family_name="Ri")
    services.custody_event_record(
        actor=case_officer,
        detainee=detainee,
        kind="arrival",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        to_facility=FacilityFactory(name="Kyiv hospital"),
    )

    body = client_for(case_officer).get(reverse("admin:powcases_detainee_history", args=[detainee.pk])).content
    assert "Kyiv hospital" in body.decode()
    assert "pk=None" not in body.decode()


def test_a_service_refusing_the_save_gives_a_message_and_writes_nothing(client_for, case_officer, monkeypatch):
    from django.core.exceptions import ValidationError

    detainee = DetaineeFactory(family_name="Ri")
    client = client_for(case_officer)
    data = form_data(client.get(change_url(detainee)))
    data["family_name"] = "Changed"

    def refuse(**kwargs):
        raise ValidationError({"status": ["Refused by a rule that spans records."]})

    monkeypatch.setattr(services, "detainee_update", refuse)
    response = client.post(change_url(detainee), data, follow=True)

    assert response.status_code == 200
    assert "Nothing was saved: Refused by a rule that spans records." in response.content.decode()
    detainee.refresh_from_db()
    assert detainee.family_name == "Ri"
