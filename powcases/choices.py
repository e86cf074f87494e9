"""Choices of the case record. Allowed state transitions are declared here, once."""

from __future__ import annotations

from django.db import models


class DatePrecision(models.TextChoices):
    """How much of a partial date is known ("1999", "1999-05" or "1999-05-17")."""

    YEAR = "year", "Year only"
    MONTH = "month", "Year and month"
    DAY = "day", "Full date"


class DetaineeStatus(models.TextChoices):
    """Legal and physical status of a person in the detaining power's hands."""

    PRISONER_OF_WAR = "prisoner_of_war", "Prisoner of war"
    STATUS_IN_DOUBT = "status_in_doubt", "Status in doubt (Art. 5)"
    CIVILIAN_INTERNEE = "civilian_internee", "Civilian internee"
    RELEASED = "released", "Released"
    REPATRIATED = "repatriated", "Repatriated"
    TRANSFERRED = "transferred", "Transferred to another Power (Art. 12)"
    ESCAPED = "escaped", "Escaped"
    DECEASED = "deceased", "Deceased"


# Statuses in which the person is still held by the detaining power.
HELD_STATUSES = (
    DetaineeStatus.PRISONER_OF_WAR,
    DetaineeStatus.STATUS_IN_DOUBT,
    DetaineeStatus.CIVILIAN_INTERNEE,
)


class TribunalOutcome(models.TextChoices):
    """Decision of the competent tribunal of Art. 5(2)."""

    PENDING = "pending", "Pending"
    PRISONER_OF_WAR = "prisoner_of_war", "Prisoner of war"
    NOT_PRISONER_OF_WAR = "not_prisoner_of_war", "Not a prisoner of war"


class RankCategory(models.TextChoices):
    OFFICER = "officer", "Officer"
    NCO = "nco", "Non-commissioned officer"
    ENLISTED = "enlisted", "Enlisted"
    UNKNOWN = "unknown", "Unknown"


class FacilityKind(models.TextChoices):
    CAMP = "camp", "Camp"
    TRANSIT_CAMP = "transit_camp", "Transit camp"
    HOSPITAL = "hospital", "Hospital"
    HOLDING_SITE = "holding_site", "Holding site"
    OTHER = "other", "Other"


class PostedTextKind(models.TextChoices):
    """Texts that Art. 41 requires to be posted in a camp."""

    CONVENTION = "convention", "Convention, annexes and special agreements (Art. 41(1))"
    REGULATIONS = "regulations", "Regulations, orders and notices (Art. 41(2))"


class QuartersKind(models.TextChoices):
    """Kind of quarters a detainee is held in (AP I Art. 77(4): children apart from adults)."""

    ADULTS = "adults", "With adults"
    MINORS = "minors", "Separate quarters for minors"
    FAMILY = "family", "Family unit"
    MEDICAL = "medical", "Medical ward"
    UNKNOWN = "unknown", "Unknown"


class CustodyEventKind(models.TextChoices):
    CAPTURE = "capture", "Capture"
    ARRIVAL = "arrival", "Arrival at a facility"
    TRANSFER = "transfer", "Transfer between facilities"
    HOSPITALISATION = "hospitalisation", "Hospitalisation"
    TRANSFER_TO_POWER = "transfer_to_power", "Transfer to another Power"
    RELEASE = "release", "Release"
    REPATRIATION = "repatriation", "Repatriation"
    ESCAPE = "escape", "Escape"
    DEATH = "death", "Death"


class DocumentKind(models.TextChoices):
    MILITARY_ID = "military_id", "Military identity card"
    IDENTITY_CARD_ART17 = "identity_card_art17", "Identity card (Art. 17(3))"
    PASSPORT = "passport", "Passport"
    NATIONAL_ID = "national_id", "National identity card"
    IDENTITY_DISC = "identity_disc", "Identity disc"
    OTHER = "other", "Other"


class LanguageEvidence(models.TextChoices):
    """How a language skill was established."""

    SELF_DECLARED = "self_declared", "Declared by the detainee"
    INTERPRETER_ASSESSMENT = "interpreter_assessment", "Assessed by an interpreter"
    TESTED = "tested", "Tested"
    DOCUMENT = "document", "From a document"
    OBSERVED = "observed", "Observed"
    ASSUMED = "assumed", "Assumed (not verified)"


class Affiliation(models.TextChoices):
    """Whom an interpreter works for."""

    DETAINING_POWER = "detaining_power", "Detaining power"
    THIRD_STATE = "third_state", "Third state"
    ICRC = "icrc", "ICRC"
    OTHER = "other", "Other"


class InterrogationMode(models.TextChoices):
    ORAL = "oral", "Oral"
    WRITTEN = "written", "Written"


