"""Every write to the case record goes through these functions: admin, API, commands and tasks alike.

A service validates (`full_clean`, so the message names the field), saves inside a transaction,
records the acting user in the history, and, once the transaction commits, announces which
detainees' records changed (`signals.record_changed`) so that follow-up work such as compliance
re-evaluation runs on committed data. `powcases` never imports `compliance`: it only sends the signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .choices import (
    EXCHANGE_EDITABLE_STATUSES,
    EXCHANGE_TRANSITIONS,
    CustodyEventKind,
    DetaineeStatus,
    ExchangeStatus,
)
from .models import (
    CaseNumberSequence,
    Detainee,
    ExchangeIncoming,
    ExchangeOutgoing,
    ExchangeProposal,
    ExchangeTransition,
    Facility,
    FacilityPostedText,
    Interpreter,
    InterpreterLanguage,
    Interrogation,
    LanguageSkill,
    MediaItem,
    RepatriationWish,
    Visit,
)
from .signals import exchange_changed, record_changed
from .validators import PartialDate, normalize_country, normalize_language

M = TypeVar("M", bound=models.Model)
Actor = AbstractBaseUser | None


class TransitionNotAllowed(ValidationError):
    """A state change that the declared transition table does not allow."""

    def __init__(self, current: str, target: str, allowed: Sequence[str]):
        self.current, self.target, self.allowed = current, target, tuple(allowed)
        allowed_text = ", ".join(allowed) if allowed else "none: it is final"
        super().__init__(
            {"to": [f"Cannot move from '{current}' to '{target}'. Allowed from '{current}': {allowed_text}."]},
            code="transition_not_allowed",
        )


class StaleVersion(ValidationError):
    """The record changed since the caller read it (optimistic concurrency)."""

    def __init__(self, expected: int, actual: int):
        self.expected, self.actual = expected, actual
        super().__init__(f"The record was changed (version {actual}, you had {expected}).", code="stale_version")


# --- Change announcement --------------------------------------------------------------------------------


def affected_detainee_ids(instance: models.Model) -> set[int]:
    """Which detainees' records a change to `instance` touches."""
    if isinstance(instance, Detainee):
        return {instance.pk} if instance.pk else set()
    if isinstance(instance, MediaItem):
        return set(instance.depicted.values_list("pk", flat=True)) if instance.pk else set()
    if isinstance(instance, Interpreter):
        ids = set(Interrogation.objects.filter(interpreters=instance).values_list("detainee_id", flat=True))
        ids |= set(RepatriationWish.objects.filter(interpreters=instance).values_list("detainee_id", flat=True))
        return ids
    if isinstance(instance, InterpreterLanguage):
        return affected_detainee_ids(instance.interpreter)
    if isinstance(instance, Facility):
        return set(instance.detainees.values_list("pk", flat=True))
    if isinstance(instance, FacilityPostedText):
        return affected_detainee_ids(instance.facility)
    if isinstance(instance, ExchangeProposal):
        return set(instance.outgoing_members.values_list("detainee_id", flat=True)) if instance.pk else set()
    if isinstance(instance, Visit):
        ids = {instance.detainee_id} if instance.detainee_id else set()
        if instance.facility_id:
            ids |= set(Detainee.objects.filter(current_facility_id=instance.facility_id).values_list("pk", flat=True))
        return ids
    detainee_id = getattr(instance, "detainee_id", None)
    return {detainee_id} if detainee_id else set()


def announce_change(detainee_ids: Iterable[int]) -> None:
    """Tell listeners, after commit, that these detainees' records changed.

    Announcements made inside one transaction are merged: listeners hear once, on commit, about every
    detainee the transaction touched (a demo load or an API request with nested writes re-evaluates each
    detainee once, not once per saved row).
    """
    ids = {i for i in detainee_ids if i}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        record_changed.send(sender=Detainee, detainee_ids=sorted(ids))
        return
    pending: _PendingAnnouncement | None = getattr(connection, "_powcases_pending", None)
    # A rolled-back transaction discards its on-commit callbacks: start a new announcement then.
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _PendingAnnouncement(connection)
        connection._powcases_pending = pending
        transaction.on_commit(pending)
    pending.ids |= ids


