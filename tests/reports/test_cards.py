"""Annex IV B capture card, Art. 17(3) identity card and Art. 17 notice: from the record, in his language."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from compliance.reports import cards
from tests.factories import DetaineeFactory, LanguageSkillFactory


def _pdf_info(content: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "card.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return info, fonts


def test_capture_card_is_in_ukrainian_and_korean_for_a_korean_reader(client_for, case_officer, korean_soldier):
    html = client_for(case_officer).get(reverse("compliance:card-capture", kwargs={"pk": korean_soldier.pk})).content
    text = html.decode()
    assert "Картка про взяття в полон військовополоненого" in text and "전쟁포로 포획 카드" in text
    assert "Прізвище" in text and "성" in text and "아버지의 이름" in text
    assert "RI (리)" in text and "Chol-su (철수)" in text
    assert "KPA-2004-117" in text and korean_soldier.case_number in text and "Camp West-7" in text


def test_capture_card_leaves_blank_what_the_record_does_not_hold(legal_reviewer, korean_soldier):
    context = cards.capture_card_context(korean_soldier.pk, user=legal_reviewer)
    values = context["values"]
    # Not recorded: left for the prisoner to complete, never guessed.
    assert values["father"] == "" and values["place_of_birth"] == "" and values["next_of_kin"] == ""
    assert values["coming_from"] == "" and values["date"] == "" and values["signature"] == ""
    # Recorded with year precision only: printed as recorded.
    assert values["date_of_birth"] == "2004"
    assert values["power"] == "North Korea (KP)"


def test_state_of_health_is_filled_only_for_roles_that_see_medical_details(
    legal_reviewer, case_officer, korean_soldier
):
    shown = cards.capture_card_context(korean_soldier.pk, user=legal_reviewer)
    assert shown["health"] == "slightly_wounded"
    assert [o["value"] for o in shown["health_options"] if o["selected"]] == ["slightly_wounded"]
    hidden = cards.capture_card_context(korean_soldier.pk, user=case_officer)
    assert hidden["health"] == "" and not any(o["selected"] for o in hidden["health_options"])
    assert any("state of health is left blank" in note for note in hidden["languages"].notes)


def test_capture_card_pdf_is_15_by_10_5_cm_and_embeds_a_korean_font(
    client_for, legal_reviewer, korean_soldier, tmp_path
):
    response = client_for(legal_reviewer).get(
        reverse("compliance:card-capture", kwargs={"pk": korean_soldier.pk}) + "?format=pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    info, fonts = _pdf_info(response.content, tmp_path)
    assert "Page size:       425.197 x 297.638 pts" in info  # 150 x 105 mm
    assert "Pages:           2" in info  # address side and fields side
    assert "NanumGothic" in fonts


def test_identity_card_shows_the_art_17_3_items_on_a_10_by_6_5_cm_card(
    client_for, case_officer, korean_soldier, tmp_path
):
    url = reverse("compliance:card-identity", kwargs={"pk": korean_soldier.pk})
    context = cards.identity_card_context(korean_soldier.pk)
    assert context["values"] == {
        "surname": "RI (리)",
        "first_names": "Chol-su (철수)",
        "rank": "Private",
        "serial_number": "KPA-2004-117",
        "date_of_birth": "2004",
    }
    info, fonts = _pdf_info(client_for(case_officer).get(url + "?format=pdf").content, tmp_path)
    assert "Page size:       283.465 x 184.252 pts" in info  # 100 x 65 mm
    assert "NanumGothic" in fonts


def test_notice_of_rights_is_in_his_language_with_paragraphs_cited(client_for, case_officer, korean_soldier):
    html = (
        client_for(case_officer)
        .get(reverse("compliance:card-rights", kwargs={"pk": korean_soldier.pk}))
        .content.decode()
    )
    assert "신문을 받을 때 귀하의 권리와 의무" in html
    assert "제17조 제6항" in html and "이해하는 언어" in html
    assert "제17조 제4항" in html and "강압" in html
    assert "права та обов&#x27;язки під час допиту" in html and "ст. 17, п. 1" in html  # for the Ukrainian officer
    russian = (
        client_for(case_officer)
        .get(reverse("compliance:card-rights", kwargs={"pk": korean_soldier.pk}) + "?lang=rus")
        .content.decode()
    )
    assert "Ваши права и обязанности при допросе" in russian and "ст. 17, п. 6" in russian


def test_a_language_without_texts_falls_back_to_english_and_says_so(client_for, case_officer, db):
    detainee = DetaineeFactory()
    LanguageSkillFactory(detainee=detainee, language="hye", reads=True)
    context = cards.rights_notice_context(detainee.pk)
    assert context["language"] == "eng"
    assert [block["code"] for block in context["blocks"]] == ["eng", "ukr"]
    assert "Armenian" in context["notes"][0] and "interpreter" in context["notes"][0]
    html = client_for(case_officer).get(reverse("compliance:card-capture", kwargs={"pk": detainee.pk})).content.decode()
    assert "Armenian" in html and "Capture card for prisoner of war" in html


def test_a_ukrainian_speaking_prisoner_gets_ukrainian_and_english(db):
    detainee = DetaineeFactory()
    LanguageSkillFactory(detainee=detainee, language="ukr", reads=True)
    assert cards.card_languages(list(detainee.languages.all())).codes == ["ukr", "eng"]


def test_an_unsupported_card_language_is_a_400(client_for, case_officer, korean_soldier):
    response = client_for(case_officer).get(
        reverse("compliance:card-rights", kwargs={"pk": korean_soldier.pk}) + "?lang=klingon"
    )
    assert response.status_code == 400 and "<code>lang</code>" in response.content.decode()


@pytest.mark.parametrize("name", ["card-capture", "card-identity", "card-rights"])
def test_cards_need_permission_to_view_the_detainee(client_for, outsider, korean_soldier, name):
    assert client_for(outsider).get(reverse(f"compliance:{name}", kwargs={"pk": korean_soldier.pk})).status_code == 403


def test_every_notice_language_cites_the_same_paragraphs():
    paragraphs = {lang: [p for p, _ in text["items"]] for lang, text in cards.NOTICE.items()}
    assert len(set(map(tuple, paragraphs.values()))) == 1
    assert set(paragraphs["eng"]) == {"17(1)", "17(2)", "17(3)", "17(4)", "17(5)", "17(6)"}
    for labels in cards.LABELS.values():
        assert set(labels) == set(cards.LABELS["eng"])