class HealthCategory(models.TextChoices):
    """State of health as on the capture card (GCIII Annex IV B)."""

    GOOD = "good", "Good"
    NOT_WOUNDED = "not_wounded", "Not wounded"
    RECOVERED = "recovered", "Recovered"
    CONVALESCENT = "convalescent", "Convalescent"
    SICK = "sick", "Sick"
    SLIGHTLY_WOUNDED = "slightly_wounded", "Slightly wounded"
    SERIOUSLY_WOUNDED = "seriously_wounded", "Seriously wounded"


class MedicalAssessmentKind(models.TextChoices):
    CAPTURE_SCREENING = "capture_screening", "Screening at capture"
    MONTHLY_INSPECTION = "monthly_inspection", "Monthly inspection (Art. 31)"
    TREATMENT = "treatment", "Treatment"
    FITNESS_FOR_QUESTIONING = "fitness_for_questioning", "Fitness for questioning"
    MIXED_MEDICAL_COMMISSION = "mixed_medical_commission", "Mixed Medical Commission (Art. 112)"
    OTHER = "other", "Other"


class MediaKind(models.TextChoices):
    PHOTO = "photo", "Photograph"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio recording"


class CaptureCardOccasion(models.TextChoices):
    """The occasions on which Art. 70 entitles a prisoner to write a capture card."""

    CAPTURE = "capture", "Capture"
    ARRIVAL = "arrival", "Arrival at a camp"
    HOSPITALISATION = "hospitalisation", "Sickness or transfer to hospital"
    TRANSFER = "transfer", "Transfer to another camp"


class NotificationKind(models.TextChoices):
    CAPTURE = "capture", "Capture"
    TRANSFER = "transfer", "Transfer"
    HOSPITALISATION = "hospitalisation", "Hospitalisation"
    RELEASE = "release", "Release"
    REPATRIATION = "repatriation", "Repatriation"
    ESCAPE = "escape", "Escape"
    DEATH = "death", "Death"


class NotificationRecipient(models.TextChoices):
    INFORMATION_BUREAU = "information_bureau", "National Information Bureau (Art. 122)"
    CENTRAL_TRACING_AGENCY = "central_tracing_agency", "ICRC Central Tracing Agency (Art. 123)"
    PROTECTING_POWER = "protecting_power", "Protecting Power"
    POWER_OF_ORIGIN = "power_of_origin", "Power on which the prisoner depends"


class VisitingBody(models.TextChoices):
    ICRC = "icrc", "ICRC"
    PROTECTING_POWER = "protecting_power", "Protecting Power"


class DenialGround(models.TextChoices):
    """Art. 126(2): visits may be prohibited only for imperative military necessity."""

    IMPERATIVE_MILITARY_NECESSITY = "imperative_military_necessity", "Imperative military necessity (Art. 126(2))"
    OTHER = "other", "Other reason"


class RepatriationWishChoice(models.TextChoices):
    WISHES_TO_RETURN = "wishes_to_return", "Wishes to return"
    DOES_NOT_WISH_TO_RETURN = "does_not_wish_to_return", "Does not wish to return"
    UNDECIDED = "undecided", "Undecided"


class RiskAssessmentOutcome(models.TextChoices):
    """Outcome of a non-refoulement risk assessment before repatriation."""

    IN_PROGRESS = "in_progress", "In progress"
    NO_REAL_RISK = "no_real_risk", "No real risk found"
    REAL_RISK = "real_risk", "Real risk of serious violations"


class ExchangeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


# The exchange state machine, declared once. Only services.exchange_transition moves a proposal.
EXCHANGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ExchangeStatus.DRAFT: (ExchangeStatus.PROPOSED, ExchangeStatus.CANCELLED),
    ExchangeStatus.PROPOSED: (ExchangeStatus.AGREED, ExchangeStatus.REJECTED, ExchangeStatus.CANCELLED),
    ExchangeStatus.AGREED: (ExchangeStatus.IN_PROGRESS, ExchangeStatus.CANCELLED),
    ExchangeStatus.IN_PROGRESS: (ExchangeStatus.COMPLETED, ExchangeStatus.CANCELLED),
    ExchangeStatus.COMPLETED: (),
    ExchangeStatus.REJECTED: (),
    ExchangeStatus.CANCELLED: (),
}

# Exchange statuses in which the outgoing list is still being acted upon (Art. 118 checks apply).
EXCHANGE_ACTIVE_STATUSES = (
    ExchangeStatus.DRAFT,
    ExchangeStatus.PROPOSED,
    ExchangeStatus.AGREED,
    ExchangeStatus.IN_PROGRESS,
)
# Exchange statuses in which members may still be added or removed.
EXCHANGE_EDITABLE_STATUSES = (ExchangeStatus.DRAFT, ExchangeStatus.PROPOSED)
