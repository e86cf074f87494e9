"""The case record: everything a POW authority records about a person in its hands.

The models hold what the compliance rules in ../shared/LAW.md need. Writes go through
`powcases.services`; every model keeps its history with the acting user (django-simple-history).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import (
    Affiliation,
    CaptureCardOccasion,
    CustodyEventKind,
    DatePrecision,
    DenialGround,
    DetaineeStatus,
    DocumentKind,
    ExchangeStatus,
    FacilityKind,
    HealthCategory,
    InterrogationMode,
    LanguageEvidence,
    MediaKind,
    MedicalAssessmentKind,
    NotificationKind,
    NotificationRecipient,
    PostedTextKind,
    QuartersKind,
    RankCategory,
    RepatriationWishChoice,
    RiskAssessmentOutcome,
    TribunalOutcome,
    VisitingBody,
)
from .validators import PartialDate, validate_country, validate_language, validate_script


def _choices_check(field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    """A database constraint that keeps a TextChoices field within its choices."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"%(app_label)s_%(class)s_{field}_valid"
    )


def _not_in_future(field: str, value: dt.datetime | dt.date | None, errors: dict[str, list[str]]) -> None:
    if value is None:
        return
    now = timezone.now()
    limit = now.date() if not isinstance(value, dt.datetime) else now + dt.timedelta(minutes=5)
    if value > limit:
        errors.setdefault(field, []).append("This cannot be in the future.")


def _ordered(
    start_field: str, start: object, end_field: str, end: object, errors: dict[str, list[str]], what: str
) -> None:
    if start is not None and end is not None and end < start:
        errors.setdefault(end_field, []).append(f"{what} cannot be before {start_field.replace('_', ' ')}.")


_NO_SPACE_SCRIPTS = frozenset({"Hang", "Kore", "Hani", "Hans", "Hant", "Jpan"})


