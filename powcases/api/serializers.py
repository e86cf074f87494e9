"""Serializers of the case record API. Field names are the integration contract (issue #4): keep them.

Serializers validate shapes and types; every write goes through `powcases.services` (called from `save`),
which validates the record itself and raises errors naming the field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import services
from ..choices import ExchangeStatus, HealthCategory, RepatriationWishChoice
from ..models import (
    Capture,
    CaptureCard,
    Detainee,
    ExchangeIncoming,
    ExchangeProposal,
    ExchangeTransition,
    Interpreter,
    Interrogation,
    LanguageSkill,
    MediaItem,
    MedicalAssessment,
    RepatriationWish,
)
from ..validators import PartialDate, normalize_country, normalize_language
from .base import user_of


def _actor(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return user_of(request) if request is not None else None


def _with_changes(serializer: serializers.ModelSerializer, data: dict[str, Any]) -> Any:
    """The record being updated (or a new one of the serializer's model) with the validated values applied.

    Nothing is saved: the caller hands the record to its service, which validates and writes it.
    """
    record = serializer.instance or serializer.Meta.model()
    for name, value in data.items():
        setattr(record, name, value)
    return record


def _prefixed(exc: DjangoValidationError, prefix: str, rename: dict[str, str] | None = None) -> DjangoValidationError:
    """Re-key a nested record's errors so the message names the API field (e.g. capture 'place' -> 'capture_place')."""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        return DjangoValidationError(
            {rename.get(field, f"{prefix}{field}"): errors for field, errors in exc.error_dict.items()}
        )
    return exc


