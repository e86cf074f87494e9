"""The demo commands: the article's two soldiers as described, loaded once however often the command runs."""

from __future__ import annotations

import datetime as dt
import tempfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from compliance.choices import Outcome
from compliance.models import Finding
from powcases import roles
from powcases.choices import (
    DetaineeStatus,
    ExchangeStatus,
    HealthCategory,
    MedicalAssessmentKind,
    QuartersKind,
    RepatriationWishChoice,
)
from powcases.models import (
    CaptureCard,
    Detainee,
    ExchangeProposal,
    Facility,
    IdentityDocument,
    Interrogation,
    MediaItem,
    MedicalAssessment,
    RepatriationWish,
)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="demo-media-"))
class DemoDataTests(TestCase):
    """The demo is loaded once for these tests (it takes a few seconds); each test reads it."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def test_load_demo_twice_adds_nothing_the_second_time(self):
        counts = (Detainee.objects.count(), Interrogation.objects.count(), MediaItem.objects.count())

        output = StringIO()
        call_command("load_demo", stdout=output)

        assert (Detainee.objects.count(), Interrogation.objects.count(), MediaItem.objects.count()) == counts
        assert "already loaded" in output.getvalue()
        assert counts[0] >= 40

    def test_demo_history_names_the_demo_loader_not_a_person(self):
        detainee = Detainee.objects.get(military_role="rifleman", nationality="KP")

        loader = detainee.history.earliest().history_user
        assert loader.username == "demo-loader"
        assert not loader.is_active and not loader.has_usable_password()

    def test_demo_rifleman_carries_a_russian_id_in_another_mans_name(self):
        rifleman = Detainee.objects.get(military_role="rifleman", nationality="KP")

        assert rifleman.birth_date_display == "2005"
        assert rifleman.serving_since == 2021
        assert (rifleman.nationality, rifleman.power_depends_on) == ("KP", "KP")
        assert rifleman.current_facility.kind == "hospital"
        document = IdentityDocument.objects.get(detainee=rifleman, issuing_state="RU")
        assert document.issuing_state == "RU"
        assert document.in_another_persons_name and document.suspected_false
        assert document.place_of_birth_on_document == "Turan, Tuva"
        assert str(document.issued) == "2024-10"
        assert rifleman.capture.captured_at.date() == dt.date(2025, 1, 9)
        assert rifleman.capture.place == "Kursk region"

    def test_demo_sniper_with_a_jaw_injury_answers_in_writing(self):
        sniper = Detainee.objects.get(military_role="scout sniper")

        assert sniper.birth_date_display == "1999"
        assert sniper.serving_since == 2016
        # He carried no document; the only one he holds was supplied by the detaining power (Art. 18(2)).
        assert set(sniper.documents.values_list("issuing_state", flat=True)) == {"UA"}
        medical = MedicalAssessment.objects.get(detainee=sniper, kind=MedicalAssessmentKind.FITNESS_FOR_QUESTIONING)
        assert (medical.can_speak, medical.can_write, medical.fit_for_questioning) == (False, True, True)
        assert all(session.answers_in_writing for session in sniper.interrogations.all())
        # Seriously wounded then; the wound healed under treatment and the latest inspection finds him in good health.
        assert medical.health_category == HealthCategory.SERIOUSLY_WOUNDED
        latest = sniper.medical_assessments.order_by("assessed_at").last()
        assert latest.health_category == HealthCategory.GOOD

    def test_demo_soldiers_speak_only_korean_and_are_questioned_with_nis_interpreters(self):
        for soldier in Detainee.objects.filter(nationality="KP"):
            assert [(s.language, s.understands, s.speaks, s.reads, s.writes) for s in soldier.languages.all()] == [
                ("kor", True, True, True, True)
            ]
            sessions = soldier.interrogations.prefetch_related("interpreters__languages")
            assert sessions and all(session.language == "kor" for session in sessions)
            for session in sessions:
                interpreter = session.interpreters.first()
                assert (interpreter.affiliation, interpreter.affiliation_state) == ("third_state", "KR")
                assert interpreter.organisation == "National Intelligence Service"
                assert {lang.language for lang in interpreter.languages.all()} == {"kor", "ukr"}

    def test_demo_photos_were_published_by_the_head_of_state(self):
        photos = MediaItem.objects.filter(depicted__nationality="KP", identifiable=True).distinct()

        assert photos.count() == 2
        for photo in photos:
            assert photo.published_by == "President of Ukraine"
            assert photo.publisher_is_state_official is True
            assert photo.channel == "X (Twitter)"

    def test_demo_keeps_the_realistic_gaps_of_the_case(self):
        koreans = Detainee.objects.filter(nationality="KP")
        hospital = koreans.first().current_facility

        assert not CaptureCard.objects.filter(detainee__in=koreans).exists()
        assert not RepatriationWish.objects.filter(detainee__in=koreans).exists()
        assert "kor" not in set(hospital.posted_texts.values_list("language", flat=True))

    def test_demo_exchange_offers_the_two_for_ukrainians_held_by_russia(self):
        proposal = ExchangeProposal.objects.get(outgoing__nationality="KP", outgoing__military_role="rifleman")

        assert proposal.status == ExchangeStatus.PROPOSED
        assert proposal.counterparty == "RU"
        assert set(proposal.outgoing.values_list("nationality", flat=True)) == {"KP"}
        assert proposal.incoming.count() >= 1

    def test_demo_has_the_cases_that_make_the_admin_worth_looking_at(self):
        assert Detainee.objects.filter(status=DetaineeStatus.STATUS_IN_DOUBT).count() == 2
        minor = Detainee.objects.get(quarters=QuartersKind.MINORS)
        assert (minor.capture.captured_at.date() - minor.date_of_birth).days < 18 * 365
        reluctant = RepatriationWish.objects.get(wish=RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN).detainee
        assert reluctant.exchange_proposals.filter(status=ExchangeStatus.AGREED).exists()
        assert Facility.objects.count() >= 4

    def test_a_sweep_of_the_demo_finds_what_a_legal_adviser_expects_for_the_two_soldiers(self):
        call_command("run_compliance", stdout=StringIO())

        open_findings = Finding.objects.filter(resolved_at__isnull=True)
        found = {
            soldier.military_role: {(f.rule_id, f.outcome) for f in open_findings.filter(detainee=soldier)}
            for soldier in Detainee.objects.filter(nationality="KP")
        }
        expected = {
            ("GC3-13-CURIOSITY", Outcome.VIOLATION),  # identifiable photos posted by the President
            ("GC3-17-LANG", Outcome.WARNING),  # interpreters attached to a third state's intelligence service
            ("GC3-118-REPAT", Outcome.WARNING),  # on a proposed exchange while his wishes are unknown
            ("GC3-70-CAPTURECARD", Outcome.VIOLATION),  # no capture card offered or sent
            ("GC3-122-INFO", Outcome.WARNING),  # only the year of birth is known
        }
        assert found == {
            "rifleman": expected | {("GC3-17-IDCARD", Outcome.WARNING)},  # a Russian military ID in another's name
            "scout sniper": expected,
        }
        # Inspected every month up to the load date, capture notified: no time-based flood, only planted gaps.
        assert not open_findings.filter(detainee__nationality="KP", rule_id="GC3-31-MONTHLY").exists()
        assert open_findings.count() < 60
        assert open_findings.filter(rule_id="GC3-31-MONTHLY").count() == 1
        assert open_findings.filter(rule_id="GC3-5-DOUBT", outcome=Outcome.WARNING).count() == 2


@pytest.mark.django_db
def test_create_demo_users_gives_one_user_per_role_and_an_admin(settings, capsys):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    call_command("create_demo_users")
    call_command("create_demo_users")

    users = get_user_model().objects.order_by("username")
    assert users.count() == len(roles.ROLES) + 1
    for role in roles.ROLES:
        assert users.filter(groups__name=role).count() == 1
    assert users.get(username="admin").is_superuser
    output = capsys.readouterr().out
    assert "case_officer" in output and "demo-case-officer" in output


@pytest.mark.django_db
def test_create_demo_users_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_users")

    assert not get_user_model().objects.exists()