class RecordModel(models.Model):
    """Timestamps and change history shared by every record of the case file."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Facility(RecordModel):
    """A place where prisoners are held or treated: camp, transit camp, hospital."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True, help_text="Short code, e.g. 'camp-kyiv-1'.")
    kind = models.CharField(max_length=20, choices=FacilityKind.choices, default=FacilityKind.CAMP)
    country = models.CharField(max_length=2, validators=[validate_country], default="UA")
    region = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    out_of_combat_zone = models.BooleanField(
        null=True, blank=True, help_text="Art. 19(1)/23(1): far enough from the combat zone to be out of danger."
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [_choices_check("kind", FacilityKind)]

    def __str__(self) -> str:
        return self.name


class FacilityPostedText(RecordModel):
    """A text posted in a facility in a given language (Art. 41)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="posted_texts")
    kind = models.CharField(max_length=20, choices=PostedTextKind.choices, default=PostedTextKind.CONVENTION)
    language = models.CharField(max_length=3, validators=[validate_language], help_text="ISO 639-3 code.")
    posted_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "kind", "language"]
        constraints = [
            _choices_check("kind", PostedTextKind),
            models.UniqueConstraint(fields=["facility", "kind", "language"], name="posted_text_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.language} at {self.facility}"


class Detainee(RecordModel):
    """A person in the hands of the detaining power, and the identity data Art. 17 and Art. 122 need.

    Identity is often uncertain: the date of birth is partial (`date_of_birth_precision`), names exist
    both romanised and in the original script, and documents may carry another person's name.
    """

    case_number = models.CharField(max_length=32, unique=True, editable=False)
    family_name = models.CharField(max_length=200, help_text="Romanised family name.")
    given_names = models.CharField(max_length=200, blank=True, help_text="Romanised given names.")
    family_name_original = models.CharField(max_length=200, blank=True, help_text="Family name in the original script.")
    given_names_original = models.CharField(max_length=200, blank=True, help_text="Given names in the original script.")
    original_script = models.CharField(
        max_length=4, blank=True, validators=[validate_script], help_text="ISO 15924 code, e.g. 'Hang', 'Cyrl'."
    )
    rank = models.CharField(max_length=100, blank=True)
    rank_category = models.CharField(max_length=10, choices=RankCategory.choices, default=RankCategory.UNKNOWN)
    service_number = models.CharField(max_length=64, blank=True, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True, help_text="First day of the known period (see precision).")
    date_of_birth_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    place_of_birth = models.CharField(max_length=200, blank=True)
    father_first_name = models.CharField(max_length=200, blank=True)
    mother_maiden_name = models.CharField(max_length=200, blank=True)
    sex = models.CharField(
        max_length=1, choices=[("M", "Male"), ("F", "Female"), ("X", "Other / unknown")], default="X"
    )
    nationality = models.CharField(
        max_length=2, blank=True, validators=[validate_country], help_text="ISO 3166-1 alpha-2."
    )
    power_depends_on = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country],
        help_text="ISO 3166-1 alpha-2 of the Power on which the prisoner depends (Art. 122(4)).",
    )
    armed_force = models.CharField(max_length=200, blank=True, help_text="e.g. 'Korean People's Army'.")
    unit = models.CharField(max_length=200, blank=True)
    military_role = models.CharField(max_length=200, blank=True, help_text="e.g. 'rifleman', 'scout sniper'.")
    serving_since = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)], help_text="Year."
    )
    status = models.CharField(max_length=20, choices=DetaineeStatus.choices, default=DetaineeStatus.PRISONER_OF_WAR)
    status_doubt_since = models.DateTimeField(null=True, blank=True, help_text="When POW status was first doubted.")
    tribunal_decided_at = models.DateTimeField(null=True, blank=True, help_text="Decision of the Art. 5 tribunal.")
    tribunal_outcome = models.CharField(max_length=20, choices=TribunalOutcome.choices, blank=True)
    next_of_kin_name = models.CharField(max_length=200, blank=True)
    next_of_kin_relationship = models.CharField(max_length=100, blank=True)
    next_of_kin_address = models.TextField(blank=True)
    current_facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="detainees",
        help_text="Maintained from the custody history.",
    )
    quarters = models.CharField(max_length=10, choices=QuartersKind.choices, default=QuartersKind.UNKNOWN)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-case_number"]
        permissions = [("view_medical_details", "Can view medical details")]
        indexes = [
            models.Index(fields=["family_name", "given_names"]),
            models.Index(fields=["status", "current_facility"]),
            models.Index(fields=["nationality"]),
        ]
        constraints = [
            _choices_check("status", DetaineeStatus),
            _choices_check("date_of_birth_precision", DatePrecision),
            _choices_check("rank_category", RankCategory),
            _choices_check("quarters", QuartersKind),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.display_name}"

    @property
    def display_name(self) -> str:
        name = f"{self.family_name.upper()} {self.given_names}".strip()
        # Korean, Chinese and Japanese names are written without a space between family and given names.
        separator = "" if self.original_script in _NO_SPACE_SCRIPTS else " "
        original = f"{self.family_name_original}{separator}{self.given_names_original}".strip()
        return f"{name} ({original})" if original else name

    @property
    def birth_date(self) -> PartialDate | None:
        """The date of birth with the precision it was recorded with."""
        if self.date_of_birth is None:
            return None
        return PartialDate(self.date_of_birth, self.date_of_birth_precision)

    @property
    def birth_date_display(self) -> str:
        return self.birth_date.isoformat() if self.birth_date else ""

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.date_of_birth is not None:
            partial = PartialDate(self.date_of_birth, self.date_of_birth_precision)
            if partial.date > timezone.now().date():
                errors.setdefault("date_of_birth", []).append("A date of birth cannot be in the future.")
            elif partial.date.year < 1900:
                errors.setdefault("date_of_birth", []).append("A date of birth before 1900 is not plausible.")
        if self.tribunal_outcome and self.tribunal_outcome != TribunalOutcome.PENDING and not self.tribunal_decided_at:
            errors.setdefault("tribunal_decided_at", []).append("Give the date of the tribunal's decision.")
        _not_in_future("tribunal_decided_at", self.tribunal_decided_at, errors)
        if errors:
            raise ValidationError(errors)


class DetaineeAlias(RecordModel):
    """Another name the detainee is known by, in any script (including names on documents)."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    script = models.CharField(max_length=4, blank=True, validators=[validate_script])
    source = models.CharField(max_length=200, blank=True, help_text="Where the name comes from.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name


class Capture(RecordModel):
    """When, where and by whom the person fell into the detaining power's hands."""

    detainee = models.OneToOneField(Detainee, on_delete=models.CASCADE, related_name="capture")
    captured_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    capturing_unit = models.CharField(max_length=200, blank=True)
    circumstances = models.TextField(blank=True)
    wounded_at_capture = models.BooleanField(null=True, blank=True)
    evacuated_at = models.DateTimeField(null=True, blank=True, help_text="Evacuated out of the combat zone (Art. 19).")

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Capture of {self.detainee.case_number} on {self.captured_at:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("captured_at", self.captured_at, errors)
        _ordered("captured_at", self.captured_at, "evacuated_at", self.evacuated_at, errors, "Evacuation")
        if errors:
            raise ValidationError(errors)


class CustodyEvent(RecordModel):
    """One step of the custody history: arrival, transfer, hospitalisation, release, death..."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="custody_events")
    kind = models.CharField(max_length=20, choices=CustodyEventKind.choices)
    occurred_at = models.DateTimeField()
    from_facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="departures"
    )
    to_facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="arrivals")
    to_power = models.CharField(
        max_length=2, blank=True, validators=[validate_country], help_text="Receiving Power, for Art. 12 transfers."
    )
    to_power_party_to_convention = models.BooleanField(null=True, blank=True)
    to_power_willing_and_able = models.BooleanField(
        null=True, blank=True, help_text="Art. 12(2): satisfied of the Power's willingness and ability to apply GCIII."
    )
    quarters = models.CharField(max_length=10, choices=QuartersKind.choices, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "occurred_at", "id"]
        indexes = [models.Index(fields=["detainee", "occurred_at"])]
        constraints = [_choices_check("kind", CustodyEventKind)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("occurred_at", self.occurred_at, errors)
        arrives = self.kind in {CustodyEventKind.ARRIVAL, CustodyEventKind.TRANSFER, CustodyEventKind.HOSPITALISATION}
        if arrives and self.to_facility_id is None:
            errors.setdefault("to_facility", []).append("Say which facility he arrived at.")
        if self.kind == CustodyEventKind.TRANSFER_TO_POWER and not self.to_power:
            errors.setdefault("to_power", []).append("Say to which Power he was transferred (ISO 3166-1 alpha-2).")
        if self.from_facility_id and self.from_facility_id == self.to_facility_id:
            errors.setdefault("to_facility", []).append("A transfer must go to another facility.")
        if errors:
            raise ValidationError(errors)


class IdentityDocument(RecordModel):
    """A document found on the detainee (Art. 17(3), Art. 18)."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    issuing_state = models.CharField(max_length=2, blank=True, validators=[validate_country])
    number = models.CharField(max_length=100, blank=True)
    name_on_document = models.CharField(max_length=300, blank=True, help_text="The name exactly as written on it.")
    name_on_document_script = models.CharField(max_length=4, blank=True, validators=[validate_script])
    place_of_birth_on_document = models.CharField(max_length=200, blank=True)
    issue_place = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    suspected_false = models.BooleanField(default=False)
    in_another_persons_name = models.BooleanField(default=False)
    seized = models.BooleanField(default=False)
    seized_at = models.DateTimeField(null=True, blank=True)
    seizure_ordered_by = models.CharField(max_length=200, blank=True, help_text="Officer who ordered it (Art. 18(4)).")
    seizure_receipt_number = models.CharField(max_length=100, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "kind"]
        constraints = [_choices_check("kind", DocumentKind)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def issued(self) -> PartialDate | None:
        return PartialDate(self.issued_on, self.issued_on_precision) if self.issued_on else None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("issued_on", self.issued_on, errors)
        if self.seized and not self.seized_at:
            errors.setdefault("seized_at", []).append("Give the time the document was seized.")
        _ordered("seized_at", self.seized_at, "returned_at", self.returned_at, errors, "Return")
        if errors:
            raise ValidationError(errors)


class LanguageSkill(RecordModel):
    """What the detainee can do in one language (Art. 17 last para., Art. 22, Art. 41, Art. 71)."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=3, validators=[validate_language], help_text="ISO 639-3 code.")
    understands = models.BooleanField(default=True)
    speaks = models.BooleanField(default=True)
    reads = models.BooleanField(null=True, blank=True, help_text="Unknown when left empty.")
    writes = models.BooleanField(null=True, blank=True, help_text="Unknown when left empty.")
    script = models.CharField(max_length=4, blank=True, validators=[validate_script], help_text="ISO 15924 code.")
    is_native = models.BooleanField(default=False)
    established_by = models.CharField(
        max_length=24, choices=LanguageEvidence.choices, default=LanguageEvidence.SELF_DECLARED
    )
    established_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "-is_native", "language"]
        constraints = [
            models.UniqueConstraint(fields=["detainee", "language"], name="language_skill_unique"),
            _choices_check("established_by", LanguageEvidence),
        ]
        indexes = [models.Index(fields=["language", "detainee"])]

    def __str__(self) -> str:
        return self.language


class Interpreter(RecordModel):
    """An interpreter, and whom he or she works for."""

    name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=20, choices=Affiliation.choices)
    affiliation_state = models.CharField(
        max_length=2, blank=True, validators=[validate_country], help_text="State the interpreter works for."
    )
    organisation = models.CharField(max_length=200, blank=True, help_text="e.g. 'National Intelligence Service'.")
    vetted = models.BooleanField(default=False)
    vetted_at = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [_choices_check("affiliation", Affiliation)]

    def __str__(self) -> str:
        return self.name


class InterpreterLanguage(RecordModel):
    """A language an interpreter works in (one row per language, so checks can join on it)."""

    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=3, validators=[validate_language])

    history = HistoricalRecords()

    class Meta:
        ordering = ["interpreter", "language"]
        constraints = [models.UniqueConstraint(fields=["interpreter", "language"], name="interpreter_language_unique")]

    def __str__(self) -> str:
        return self.language


class Interrogation(RecordModel):
    """One questioning session (Art. 17)."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="interrogations")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    place = models.CharField(max_length=200, blank=True)
    language = models.CharField(
        max_length=3, validators=[validate_language], help_text="ISO 639-3 code of the language questions were put in."
    )
    mode = models.CharField(max_length=10, choices=InterrogationMode.choices, default=InterrogationMode.ORAL)
    answers_in_writing = models.BooleanField(default=False, help_text="The detainee answered in writing.")
    interpreters = models.ManyToManyField(Interpreter, blank=True, related_name="interrogations")
    conducted_by = models.CharField(max_length=200, blank=True)
    conducting_authority = models.CharField(max_length=200, blank=True, help_text="e.g. 'Security Service'.")
    declined_beyond_identity = models.BooleanField(
        default=False, help_text="Declined to answer beyond surname, names, rank, date of birth, serial number."
    )
    refused_identity_items = models.BooleanField(default=False, help_text="Refused even the Art. 17(1) items.")
    coercion_alleged = models.BooleanField(default=False)
    sanction_after_refusal = models.BooleanField(
        default=False, help_text="Threatened, insulted or disadvantaged after refusing to answer (Art. 17(4))."
    )
    complaints = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[interpreters])

    class Meta:
        ordering = ["detainee", "started_at"]
        indexes = [models.Index(fields=["detainee", "started_at"])]
        constraints = [
            _choices_check("mode", InterrogationMode),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="interrogation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Interrogation {self.started_at:%Y-%m-%d %H:%M} ({self.language}, {self.mode})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("started_at", self.started_at, errors)
        _ordered("started_at", self.started_at, "ended_at", self.ended_at, errors, "The end of the session")
        if errors:
            raise ValidationError(errors)


class MedicalAssessment(RecordModel):
    """A medical examination: fitness for questioning, capture-card health category, monthly weight."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="medical_assessments")
    assessed_at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=MedicalAssessmentKind.choices, default=MedicalAssessmentKind.OTHER)
    assessed_by = models.CharField(max_length=200, blank=True)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    conditions = models.TextField(blank=True)
    injuries = models.TextField(blank=True)
    fit_for_questioning = models.BooleanField(null=True, blank=True)
    can_speak = models.BooleanField(null=True, blank=True)
    can_write = models.BooleanField(null=True, blank=True)
    health_category = models.CharField(max_length=20, choices=HealthCategory.choices, blank=True)
    weight_kg = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(300)],
    )
    fit_to_travel = models.BooleanField(null=True, blank=True)
    manifestly_seriously_ill = models.BooleanField(
        null=True,
        blank=True,
        help_text="Found manifestly seriously injured or sick by the detaining power's doctors (Art. 112).",
    )
    eligible_for_direct_repatriation = models.BooleanField(
        null=True, blank=True, help_text="Finding of a Mixed Medical Commission (Art. 110, 112)."
    )
    certificate_requested = models.BooleanField(default=False, help_text="Art. 30(4) certificate requested.")
    certificate_issued_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "assessed_at"]
        indexes = [models.Index(fields=["detainee", "assessed_at"])]
        constraints = [_choices_check("kind", MedicalAssessmentKind)]

    def __str__(self) -> str:
        return f"Medical assessment {self.assessed_at:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("assessed_at", self.assessed_at, errors)
        if errors:
            raise ValidationError(errors)


def media_upload_to(instance: MediaItem, filename: str) -> str:
    # Files live in private storage; the path carries no name of the person depicted.
    return f"media/{timezone.now():%Y/%m}/{filename}"


class MediaItem(RecordModel):
    """A photograph, video or recording showing detainees, and whether and how it was made public (Art. 13)."""

    kind = models.CharField(max_length=10, choices=MediaKind.choices, default=MediaKind.PHOTO)
    file = models.FileField(upload_to=media_upload_to, blank=True)
    description = models.TextField(blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    taken_by = models.CharField(max_length=200, blank=True)
    depicted = models.ManyToManyField(Detainee, related_name="media_items", blank=True)
    identifiable = models.BooleanField(null=True, blank=True, help_text="Can a depicted person be recognised?")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=200, blank=True)
    publisher_is_state_official = models.BooleanField(null=True, blank=True)
    channel = models.CharField(max_length=200, blank=True, help_text="e.g. 'X (Twitter)', 'Telegram', 'TV'.")
    url = models.URLField(max_length=500, blank=True)
    publication_justification = models.TextField(blank=True, help_text="Any claimed public-interest exception.")
    takedown_requested_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[depicted])

    class Meta:
        ordering = ["-taken_at", "-id"]
        constraints = [_choices_check("kind", MediaKind)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}" if self.pk else self.get_kind_display()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("taken_at", self.taken_at, errors)
        _not_in_future("published_at", self.published_at, errors)
        _ordered("taken_at", self.taken_at, "published_at", self.published_at, errors, "Publication")
        if (self.published_by or self.channel or self.url) and not self.published_at:
            errors.setdefault("published_at", []).append(
                "Give the publication time when a publisher or channel is set."
            )
        if errors:
            raise ValidationError(errors)


class CaptureCard(RecordModel):
    """A capture card of Art. 70 / Annex IV B: offered, filled, sent to the family and to the Central Agency."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="capture_cards")
    occasion = models.CharField(max_length=20, choices=CaptureCardOccasion.choices, default=CaptureCardOccasion.CAPTURE)
    offered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    sent_to_family_at = models.DateTimeField(null=True, blank=True)
    sent_to_cta_at = models.DateTimeField(null=True, blank=True, help_text="Sent to the ICRC Central Tracing Agency.")
    declined = models.BooleanField(default=False, help_text="The prisoner chose not to write a card.")
    declined_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "offered_at"]
        constraints = [_choices_check("occasion", CaptureCardOccasion)]

    def __str__(self) -> str:
        return f"Capture card ({self.get_occasion_display()})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("offered_at", "completed_at", "sent_to_family_at", "sent_to_cta_at", "declined_at"):
            _not_in_future(field, getattr(self, field), errors)
        for field in ("sent_to_family_at", "sent_to_cta_at"):
            _ordered("offered_at", self.offered_at, field, getattr(self, field), errors, "Sending")
        if self.declined and (self.sent_to_family_at or self.sent_to_cta_at):
            errors.setdefault("declined", []).append("A card that was sent cannot also be declined.")
        if errors:
            raise ValidationError(errors)


class InformationNotification(RecordModel):
    """A notification through the National Information Bureau or to the Central Agency (Arts. 122-123)."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    recipient = models.CharField(max_length=24, choices=NotificationRecipient.choices)
    event_at = models.DateTimeField(help_text="When the notified event happened.")
    sent_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "event_at"]
        indexes = [models.Index(fields=["detainee", "kind", "recipient"])]
        constraints = [_choices_check("kind", NotificationKind), _choices_check("recipient", NotificationRecipient)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_recipient_display()}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("event_at", self.event_at, errors)
        _not_in_future("sent_at", self.sent_at, errors)
        _ordered("event_at", self.event_at, "sent_at", self.sent_at, errors, "Sending")
        if errors:
            raise ValidationError(errors)


class Visit(RecordModel):
    """A visit by the ICRC or a Protecting Power (Art. 126), to a facility or to a named detainee."""

    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    detainee = models.ForeignKey(Detainee, null=True, blank=True, on_delete=models.CASCADE, related_name="visits")
    visiting_body = models.CharField(max_length=20, choices=VisitingBody.choices)
    requested_at = models.DateTimeField(null=True, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    granted = models.BooleanField(null=True, blank=True, help_text="Empty while the request is pending.")
    private_interview = models.BooleanField(null=True, blank=True, help_text="Interviewed without witnesses.")
    interpreter_present = models.BooleanField(null=True, blank=True)
    denial_ground = models.CharField(max_length=32, choices=DenialGround.choices, blank=True)
    denial_reason = models.TextField(blank=True)
    delegates = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-visited_at"]
        constraints = [
            _choices_check("visiting_body", VisitingBody),
            models.CheckConstraint(
                condition=Q(facility__isnull=False) | Q(detainee__isnull=False), name="visit_has_facility_or_detainee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_visiting_body_display()} visit"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.facility_id is None and self.detainee_id is None:
            errors.setdefault("facility", []).append("A visit concerns a facility, a detainee, or both.")
        if self.granted is False and not self.denial_ground:
            errors.setdefault("denial_ground", []).append("Give the ground on which the visit was refused.")
        _not_in_future("visited_at", self.visited_at, errors)
        if errors:
            raise ValidationError(errors)


class RepatriationWish(RecordModel):
    """The detainee's wish about repatriation, recorded over time (Art. 109(3), Art. 118)."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="repatriation_wishes")
    wish = models.CharField(max_length=24, choices=RepatriationWishChoice.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=3, blank=True, validators=[validate_language])
    interpreters = models.ManyToManyField(Interpreter, blank=True, related_name="repatriation_wishes")
    third_party_present = models.CharField(max_length=200, blank=True, help_text="e.g. 'ICRC delegate'.")
    statement = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[interpreters])

    class Meta:
        ordering = ["detainee", "recorded_at"]
        indexes = [models.Index(fields=["detainee", "recorded_at"])]
        constraints = [_choices_check("wish", RepatriationWishChoice)]

    def __str__(self) -> str:
        return f"{self.get_wish_display()} ({self.recorded_at:%Y-%m-%d})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("recorded_at", self.recorded_at, errors)
        if errors:
            raise ValidationError(errors)


class RiskAssessment(RecordModel):
    """A non-refoulement risk assessment before repatriating someone who does not wish to return."""

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="risk_assessments")
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=RiskAssessmentOutcome.choices, default="in_progress")
    assessed_by = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detainee", "started_at"]
        constraints = [_choices_check("outcome", RiskAssessmentOutcome)]

    def __str__(self) -> str:
        return f"Risk assessment ({self.get_outcome_display()})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _ordered("started_at", self.started_at, "completed_at", self.completed_at, errors, "Completion")
        if self.completed_at and self.outcome == RiskAssessmentOutcome.IN_PROGRESS:
            errors.setdefault("outcome", []).append("A completed assessment needs its outcome.")
        if errors:
            raise ValidationError(errors)


