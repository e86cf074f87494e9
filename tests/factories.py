"""factory-boy factories for the case record and compliance models.

Factories build plausible records directly (tests of services call the services themselves).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone

from powcases import choices
from powcases.models import (
    Capture,
    CaptureCard,
    CustodyEvent,
    Detainee,
    DetaineeAlias,
    ExchangeIncoming,
    ExchangeOutgoing,
    ExchangeProposal,
    Facility,
    FacilityPostedText,
    IdentityDocument,
    InformationNotification,
    Interpreter,
    InterpreterLanguage,
    Interrogation,
    LanguageSkill,
    MediaItem,
    MedicalAssessment,
    RepatriationWish,
    RiskAssessment,
    Visit,
)


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            group = Group.objects.filter(name=extracted).first()
            if group is None:
                # A transactional test with serialized_rollback is flushed without post_migrate, which leaves no
                # role groups behind: restore what `migrate` creates (content types, permissions, role groups).
                emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
                group = Group.objects.get(name=extracted)
            self.groups.add(group)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Camp No. {n}")
    code = factory.Sequence(lambda n: f"camp-{n}")
    kind = choices.FacilityKind.CAMP
    country = "UA"
    out_of_combat_zone = True


class FacilityPostedTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityPostedText

    facility = factory.SubFactory(FacilityFactory)
    kind = choices.PostedTextKind.CONVENTION
    language = "ukr"
    posted_on = factory.LazyFunction(lambda: timezone.now().date() - dt.timedelta(days=30))


class DetaineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Detainee

    case_number = factory.Sequence(lambda n: f"POW-2025-{n + 1:06d}")
    family_name = factory.Faker("last_name")
    given_names = factory.Faker("first_name_male")
    rank = "Private"
    rank_category = choices.RankCategory.ENLISTED
    service_number = factory.Sequence(lambda n: f"SN-{n:07d}")
    date_of_birth = dt.date(1995, 3, 14)
    date_of_birth_precision = choices.DatePrecision.DAY
    nationality = "RU"
    power_depends_on = "RU"
    status = choices.DetaineeStatus.PRISONER_OF_WAR
    current_facility = factory.SubFactory(FacilityFactory)
    quarters = choices.QuartersKind.ADULTS


class DetaineeAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DetaineeAlias

    detainee = factory.SubFactory(DetaineeFactory)
    name = factory.Faker("name")


class CaptureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Capture

    detainee = factory.SubFactory(DetaineeFactory)
    captured_at = factory.LazyFunction(lambda: days_ago(40))
    place = "Kursk region"
    capturing_unit = "Special Operations Forces"


class CustodyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyEvent

    detainee = factory.SubFactory(DetaineeFactory)
    kind = choices.CustodyEventKind.ARRIVAL
    occurred_at = factory.LazyFunction(lambda: days_ago(38))
    to_facility = factory.LazyAttribute(lambda e: e.detainee.current_facility)
    quarters = choices.QuartersKind.ADULTS


class IdentityDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityDocument

    detainee = factory.SubFactory(DetaineeFactory)
    kind = choices.DocumentKind.MILITARY_ID
    issuing_state = "RU"
    number = factory.Sequence(lambda n: f"AB-{n:06d}")
    name_on_document = factory.LazyAttribute(lambda d: f"{d.detainee.family_name} {d.detainee.given_names}")


class LanguageSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageSkill
        django_get_or_create = ("detainee", "language")

    detainee = factory.SubFactory(DetaineeFactory)
    language = "rus"
    understands = True
    speaks = True
    reads = True
    writes = True
    is_native = True


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = Interpreter

    name = factory.Faker("name")
    affiliation = choices.Affiliation.DETAINING_POWER
    affiliation_state = "UA"
    vetted = True

    @factory.post_generation
    def languages(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            for code in extracted if extracted is not None else ["ukr", "rus"]:
                InterpreterLanguage.objects.create(interpreter=self, language=code)


class InterrogationFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = Interrogation

    detainee = factory.SubFactory(DetaineeFactory)
    started_at = factory.LazyFunction(lambda: days_ago(10))
    ended_at = factory.LazyAttribute(lambda i: i.started_at + dt.timedelta(hours=2))
    language = "rus"
    mode = choices.InterrogationMode.ORAL
    conducted_by = "Maj. Kovalenko"
    conducting_authority = "Security Service"

    @factory.post_generation
    def interpreters(self, create: bool, extracted: list[Interpreter] | None, **kwargs: object) -> None:
        if create and extracted:
            self.interpreters.set(extracted)


class MedicalAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalAssessment

    detainee = factory.SubFactory(DetaineeFactory)
    assessed_at = factory.LazyFunction(lambda: days_ago(12))
    kind = choices.MedicalAssessmentKind.MONTHLY_INSPECTION
    assessed_by = "Dr. Shevchenko"
    fit_for_questioning = True
    can_speak = True
    can_write = True
    health_category = choices.HealthCategory.GOOD
    weight_kg = 72


class MediaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = MediaItem

    kind = choices.MediaKind.PHOTO
    taken_at = factory.LazyFunction(lambda: days_ago(20))
    identifiable = True

    @factory.post_generation
    def depicted(self, create: bool, extracted: list[Detainee] | None, **kwargs: object) -> None:
        if create and extracted:
            self.depicted.set(extracted)


class CaptureCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaptureCard

    detainee = factory.SubFactory(DetaineeFactory)
    occasion = choices.CaptureCardOccasion.CAPTURE
    offered_at = factory.LazyFunction(lambda: days_ago(39))
    sent_to_family_at = factory.LazyFunction(lambda: days_ago(37))
    sent_to_cta_at = factory.LazyFunction(lambda: days_ago(37))


class InformationNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationNotification

    detainee = factory.SubFactory(DetaineeFactory)
    kind = choices.NotificationKind.CAPTURE
    recipient = choices.NotificationRecipient.CENTRAL_TRACING_AGENCY
    event_at = factory.LazyFunction(lambda: days_ago(40))
    sent_at = factory.LazyFunction(lambda: days_ago(38))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    facility = factory.SubFactory(FacilityFactory)
    visiting_body = choices.VisitingBody.ICRC
    requested_at = factory.LazyFunction(lambda: days_ago(15))
    visited_at = factory.LazyFunction(lambda: days_ago(14))
    granted = True
    private_interview = True


class RepatriationWishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepatriationWish

    detainee = factory.SubFactory(DetaineeFactory)
    wish = choices.RepatriationWishChoice.WISHES_TO_RETURN
    recorded_at = factory.LazyFunction(lambda: days_ago(5))
    recorded_by = "ICRC delegate"
    language = "rus"


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    detainee = factory.SubFactory(DetaineeFactory)
    started_at = factory.LazyFunction(lambda: days_ago(4))
    completed_at = factory.LazyFunction(lambda: days_ago(2))
    outcome = choices.RiskAssessmentOutcome.NO_REAL_RISK


class ExchangeProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = ExchangeProposal

    reference = factory.Sequence(lambda n: f"EX-2025-{n:04d}")
    counterparty = "RU"
    mediator = "United Arab Emirates"
    status = choices.ExchangeStatus.DRAFT

    @factory.post_generation
    def outgoing(self, create: bool, extracted: list[Detainee] | None, **kwargs: object) -> None:
        if create and extracted:
            for detainee in extracted:
                ExchangeOutgoing.objects.create(proposal=self, detainee=detainee)


class ExchangeIncomingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeIncoming

    proposal = factory.SubFactory(ExchangeProposalFactory)
    family_name = factory.Faker("last_name")
    given_names = factory.Faker("first_name_male")
    service_number = factory.Sequence(lambda n: f"UA-{n:07d}")


class FindingFactory(factory.django.DjangoModelFactory):
    """A finding as the engine would store it (for report and API tests that need findings at hand)."""

    class Meta:
        model = "compliance.Finding"

    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    rule_id = "GC3-17-LANG"
    rule_version = 1
    article = "GCIII Art. 17(6)"
    detainee = factory.SubFactory(DetaineeFactory)
    facility = factory.LazyAttribute(lambda f: f.detainee.current_facility)
    outcome = "violation"
    severity = "high"
    state = "open"
    message = "Questioned in a language he does not understand."
    evidence = factory.LazyFunction(lambda: {"session_language": "ukr", "detainee_languages": ["kor"]})
