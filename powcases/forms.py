"""Form behaviour shared by every admin form of the case record.

Two kinds of values are typed differently from how they are stored:
- partial dates: "1999", "1999-05" or "1999-05-17" in one text box, stored as `<field>` + `<field>_precision`;
- codes: languages typed as 'ko', 'ko-KP' or 'kor' are stored as ISO 639-3 ('kor'); countries as 'kp' or 'PRK'
  are stored as ISO 3166-1 alpha-2 ('KP').
Errors name the field and say what was expected.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse

from .validators import PartialDate, normalize_country, normalize_language, validate_country, validate_language


def partial_date_fields(model: type[models.Model]) -> list[str]:
    """Date fields that have a `<name>_precision` companion on the model."""
    names = {f.name for f in model._meta.concrete_fields}
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and f"{f.name}_precision" in names
    ]


class PartialDateField(forms.CharField):
    """One text box for a date of which only the year, or year and month, may be known."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "YYYY, YYYY-MM or YYYY-MM-DD: give only what is known, e.g. '1999'.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "YYYY[-MM[-DD]]")
        self.widget.attrs.setdefault("size", 12)
        self.widget.attrs.setdefault("maxlength", 10)

    def to_python(self, value: Any) -> PartialDate | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValidationError as exc:
            raise ValidationError(f"{self.label}: {' '.join(exc.messages)}", code="invalid_partial_date") from None


class CodeField(forms.CharField):
    """A language or country code, normalised on input ('ko-KP' -> 'kor', 'prk' -> 'KP')."""

    def __init__(self, *, normalise: Any, **kwargs: Any) -> None:
        self.normalise = normalise
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("size", 8)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return text
        try:
            return self.normalise(text)
        except ValidationError as exc:
            raise ValidationError(f"{self.label}: {' '.join(exc.messages)}", code="invalid_code") from None


class CaseRecordForm(forms.ModelForm):
    """Base admin form: partial dates in one box, normalised codes, and raw-id labels without extra queries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        self._partial_dates = [name for name in partial_date_fields(model) if name in self.fields]
        for name in self._partial_dates:
            old = self.fields[name]
            self.fields[name] = PartialDateField(required=old.required, label=old.label)
            self.fields.pop(f"{name}_precision", None)
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = PartialDate(value, getattr(self.instance, f"{name}_precision")).isoformat()
        for name, field in list(self.fields.items()):
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                continue
            validators = getattr(model_field, "validators", [])
            normalise = (
                normalize_language
                if validate_language in validators
                else normalize_country
                if validate_country in validators
                else None
            )
            if normalise is not None and isinstance(field, forms.CharField):
                help_text = (
                    "ISO 639-3 code; 'ko', 'ko-KP' and 'kor' are all stored as 'kor'."
                    if normalise is normalize_language
                    else field.help_text
                )
                self.fields[name] = CodeField(
                    normalise=normalise, required=field.required, label=field.label, help_text=help_text
                )
            # A raw-id widget looks its object up once per row; hand it the object the queryset already joined.
            if (
                isinstance(model_field, models.ForeignKey)
                and isinstance(field.widget, ForeignKeyRawIdWidget)
                and self.instance.pk
                and model_field.is_cached(self.instance)
            ):
                field.widget.known_object = getattr(self.instance, name)
        if "file" in self.fields and self.instance.pk and getattr(self.instance, "file", None):
            self.fields["file"].widget.download_url = reverse("powcases:media-download", args=[self.instance.pk])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in self._partial_dates:
            partial = cleaned.get(name)
            if isinstance(partial, PartialDate):
                cleaned[name] = partial.date
                setattr(self.instance, f"{name}_precision", partial.precision)
        return cleaned


class KnownObjectRawIdWidget(ForeignKeyRawIdWidget):
    """Raw-id widget that labels the current value from an object already loaded, instead of querying for it."""

    known_object: models.Model | None = None

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        known = self.known_object
        if known is not None and str(known.pk) == str(value):
            try:
                url = reverse(
                    f"{self.admin_site.name}:{known._meta.app_label}_{known._meta.model_name}_change", args=[known.pk]
                )
            except NoReverseMatch:  # no admin page for that model: label only
                url = ""
            return str(known), url
        return super().label_and_url_for_value(value)


class PrivateFileInput(forms.ClearableFileInput):
    """File input for private storage: links to the permission-checked download view, never to a public URL."""

    template_name = "powcases/widgets/private_file_input.html"
    download_url: str = ""

    def is_initial(self, value: Any) -> bool:
        return bool(value and getattr(value, "name", None))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["download_url"] = self.download_url
        context["widget"]["file_name"] = getattr(value, "name", "") if value else ""
        return context
