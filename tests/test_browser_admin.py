"""A case officer, in a real browser, finds a Korean soldier by his Hangul name and reads his record."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from powcases import roles
from tests.factories import (
    DetaineeFactory,
    InterrogationFactory,
    LanguageSkillFactory,
    MedicalAssessmentFactory,
    UserFactory,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_officer_finds_soldier_by_hangul_name_and_sees_his_record_without_medical_details(settings, request):
    # Django's live server wraps the site in a media-files handler that parses MEDIA_URL, which is None here
    # (media is never public). A URL on another host makes that handler step aside; set it before the server starts.
    settings.MEDIA_URL = "http://media.invalid/"
    live_server = request.getfixturevalue("live_server")
    UserFactory(username="officer", role=roles.CASE_OFFICER, password="correct-horse-battery")
    soldier = DetaineeFactory(
        family_name="Ri",
        given_names="Chol-ung",
        family_name_original="리",
        given_names_original="철웅",
        nationality="KP",
        power_depends_on="KP",
    )
    LanguageSkillFactory(detainee=soldier, language="kor", script="Kore")
    InterrogationFactory(detainee=soldier, language="kor", conducted_by="SBU investigator")
    MedicalAssessmentFactory(detainee=soldier, injuries="Wounds to both hands")
    DetaineeFactory(family_name="Ivanov", family_name_original="Иванов")

    # Everything the test needs from the database is written above: the browser runs its own event loop.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", "officer")
            page.fill("#id_password", "correct-horse-battery")
            page.click("input[type=submit]")
            expect(page.locator("#site-name")).to_contain_text("POW case management")

            page.goto(f"{live_server.url}/admin/powcases/detainee/")
            page.fill("#searchbar", "철웅")
            page.press("#searchbar", "Enter")
            results = page.locator("#result_list tbody tr")
            expect(results).to_have_count(1)
            expect(results.first).to_contain_text("리 철웅")

            results.first.locator("a", has_text=soldier.case_number).click()
            expect(page.locator("h2", has_text="Language skills")).to_be_visible()
            expect(page.locator("h2", has_text="Interrogations")).to_be_visible()
            expect(page.locator("h2", has_text="Custody history")).to_be_visible()
            expect(page.locator("#id_languages-0-language")).to_have_value("kor")
            expect(page.locator("#id_interrogations-0-conducted_by")).to_have_value("SBU investigator")
            expect(page.locator("h2", has_text="Medical assessments")).to_have_count(0)
            expect(page.get_by_text("Wounds to both hands")).to_have_count(0)
        finally:
            browser.close()