class _PendingAnnouncement:
    """The detainee ids one transaction changed, announced once when it commits."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.ids: set[int] = set()

    def __call__(self) -> None:
        if getattr(self.connection, "_powcases_pending", None) is self:
            self.connection._powcases_pending = None
        record_changed.send(sender=Detainee, detainee_ids=sorted(self.ids))


# --- Generic record writes ------------------------------------------------------------------------------


def _set_actor(instance: models.Model, actor: Actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # read by django-simple-history


@transaction.atomic
def record_save(*, actor: Actor, instance: M, exclude: Sequence[str] = ()) -> M:
    """Validate and save one record of the case file (create or update), keeping its history.

    Raises ValidationError naming the field on bad input; nothing is written then.
    """
    before = affected_detainee_ids(instance) if instance.pk else set()
    instance.full_clean(exclude=list(exclude) or None)
    _set_actor(instance, actor)
    instance.save()
    announce_change(before | affected_detainee_ids(instance))
    return instance


@transaction.atomic
def record_delete(*, actor: Actor, instance: models.Model) -> None:
    """Delete one record (history keeps a copy with the acting user)."""
    ids = affected_detainee_ids(instance)
    _set_actor(instance, actor)
    instance.delete()
    announce_change(ids)


@transaction.atomic
def m2m_set(*, actor: Actor, instance: models.Model, field: str, values: Iterable[models.Model | int]) -> None:
    """Replace a many-to-many relation, recording the change in history."""
    before = affected_detainee_ids(instance)
    _set_actor(instance, actor)
    getattr(instance, field).set(list(values))
    announce_change(before | affected_detainee_ids(instance))


# --- Detainees ------------------------------------------------------------------------------------------


def next_case_number(*, year: int | None = None) -> str:
    """Take the next case number for the year, e.g. 'POW-2025-000123'. Call inside a transaction."""
    year = year or timezone.now().year
    CaseNumberSequence.objects.get_or_create(year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{settings.CASE_NUMBER_PREFIX}-{year}-{sequence.last_value:06d}"


def apply_partial_date(target: models.Model, field: str, value: str | PartialDate | dt.date | None) -> None:
    """Set `<field>` and `<field>_precision` from "1999", "1999-05", "1999-05-17", a date or None."""
    if value in (None, ""):
        setattr(target, field, None)
        return
    if isinstance(value, str):
        try:
            value = PartialDate.parse(value)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
    if isinstance(value, dt.date):
        value = PartialDate(value, "day")
    setattr(target, field, value.date)
    setattr(target, f"{field}_precision", value.precision)


def _normalise_codes(
    data: dict[str, Any], country_fields: Sequence[str] = (), language_fields: Sequence[str] = ()
) -> None:
    """Normalise country and language codes in place, raising errors that name the field."""
    errors: dict[str, list[str]] = {}
    for name in country_fields:
        if data.get(name):
            try:
                data[name] = normalize_country(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    for name in language_fields:
        if data.get(name):
            try:
                data[name] = normalize_language(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


DETAINEE_COUNTRY_FIELDS = ("nationality", "power_depends_on")


@transaction.atomic
def detainee_create(
    *,
    actor: Actor,
    date_of_birth: str | PartialDate | dt.date | None = None,
    case_year: int | None = None,
    instance: Detainee | None = None,
    **fields: Any,
) -> Detainee:
    """Register a detainee and give him the next case number (of `case_year`, by default the current year).

    `instance`, an unsaved Detainee already filled in (as the admin's form builds it), is saved as it is;
    the partial date of birth is then taken from it unless `date_of_birth` is given.
    """
    _normalise_codes(fields, country_fields=DETAINEE_COUNTRY_FIELDS)
    if instance is not None:
        for name, value in fields.items():
            setattr(instance, name, value)
        detainee = instance
        if date_of_birth is not None:
            apply_partial_date(detainee, "date_of_birth", date_of_birth)
    else:
        detainee = Detainee(**fields)
        apply_partial_date(detainee, "date_of_birth", date_of_birth)
    if detainee.status == DetaineeStatus.STATUS_IN_DOUBT and not detainee.status_doubt_since:
        detainee.status_doubt_since = timezone.now()
    detainee.full_clean(exclude=["case_number"])
    detainee.case_number = next_case_number(year=case_year)
    _set_actor(detainee, actor)
    detainee.save()
    announce_change([detainee.pk])
    return detainee


_UNSET = object()


@transaction.atomic
def detainee_update(*, actor: Actor, detainee: Detainee, date_of_birth: Any = _UNSET, **fields: Any) -> Detainee:
    """Change a detainee's own fields. Status doubt starts its clock when the status becomes 'in doubt'."""
    _normalise_codes(fields, country_fields=DETAINEE_COUNTRY_FIELDS)
    for name, value in fields.items():
        setattr(detainee, name, value)
    if date_of_birth is not _UNSET:
        apply_partial_date(detainee, "date_of_birth", date_of_birth)
    if detainee.status == DetaineeStatus.STATUS_IN_DOUBT and not detainee.status_doubt_since:
        detainee.status_doubt_since = timezone.now()
    return record_save(actor=actor, instance=detainee)


@transaction.atomic
def language_skill_set(*, actor: Actor, detainee: Detainee, language: str, **skills: Any) -> LanguageSkill:
    """Record (or update) what the detainee can do in a language; `language` may be 'ko', 'ko-KP' or 'kor'."""
    try:
        code = normalize_language(language)
    except ValidationError as exc:
        raise ValidationError({"language": exc.messages}) from None
    skill = LanguageSkill.objects.filter(detainee=detainee, language=code).first() or LanguageSkill(
        detainee=detainee, language=code
    )
    for name, value in skills.items():
        setattr(skill, name, value)
    return record_save(actor=actor, instance=skill)


@transaction.atomic
def custody_event_record(*, actor: Actor, detainee: Detainee, **fields: Any) -> Any:
    """Record a custody event and bring the detainee's current facility and status up to date."""
    from .models import CustodyEvent

    _normalise_codes(fields, country_fields=("to_power",))
    event = CustodyEvent(detainee=detainee, **fields)
    record_save(actor=actor, instance=event)
    custody_refresh(actor=actor, detainee=detainee)
    return event


def custody_refresh(*, actor: Actor, detainee: Detainee) -> Detainee:
    """Derive current facility (and end-of-custody status) from the latest custody event."""
    latest = detainee.custody_events.order_by("-occurred_at", "-id").first()
    if latest is None:
        return detainee
    status_by_kind = {
        CustodyEventKind.RELEASE: DetaineeStatus.RELEASED,
        CustodyEventKind.REPATRIATION: DetaineeStatus.REPATRIATED,
        CustodyEventKind.ESCAPE: DetaineeStatus.ESCAPED,
        CustodyEventKind.DEATH: DetaineeStatus.DECEASED,
        CustodyEventKind.TRANSFER_TO_POWER: DetaineeStatus.TRANSFERRED,
    }
    changed: list[str] = []
    if latest.to_facility_id and latest.to_facility_id != detainee.current_facility_id:
        detainee.current_facility_id = latest.to_facility_id
        changed.append("current_facility")
    if latest.kind in status_by_kind:
        if detainee.status != status_by_kind[latest.kind]:
            detainee.status = status_by_kind[latest.kind]
            changed.append("status")
        if detainee.current_facility_id is not None and not latest.to_facility_id:
            detainee.current_facility_id = None
            changed.append("current_facility")
    if latest.quarters and latest.quarters != detainee.quarters:
        detainee.quarters = latest.quarters
        changed.append("quarters")
    if changed:
        _set_actor(detainee, actor)
        detainee.save(update_fields=[*changed, "updated_at"])
    return detainee


# --- Interpreters and interrogations ---------------------------------------------------------------------


@transaction.atomic
def interpreter_save(*, actor: Actor, interpreter: Interpreter, languages: Iterable[str] | None = None) -> Interpreter:
    """Create or update an interpreter; `languages` (any accepted code form) replaces the language list."""
    _normalise_codes(interpreter.__dict__, country_fields=("affiliation_state",))
    record_save(actor=actor, instance=interpreter)
    if languages is not None:
        codes: list[str] = []
        for position, code in enumerate(languages):
            try:
                codes.append(normalize_language(code))
            except ValidationError as exc:
                raise ValidationError({"languages": [f"Item {position + 1}: {m}" for m in exc.messages]}) from None
        existing = {row.language: row for row in interpreter.languages.all()}
        for code in set(existing) - set(codes):
            record_delete(actor=actor, instance=existing[code])
        for code in dict.fromkeys(codes):
            if code not in existing:
                record_save(actor=actor, instance=InterpreterLanguage(interpreter=interpreter, language=code))
        announce_change(affected_detainee_ids(interpreter))
    return interpreter


@transaction.atomic
def interrogation_save(
    *, actor: Actor, interrogation: Interrogation, interpreters: Iterable[Interpreter | int] | None = None
) -> Interrogation:
    """Record or update a questioning session and its interpreters."""
    _normalise_codes(interrogation.__dict__, language_fields=("language",))
    record_save(actor=actor, instance=interrogation)
    if interpreters is not None:
        m2m_set(actor=actor, instance=interrogation, field="interpreters", values=interpreters)
    return interrogation


@transaction.atomic
def repatriation_wish_record(
    *, actor: Actor, wish: RepatriationWish, interpreters: Iterable[Interpreter | int] | None = None
) -> RepatriationWish:
    """Record the detainee's wish about repatriation; the latest one is what the detainee shows."""
    _normalise_codes(wish.__dict__, language_fields=("language",))
    record_save(actor=actor, instance=wish)
    if interpreters is not None:
        m2m_set(actor=actor, instance=wish, field="interpreters", values=interpreters)
    return wish


@transaction.atomic
def media_item_save(
    *, actor: Actor, media_item: MediaItem, depicted: Iterable[Detainee | int] | None = None
) -> MediaItem:
    """Record a media item and who it depicts; the file stays in private storage."""
    max_bytes = settings.MEDIA_MAX_UPLOAD_BYTES
    if media_item.file and getattr(media_item.file, "size", 0) > max_bytes:
        raise ValidationError({"file": [f"The file is larger than the {max_bytes // (1024 * 1024)} MB allowed."]})
    record_save(actor=actor, instance=media_item)
    if depicted is not None:
        m2m_set(actor=actor, instance=media_item, field="depicted", values=depicted)
    return media_item


# --- Exchanges ------------------------------------------------------------------------------------------


def allowed_transitions(status: str) -> tuple[str, ...]:
    return tuple(str(s) for s in EXCHANGE_TRANSITIONS[ExchangeStatus(status)])


def _bump_version(proposal: ExchangeProposal, expected_version: int | None) -> None:
    """Check optimistic concurrency and take the next version, under a row lock."""
    current = ExchangeProposal.objects.select_for_update().values_list("version", flat=True).get(pk=proposal.pk)
    if expected_version is not None and expected_version != current:
        raise StaleVersion(expected_version, current)
    proposal.version = current + 1


@transaction.atomic
def exchange_save(
    *,
    actor: Actor,
    proposal: ExchangeProposal,
    outgoing: Iterable[Detainee | int] | None = None,
    incoming: Iterable[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> ExchangeProposal:
    """Create or update an exchange proposal and, when given, replace its outgoing and incoming lists.

    Members can change only while the proposal is a draft or proposed.
    """
    _normalise_codes(proposal.__dict__, country_fields=("counterparty",))
    creating = proposal.pk is None
    if not creating:
        _bump_version(proposal, expected_version)
    if (outgoing is not None or incoming is not None) and proposal.status not in EXCHANGE_EDITABLE_STATUSES:
        raise ValidationError(
            {"outgoing": [f"Members cannot change once the proposal is '{proposal.status}'."]}, code="locked"
        )
    before = affected_detainee_ids(proposal)
    record_save(actor=actor, instance=proposal)
    if creating:
        ExchangeTransition.objects.create(
            proposal=proposal,
            from_status=ExchangeStatus.DRAFT,
            to_status=proposal.status,
            actor=_user(actor),
            comment="created",
        )
    if outgoing is not None:
        wanted = {d.pk if isinstance(d, Detainee) else int(d) for d in outgoing}
        found = set(Detainee.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if missing := sorted(wanted - found):
            raise ValidationError({"outgoing": [f"No detainee with id {', '.join(map(str, missing))}."]})
        current = {m.detainee_id: m for m in proposal.outgoing_members.all()}
        for detainee_id in set(current) - wanted:
            record_delete(actor=actor, instance=current[detainee_id])
        for detainee_id in sorted(wanted - set(current)):
            record_save(actor=actor, instance=ExchangeOutgoing(proposal=proposal, detainee_id=detainee_id))
    if incoming is not None:
        for person in proposal.incoming.all():
            record_delete(actor=actor, instance=person)
        for position, data in enumerate(incoming):
            data = dict(data)
            person = ExchangeIncoming(proposal=proposal)
            date_of_birth = data.pop("date_of_birth", None)
            for name, value in data.items():
                setattr(person, name, value)
            try:
                apply_partial_date(person, "date_of_birth", date_of_birth)
                record_save(actor=actor, instance=person)
            except ValidationError as exc:
                raise ValidationError({"incoming": [f"Person {position + 1}: {m}" for m in exc.messages]}) from None
    announce_change(before | affected_detainee_ids(proposal))
    # Inside the transaction: receivers (webhook outbox) write rows that commit or roll back with the change.
    if creating:
        exchange_changed.send(sender=ExchangeProposal, proposal=proposal, event="created", actor=_user(actor))
    elif outgoing is not None or incoming is not None:
        exchange_changed.send(sender=ExchangeProposal, proposal=proposal, event="members_changed", actor=_user(actor))
    return proposal


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def exchange_transition(
    *, actor: Actor, proposal: ExchangeProposal, to: str, expected_version: int | None = None, comment: str = ""
) -> ExchangeProposal:
    """Move an exchange proposal to another status, if the declared transition table allows it."""
    if to not in ExchangeStatus.values:
        raise ValidationError({"to": [f"'{to}' is not a status: expected one of {', '.join(ExchangeStatus.values)}."]})
    locked = ExchangeProposal.objects.select_for_update().get(pk=proposal.pk)
    allowed = allowed_transitions(locked.status)
    if to not in allowed:
        raise TransitionNotAllowed(locked.status, to, allowed)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(expected_version, locked.version)
    if to == ExchangeStatus.PROPOSED and not locked.outgoing_members.exists() and not locked.incoming.exists():
        raise ValidationError({"to": ["An empty proposal cannot be proposed: add outgoing or incoming persons."]})
    from_status = locked.status
    ExchangeTransition.objects.create(
        proposal=locked, from_status=from_status, to_status=to, actor=_user(actor), comment=comment
    )
    locked.status = to
    locked.version += 1
    _set_actor(locked, actor)
    locked.save(update_fields=["status", "version", "updated_at"])
    proposal.status, proposal.version, proposal.updated_at = locked.status, locked.version, locked.updated_at
    announce_change(affected_detainee_ids(locked))
    exchange_changed.send(
        sender=ExchangeProposal,
        proposal=proposal,
        event="status_changed",
        actor=_user(actor),
        from_status=from_status,
        to_status=to,
    )
    return proposal