class ExchangeProposal(RecordModel):
    """A proposed exchange: the detainees we would hand over and the persons we would receive.

    `status` moves only through `services.exchange_transition`, along `choices.EXCHANGE_TRANSITIONS`.
    """

    reference = models.CharField(max_length=64, unique=True)
    counterparty = models.CharField(max_length=2, validators=[validate_country], help_text="ISO 3166-1 alpha-2.")
    mediator = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=ExchangeStatus.choices, default=ExchangeStatus.DRAFT, editable=False
    )
    outgoing = models.ManyToManyField(
        Detainee, through="ExchangeOutgoing", related_name="exchange_proposals", blank=True
    )
    proposed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Incremented on every change (ETag).")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [_choices_check("status", ExchangeStatus)]

    def __str__(self) -> str:
        return self.reference


class ExchangeOutgoing(RecordModel):
    """A detainee on an exchange proposal's outgoing list."""

    proposal = models.ForeignKey(ExchangeProposal, on_delete=models.CASCADE, related_name="outgoing_members")
    detainee = models.ForeignKey(Detainee, on_delete=models.PROTECT, related_name="exchange_memberships")
    handed_over_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "detainee"]
        constraints = [models.UniqueConstraint(fields=["proposal", "detainee"], name="exchange_outgoing_unique")]

    def __str__(self) -> str:
        return str(self.detainee)


class ExchangeIncoming(RecordModel):
    """A person the other side would hand to us under the proposal."""

    proposal = models.ForeignKey(ExchangeProposal, on_delete=models.CASCADE, related_name="incoming")
    family_name = models.CharField(max_length=200)
    given_names = models.CharField(max_length=200, blank=True)
    service_number = models.CharField(max_length=64, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    verified = models.BooleanField(default=False)
    received_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "family_name", "given_names"]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}".strip()

    @property
    def birth_date(self) -> PartialDate | None:
        return PartialDate(self.date_of_birth, self.date_of_birth_precision) if self.date_of_birth else None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_in_future("date_of_birth", self.date_of_birth, errors)
        _not_in_future("received_at", self.received_at, errors)
        if errors:
            raise ValidationError(errors)


class ExchangeTransition(models.Model):
    """One move of an exchange proposal's status, with time and actor (append-only)."""

    proposal = models.ForeignKey(ExchangeProposal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ExchangeStatus.choices)
    to_status = models.CharField(max_length=20, choices=ExchangeStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CaseNumberSequence(models.Model):
    """Next case number per year; rows are locked while a number is taken so numbers never repeat."""

    year = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"