# --- Field types ----------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "1999-05"})
class PartialDateField(serializers.Field):
    """A partial ISO 8601 date, `"1999"`, `"1999-05"` or `"1999-05-17"`, returned with the precision given."""

    default_error_messages = {"invalid": "Expected a string YYYY, YYYY-MM or YYYY-MM-DD (e.g. '1999-05')."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> PartialDate | None:
        if data in ("", None):
            return None
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return PartialDate.parse(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def to_representation(self, value: PartialDate | None) -> str | None:
        return value.isoformat() if value else None


@extend_schema_field(
    {"type": "string", "example": "kor", "description": "ISO 639-1, ISO 639-3 or BCP 47 in; ISO 639-3 out."}
)
class LanguageField(serializers.CharField):
    """A language code: `ko`, `ko-KP` or `kor` in, always ISO 639-3 (`kor`) out."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 35)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value == "" and self.allow_blank:
            return value
        try:
            return normalize_language(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


@extend_schema_field({"type": "string", "example": "KP", "description": "ISO 3166-1 alpha-2 (alpha-3 accepted)."})
class CountryField(serializers.CharField):
    """An ISO 3166-1 country: `KP`, `kp` or `PRK` in, `KP` out."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value == "" and self.allow_blank:
            return value
        try:
            return normalize_country(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class IdListField(serializers.ListField):
    """A list of record ids that must exist (checked in one query; unknown ids named in the error)."""

    def __init__(self, model: type, ids_from: Any = None, **kwargs: Any) -> None:
        self.model = model
        self.ids_from = ids_from
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=2**63 - 1))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[int]:
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = set(self.model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if missing := [i for i in ids if i not in found]:
            noun = self.model._meta.verbose_name
            raise serializers.ValidationError(f"No {noun} with id {', '.join(map(str, missing))}.")
        return ids

    def get_attribute(self, instance: Any) -> Any:
        # `ids_from` reads the ids from prefetched rows (e.g. an exchange's outgoing members): no query per row.
        return self.ids_from(instance) if self.ids_from is not None else super().get_attribute(instance)

    def to_representation(self, data: Any) -> list[int]:
        if hasattr(data, "all"):
            return [item.pk for item in data.all()]
        return [item if isinstance(item, int) else item.pk for item in data]


def _id_list(model: type, help_text: str, ids_from: Any = None) -> IdListField:
    return IdListField(model, ids_from=ids_from, help_text=help_text)


# --- Detainees ------------------------------------------------------------------------------------------


class LanguageSkillSerializer(serializers.ModelSerializer):
    """What the detainee can do in one language."""

    language = LanguageField(help_text="ISO 639-1, ISO 639-3 or BCP 47 tag; returned as ISO 639-3.")

    class Meta:
        model = LanguageSkill
        fields = ["language", "understands", "speaks", "reads", "writes", "is_native", "established_by"]
        extra_kwargs = {"is_native": {"required": False}, "established_by": {"required": False}}


class DetaineeSerializer(serializers.ModelSerializer):
    """A detainee's identity, capture and languages, with his latest repatriation wish."""

    date_of_birth = PartialDateField(
        source="birth_date", help_text="Partial ISO 8601: '1999', '1999-05' or '1999-05-17'."
    )
    nationality = CountryField(required=False, allow_blank=True)
    power_depends_on = CountryField(required=False, allow_blank=True)
    captured_at = serializers.DateTimeField(source="capture.captured_at", required=False, allow_null=True)
    capture_place = serializers.CharField(source="capture.place", required=False, allow_blank=True, max_length=300)
    repatriation_wish = serializers.ChoiceField(
        choices=RepatriationWishChoice.choices,
        read_only=True,
        allow_null=True,
        source="latest_repatriation_wish",
        help_text="The latest recorded wish (record one at /api/v1/repatriation-wishes/).",
    )
    languages = LanguageSkillSerializer(many=True, required=False)

    class Meta:
        model = Detainee
        fields = [
            "id",
            "case_number",
            "family_name",
            "given_names",
            "family_name_original",
            "given_names_original",
            "original_script",
            "rank",
            "rank_category",
            "service_number",
            "date_of_birth",
            "sex",
            "nationality",
            "power_depends_on",
            "armed_force",
            "unit",
            "captured_at",
            "capture_place",
            "status",
            "repatriation_wish",
            "languages",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["case_number", "created_at", "updated_at"]

    def to_representation(self, instance: Detainee) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not hasattr(instance, "capture"):  # no Capture row (the reverse one-to-one raises otherwise)
            data["captured_at"], data["capture_place"] = None, ""
        return data

    def validate_languages(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        codes = [item["language"] for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError("Each language may appear only once.")
        return value

    def save_related(self, detainee: Detainee, capture: dict[str, Any] | None, languages: list | None) -> None:
        """Write the capture (one-to-one) and the language list through the services."""
        actor = _actor(self)
        if capture:
            self._save_capture(actor, detainee, capture)
        if languages is not None:
            wanted = {item["language"] for item in languages}
            for skill in list(detainee.languages.all()):
                if skill.language not in wanted:
                    services.record_delete(actor=actor, instance=skill)
            for position, item in enumerate(languages):
                item = dict(item)
                try:
                    services.language_skill_set(actor=actor, detainee=detainee, **item)
                except DjangoValidationError as exc:
                    messages = [f"Item {position + 1}: {m}" for m in exc.messages]
                    raise DjangoValidationError({"languages": messages}) from None

    @staticmethod
    def _save_capture(actor: Any, detainee: Detainee, capture: dict[str, Any]) -> None:
        record = Capture.objects.filter(detainee=detainee).first() or Capture(detainee=detainee)
        if "captured_at" in capture:
            record.captured_at = capture["captured_at"]
        if "place" in capture:
            record.place = capture["place"]
        if record.captured_at is None:
            if record.pk is None and not record.place:
                return  # nothing known about the capture yet
            message = "Give the time of capture with the place." if record.pk is None else "It cannot be removed."
            raise DjangoValidationError({"captured_at": [message]})
        try:
            services.record_save(actor=actor, instance=record)
        except DjangoValidationError as exc:
            raise _prefixed(exc, "capture_", {"place": "capture_place", "captured_at": "captured_at"}) from None

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Detainee:
        capture = validated_data.pop("capture", None)
        languages = validated_data.pop("languages", None)
        birth = validated_data.pop("birth_date", None)
        detainee = services.detainee_create(actor=_actor(self), date_of_birth=birth, **validated_data)
        self.save_related(detainee, capture, languages)
        return detainee

    @transaction.atomic
    def update(self, instance: Detainee, validated_data: dict[str, Any]) -> Detainee:
        capture = validated_data.pop("capture", None)
        languages = validated_data.pop("languages", None)
        extra = {"date_of_birth": validated_data.pop("birth_date")} if "birth_date" in validated_data else {}
        services.detainee_update(actor=_actor(self), detainee=instance, **extra, **validated_data)
        self.save_related(instance, capture, languages)
        return instance


# --- Interpreters and interrogations ---------------------------------------------------------------------


class LanguageCodeListField(serializers.ListField):
    """Language codes in; the interpreter's language rows (prefetched) out, as ISO 639-3 codes."""

    def to_representation(self, data: Any) -> list[str]:
        return [row.language for row in data.all()] if hasattr(data, "all") else list(data)


class InterpreterSerializer(serializers.ModelSerializer):
    """An interpreter and the languages he or she works in."""

    languages = LanguageCodeListField(
        child=LanguageField(),
        required=False,
        max_length=100,
        help_text="Language codes (ISO 639-1, ISO 639-3 or BCP 47); returned as ISO 639-3.",
    )
    affiliation_state = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Interpreter
        fields = [
            "id",
            "name",
            "languages",
            "affiliation",
            "affiliation_state",
            "organisation",
            "vetted",
            "vetted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save(self, **kwargs: Any) -> Interpreter:
        languages = self.validated_data.pop("languages", None)
        interpreter = _with_changes(self, self.validated_data)
        self.instance = services.interpreter_save(actor=_actor(self), interpreter=interpreter, languages=languages)
        return self.instance


class InterrogationSerializer(serializers.ModelSerializer):
    """A questioning session: when, in what language and mode, with which interpreters."""

    language = LanguageField(help_text="Language the questions were put in; returned as ISO 639-3.")
    interpreters = _id_list(Interpreter, "Interpreter ids.")

    class Meta:
        model = Interrogation
        fields = [
            "id",
            "detainee",
            "started_at",
            "ended_at",
            "language",
            "mode",
            "interpreters",
            "place",
            "answers_in_writing",
            "conducted_by",
            "conducting_authority",
            "declined_beyond_identity",
            "refused_identity_items",
            "coercion_alleged",
            "sanction_after_refusal",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save(self, **kwargs: Any) -> Interrogation:
        interpreters = self.validated_data.pop("interpreters", None)
        record = _with_changes(self, self.validated_data)
        self.instance = services.interrogation_save(actor=_actor(self), interrogation=record, interpreters=interpreters)
        return self.instance


# --- Medical --------------------------------------------------------------------------------------------


class MedicalAssessmentSerializer(serializers.ModelSerializer):
    """A medical assessment (visible only with `powcases.view_medical_details`)."""

    seriously_wounded = serializers.BooleanField(
        required=False, allow_null=True, help_text="True when the health category is 'seriously_wounded'."
    )

    class Meta:
        model = MedicalAssessment
        fields = [
            "id",
            "detainee",
            "assessed_at",
            "kind",
            "fit_for_questioning",
            "can_speak",
            "can_write",
            "seriously_wounded",
            "health_category",
            "weight_kg",
            "fit_to_travel",
            "assessed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"weight_kg": {"min_value": 20, "max_value": 300}}

    def to_representation(self, instance: MedicalAssessment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["seriously_wounded"] = (
            instance.health_category == HealthCategory.SERIOUSLY_WOUNDED if instance.health_category else None
        )
        return data

    def save(self, **kwargs: Any) -> MedicalAssessment:
        data = dict(self.validated_data)
        wounded = data.pop("seriously_wounded", None)
        record = _with_changes(self, data)
        if wounded is True:
            record.health_category = HealthCategory.SERIOUSLY_WOUNDED
        elif wounded is False and record.health_category == HealthCategory.SERIOUSLY_WOUNDED:
            record.health_category = ""
        self.instance = services.record_save(actor=_actor(self), instance=record)
        return self.instance


# --- Media ----------------------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "format": "uri", "nullable": True, "description": "Authorised download URL of the file."},
    component_name=None,
)
class PrivateFileField(serializers.FileField):
    """Upload a file; read back the URL of the authorised download endpoint, never a storage URL."""

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse("api:media-file", kwargs={"pk": value.instance.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class MediaItemSerializer(serializers.ModelSerializer):
    """A photograph or recording, who it depicts and how it was published (multipart for the file)."""

    detainees = _id_list(
        Detainee, "Ids of the detainees depicted.", ids_from=lambda item: [d.pk for d in item.depicted.all()]
    )
    file = PrivateFileField(required=False, allow_null=True, max_length=200)

    class Meta:
        model = MediaItem
        fields = [
            "id",
            "kind",
            "detainees",
            "file",
            "description",
            "taken_at",
            "identifiable",
            "published_at",
            "published_by",
            "publisher_is_state_official",
            "channel",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save(self, **kwargs: Any) -> MediaItem:
        data = dict(self.validated_data)
        depicted = data.pop("detainees", None)
        record = self.instance or MediaItem()
        for name, value in data.items():
            setattr(record, name, value if value is not None or name != "file" else "")
        self.instance = services.media_item_save(actor=_actor(self), media_item=record, depicted=depicted)
        return self.instance


# --- Capture cards and repatriation wishes --------------------------------------------------------------


class CaptureCardSerializer(serializers.ModelSerializer):
    """A capture card (Art. 70): offered, sent to the family and to the Central Tracing Agency, or declined."""

    class Meta:
        model = CaptureCard
        fields = [
            "id",
            "detainee",
            "occasion",
            "offered_at",
            "completed_at",
            "sent_to_family_at",
            "sent_to_cta_at",
            "declined",
            "declined_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save(self, **kwargs: Any) -> CaptureCard:
        record = _with_changes(self, self.validated_data)
        self.instance = services.record_save(actor=_actor(self), instance=record)
        return self.instance


class RepatriationWishSerializer(serializers.ModelSerializer):
    """A recorded wish about repatriation; the latest one shows on the detainee."""

    language = LanguageField(required=False, allow_blank=True)
    interpreters = _id_list(Interpreter, "Interpreter ids.")

    class Meta:
        model = RepatriationWish
        fields = [
            "id",
            "detainee",
            "wish",
            "recorded_at",
            "language",
            "interpreters",
            "recorded_by",
            "third_party_present",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save(self, **kwargs: Any) -> RepatriationWish:
        interpreters = self.validated_data.pop("interpreters", None)
        record = _with_changes(self, self.validated_data)
        self.instance = services.repatriation_wish_record(actor=_actor(self), wish=record, interpreters=interpreters)
        return self.instance


# --- Exchanges ------------------------------------------------------------------------------------------


class ExchangeIncomingSerializer(serializers.ModelSerializer):
    """A person the other side would hand over."""

    date_of_birth = PartialDateField(source="birth_date")

    class Meta:
        model = ExchangeIncoming
        fields = ["family_name", "given_names", "service_number", "date_of_birth"]


class ExchangeTransitionSerializer(serializers.ModelSerializer):
    """One status change: from, to, when and by whom."""

    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ExchangeTransition
        fields = ["from_status", "to_status", "at", "actor"]


class ExchangeSerializer(serializers.ModelSerializer):
    """An exchange proposal. `status` moves only through POST /exchanges/{id}/transition/."""

    counterparty = CountryField()
    status = serializers.ChoiceField(choices=ExchangeStatus.choices, read_only=True)
    outgoing = _id_list(
        Detainee,
        "Ids of the detainees we would hand over.",
        ids_from=lambda proposal: [member.detainee_id for member in proposal.outgoing_members.all()],
    )
    incoming = ExchangeIncomingSerializer(many=True, required=False)
    history = ExchangeTransitionSerializer(many=True, read_only=True, source="transitions")

    class Meta:
        model = ExchangeProposal
        fields = [
            "id",
            "reference",
            "counterparty",
            "mediator",
            "status",
            "outgoing",
            "incoming",
            "history",
            "proposed_on",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {"reference": {"validators": []}}  # uniqueness: the database decides (409 on a race)

    def validate_reference(self, value: str) -> str:
        taken = ExchangeProposal.objects.filter(reference=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(f"An exchange with reference {value!r} already exists.")
        return value

    def save(self, **kwargs: Any) -> ExchangeProposal:
        data = dict(self.validated_data)
        outgoing = data.pop("outgoing", None)
        incoming = data.pop("incoming", None)
        if incoming is not None:
            incoming = [
                {**{k: v for k, v in person.items() if k != "birth_date"}, "date_of_birth": person.get("birth_date")}
                for person in incoming
            ]
        proposal = self.instance or ExchangeProposal()
        for name, value in data.items():
            setattr(proposal, name, value)
        self.instance = services.exchange_save(
            actor=_actor(self),
            proposal=proposal,
            outgoing=outgoing,
            incoming=incoming,
            expected_version=kwargs.get("expected_version"),
        )
        return self.instance


class ExchangeTransitionRequestSerializer(serializers.Serializer):
    """Body of POST /exchanges/{id}/transition/."""

    to = serializers.ChoiceField(choices=ExchangeStatus.choices, help_text="The status to move to.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


__all__ = [
    "CaptureCardSerializer",
    "DetaineeSerializer",
    "ExchangeSerializer",
    "ExchangeTransitionRequestSerializer",
    "InterpreterSerializer",
    "InterrogationSerializer",
    "MediaItemSerializer",
    "MedicalAssessmentSerializer",
    "RepatriationWishSerializer",
]
