"""The admin for case officers: a detainee's whole record on one page, every write through the services.

Rules this module keeps:
- every save and delete calls `powcases.services` (validation, history with the acting user, change signal);
- no changelist or change page runs a query per row or per inline row: foreign keys are joined, many-to-many
  values prefetched, and choice lists for small tables (facilities, interpreters) are built once per request;
- medical details are shown only to users holding `powcases.view_medical_details`;
- media files are reached only through the permission-checked download view (MEDIA_URL is None).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from . import selectors, services
from .choices import EXCHANGE_EDITABLE_STATUSES, ExchangeStatus, RepatriationWishChoice
from .forms import CaseRecordForm, KnownObjectRawIdWidget, PrivateFileInput
from .models import (
    Capture,
    CaptureCard,
    CaseNumberSequence,
    CustodyEvent,
    Detainee,
    DetaineeAlias,
    ExchangeIncoming,
    ExchangeOutgoing,
    ExchangeProposal,
    ExchangeTransition,
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
from .validators import PartialDate

admin.site.site_header = "POW case management"
admin.site.site_title = "POW case management"
admin.site.index_title = "Case record and compliance"
# The record pages are wide (many inlines with many columns): give them the whole window.
admin.site.enable_nav_sidebar = False

MEDICAL_PERMISSION = "powcases.view_medical_details"

# Tables small enough to offer as a drop-down; their choices are loaded once per request (see _cache_choices).
_SMALL_TABLES = (Facility, Interpreter)


# --- Writing through the services -----------------------------------------------------------------------


def save_record(*, actor: Any, instance: models.Model) -> models.Model:
    """Save one record the admin built, through the service that owns that kind of record."""
    if isinstance(instance, Interrogation):
        return services.interrogation_save(actor=actor, interrogation=instance)
    if isinstance(instance, RepatriationWish):
        return services.repatriation_wish_record(actor=actor, wish=instance)
    if isinstance(instance, MediaItem):
        return services.media_item_save(actor=actor, media_item=instance)
    if isinstance(instance, Interpreter):
        return services.interpreter_save(actor=actor, interpreter=instance)
    if isinstance(instance, ExchangeProposal):
        return services.exchange_save(actor=actor, proposal=instance)
    if isinstance(instance, CustodyEvent):
        services.record_save(actor=actor, instance=instance)
        services.custody_refresh(actor=actor, detainee=instance.detainee)
        return instance
    return services.record_save(actor=actor, instance=instance)


def delete_record(*, actor: Any, instance: models.Model) -> None:
    """Delete one record through the services (history keeps a copy with the acting user)."""
    detainee = instance.detainee if isinstance(instance, CustodyEvent) else None
    services.record_delete(actor=actor, instance=instance)
    if detainee is not None:
        services.custody_refresh(actor=actor, detainee=detainee)


def save_m2m(*, actor: Any, form: ModelForm) -> None:
    """Write the many-to-many values of a saved form through `services.m2m_set`."""
    instance = form.instance
    for field in instance._meta.many_to_many:
        if field.name not in form.cleaned_data or not field.remote_field.through._meta.auto_created:
            continue
        if field.name in form.changed_data:
            services.m2m_set(actor=actor, instance=instance, field=field.name, values=form.cleaned_data[field.name])


class ServiceWritesMixin:
    """Route the admin's saves and deletes (main object and inlines) through the services."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        save_record(actor=request.user, instance=obj)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        delete_record(actor=request.user, instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            delete_record(actor=request.user, instance=obj)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Iterable[Any], change: bool) -> None:
        save_m2m(actor=request.user, form=form)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_record(actor=request.user, instance=obj)
        saved = {id(obj) for obj in instances}
        for inline_form in formset.forms:
            if id(inline_form.instance) in saved:
                save_record(actor=request.user, instance=inline_form.instance)
                save_m2m(actor=request.user, form=inline_form)


# --- Form fields without per-row queries ----------------------------------------------------------------


class NoPerRowQueriesMixin:
    """Build FK/M2M choice lists once per request, and label raw-id values from already-joined objects."""

    form = CaseRecordForm

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.FileField):
            kwargs["widget"] = PrivateFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in getattr(self, "raw_id_fields", ()):
            kwargs["widget"] = KnownObjectRawIdWidget(db_field.remote_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._cache_choices(formfield, db_field, request)

    def formfield_for_manytomany(self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._cache_choices(formfield, db_field, request)

    @staticmethod
    def _cache_choices(formfield: Any, db_field: models.Field, request: HttpRequest) -> Any:
        if formfield is None or db_field.related_model not in _SMALL_TABLES:
            return formfield
        if isinstance(formfield.widget, ForeignKeyRawIdWidget | AutocompleteMixin) or not hasattr(
            formfield, "queryset"
        ):
            return formfield
        cache = request.__dict__.setdefault("_powcases_choices", {})
        key = (db_field.related_model, getattr(formfield, "empty_label", None))
        if key not in cache:
            cache[key] = list(formfield.choices)
        formfield.choices = cache[key]
        return formfield


# Partial dates shown read-only as recorded ("1999", "2024-10"), not as the first day of their period.
_PARTIAL_DATE_DISPLAY = {"date_of_birth": "date_of_birth_recorded", "issued_on": "issued_on_recorded"}


def _swap_partial_dates(fields: Any) -> Any:
    if isinstance(fields, list | tuple):
        return type(fields)(_swap_partial_dates(f) for f in fields)
    return _PARTIAL_DATE_DISPLAY.get(fields, fields)


class PartialDateDisplayMixin:
    """For users who may only view: show partial dates with the precision they were recorded with."""

    def _view_only(self, request: HttpRequest, obj: Any) -> bool:
        return not self.has_change_permission(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if not self._view_only(request, obj):
            return fieldsets
        return [(name, {**options, "fields": _swap_partial_dates(options["fields"])}) for name, options in fieldsets]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, *_PARTIAL_DATE_DISPLAY.values()] if self._view_only(request, obj) else readonly

    @admin.display(description="Date of birth")
    def date_of_birth_recorded(self, obj: Any) -> str:
        return str(obj.birth_date) if obj.birth_date else "-"

    @admin.display(description="Issued on")
    def issued_on_recorded(self, obj: Any) -> str:
        return str(obj.issued) if obj.issued else "-"


class EmptyForeignKeyContextHelper(HistoricalRecordContextHelper):
    """History diffs: show an empty foreign key as empty (the library labels it "Deleted ... (pk=None)")."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        if isinstance(value, DeletedObject) and value.pk is None:
            return None
        return super().prepare_delta_change_value(change, value)


class CaseRecordAdmin(ServiceWritesMixin, PartialDateDisplayMixin, NoPerRowQueriesMixin, SimpleHistoryAdmin):
    """Base admin of the case record: service writes, history with the acting user, no per-row queries."""

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any) -> Any:
        return EmptyForeignKeyContextHelper(self.model, historical_record)

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # The form validates first, but a service may still refuse (e.g. a rule that spans records). The admin's
        # transaction has then rolled everything back: say so, instead of answering with a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, f"Nothing was saved: {' '.join(exc.messages)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    list_per_page = 50

    class Media:
        css = {"all": ["powcases/admin.css"]}


class JoinForeignKeysMixin:
    """Join every foreign key of an inline's rows: read-only users see them rendered as text, one lookup each."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        joins = [
            f.name
            for f in queryset.model._meta.concrete_fields
            if f.many_to_one and f.related_model not in (Detainee, queryset.model)
        ]
        return queryset.select_related(*joins) if joins else queryset


class CaseRecordInline(JoinForeignKeysMixin, PartialDateDisplayMixin, NoPerRowQueriesMixin, admin.TabularInline):
    """Base inline: no per-row queries; saving is done by the parent admin through the services."""

    extra = 0
    show_change_link = True


class CaseRecordStackedInline(JoinForeignKeysMixin, PartialDateDisplayMixin, NoPerRowQueriesMixin, admin.StackedInline):
    """Stacked variant, for records with too many fields for one table row."""

    extra = 0
    show_change_link = True


def detainee_link(detainee: Detainee | None) -> str:
    if detainee is None:
        return "—"
    url = reverse("admin:powcases_detainee_change", args=[detainee.pk])
    return format_html('<a href="{}">{}</a>', url, detainee)


class ChildRecordAdmin(CaseRecordAdmin):
    """Admin of a record that belongs to one detainee: list it with its detainee, find it by his name."""

    raw_id_fields = ("detainee",)
    list_select_related = ("detainee",)
    search_fields = ("detainee__case_number", "detainee__family_name", "detainee__family_name_original")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The changelist ignores list_select_related once the queryset joins anything: join both here.
        return super().get_queryset(request).select_related("detainee", *self.list_select_related)

    @admin.display(description="Detainee", ordering="detainee__case_number")
    def detainee_column(self, obj: Any) -> str:
        return detainee_link(obj.detainee)


# --- Medical details: visible to medical officers and legal reviewers only --------------------------------


class MedicalPermissionMixin:
    """Require `powcases.view_medical_details` on top of the model permissions."""

    def _medical(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MEDICAL_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:  # only ModelAdmin calls this
        return self._medical(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._medical(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._medical(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._medical(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._medical(request) and super().has_delete_permission(request, obj)


# --- Inlines of the detainee's page ---------------------------------------------------------------------


class AliasInline(CaseRecordInline):
    model = DetaineeAlias
    fields = ("name", "script", "source")
    show_change_link = False


class CaptureInline(CaseRecordStackedInline):
    model = Capture
    max_num = 1
    verbose_name_plural = "Capture"
    show_change_link = False
    fields = (
        ("captured_at", "place"),
        ("capturing_unit", "wounded_at_capture"),
        ("latitude", "longitude", "evacuated_at"),
        "circumstances",
    )


class CustodyEventInline(CaseRecordInline):
    model = CustodyEvent
    fk_name = "detainee"
    fields = ("kind", "occurred_at", "from_facility", "to_facility", "to_power", "quarters", "notes")
    ordering = ("occurred_at", "id")
    verbose_name_plural = "Custody history"


class IdentityDocumentInline(CaseRecordStackedInline):
    model = IdentityDocument
    fields = (
        ("kind", "issuing_state", "number"),
        ("name_on_document", "name_on_document_script"),
        ("place_of_birth_on_document", "issue_place", "issued_on"),
        ("suspected_false", "in_another_persons_name"),
        ("seized", "seized_at", "seizure_receipt_number"),
    )


class LanguageSkillInline(CaseRecordInline):
    model = LanguageSkill
    fields = ("language", "understands", "speaks", "reads", "writes", "script", "is_native", "established_by")
    show_change_link = False


class MedicalAssessmentInline(MedicalPermissionMixin, CaseRecordInline):
    model = MedicalAssessment
    fields = (
        "assessed_at",
        "kind",
        "assessed_by",
        "facility",
        "injuries",
        "health_category",
        "fit_for_questioning",
        "can_speak",
        "can_write",
        "weight_kg",
    )
    ordering = ("-assessed_at",)


class InterrogationInline(CaseRecordStackedInline):
    model = Interrogation
    fields = (
        ("started_at", "ended_at"),
        ("facility", "place"),
        ("language", "mode", "answers_in_writing"),
        ("interpreters", "conducted_by", "conducting_authority"),
        ("declined_beyond_identity", "coercion_alleged", "sanction_after_refusal"),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("interpreters")


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows related rows edited elsewhere (on their own admin page): no add, change or delete."""

    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MediaInline(ReadOnlyInline):
    """Photographs and recordings showing him. Who is depicted is edited on the media item's own page."""

    model = MediaItem.depicted.through
    verbose_name = "media item"
    verbose_name_plural = "Media showing him (add or remove on the media item's page)"
    fields = ("media_item", "published", "download")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("mediaitem")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("powcases.view_mediaitem")

    @admin.display(description="Item")
    def media_item(self, row: Any) -> str:
        item = row.mediaitem
        url = reverse("admin:powcases_mediaitem_change", args=[item.pk])
        return format_html('<a href="{}">{}</a> {}', url, item, item.description[:80])

    @admin.display(description="Published")
    def published(self, row: Any) -> str:
        item = row.mediaitem
        if not item.published_at:
            return "No"
        return f"{item.published_at:%Y-%m-%d} by {item.published_by or '?'} on {item.channel or '?'}"

    @admin.display(description="File")
    def download(self, row: Any) -> str:
        item = row.mediaitem
        if not item.file:
            return "—"
        return format_html('<a href="{}">Download</a>', reverse("powcases:media-download", args=[item.pk]))


class CaptureCardInline(CaseRecordInline):
    model = CaptureCard
    fields = ("occasion", "offered_at", "completed_at", "sent_to_family_at", "sent_to_cta_at", "declined", "notes")


class NotificationInline(CaseRecordInline):
    model = InformationNotification
    fields = ("kind", "recipient", "event_at", "sent_at", "reference", "acknowledged_at")


class RepatriationWishInline(CaseRecordInline):
    model = RepatriationWish
    fields = ("wish", "recorded_at", "recorded_by", "language", "interpreters", "third_party_present", "statement")
    ordering = ("-recorded_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("interpreters")


class RiskAssessmentInline(CaseRecordInline):
    model = RiskAssessment
    fields = ("started_at", "completed_at", "outcome", "assessed_by", "summary")


class VisitInline(CaseRecordInline):
    model = Visit
    fields = (
        "visiting_body",
        "facility",
        "requested_at",
        "visited_at",
        "granted",
        "private_interview",
        "denial_ground",
    )


class ExchangeMembershipInline(ReadOnlyInline):
    """Exchange proposals listing him; members are changed on the proposal's page."""

    model = ExchangeOutgoing
    verbose_name = "exchange proposal"
    verbose_name_plural = "Exchange proposals listing him (change on the proposal's page)"
    fields = ("proposal_link", "status", "handed_over_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("proposal")

    @admin.display(description="Proposal")
    def proposal_link(self, row: ExchangeOutgoing) -> str:
        url = reverse("admin:powcases_exchangeproposal_change", args=[row.proposal_id])
        return format_html('<a href="{}">{}</a> (counterparty {})', url, row.proposal, row.proposal.counterparty)

    @admin.display(description="Status")
    def status(self, row: ExchangeOutgoing) -> str:
        return row.proposal.get_status_display()


# --- Detainee -------------------------------------------------------------------------------------------


class LanguageListFilter(admin.SimpleListFilter):
    """Detainees with a recorded skill in a language (one query for the choices, a join for the filter)."""

    title = "language"
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return selectors.languages_in_use()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(languages__language=self.value())
        return queryset


@admin.register(Detainee)
class DetaineeAdmin(CaseRecordAdmin):
    list_display = (
        "case_number",
        "name",
        "original_name",
        "birth",
        "status",
        "current_facility",
        "nationality",
        "latest_wish_display",
    )
    list_display_links = ("case_number", "name")
    list_filter = (
        "status",
        ("current_facility", admin.RelatedOnlyFieldListFilter),
        "nationality",
        LanguageListFilter,
        "quarters",
    )
    search_fields = (
        "case_number",
        "service_number",
        "family_name",
        "given_names",
        "family_name_original",
        "given_names_original",
        "aliases__name",
        "documents__name_on_document",
    )
    search_help_text = "Case number, service number, or any name in any script (also aliases and names on documents)."
    readonly_fields = ("case_number", "current_facility", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("case_number", "status", ("current_facility", "quarters"))}),
        (
            "Name",
            {
                "fields": (
                    ("family_name", "given_names"),
                    ("family_name_original", "given_names_original", "original_script"),
                )
            },
        ),
        (
            "Identity",
            {
                "fields": (
                    ("date_of_birth", "place_of_birth", "sex"),
                    ("father_first_name", "mother_maiden_name"),
                    ("nationality", "power_depends_on"),
                )
            },
        ),
        (
            "Service",
            {
                "fields": (
                    ("rank", "rank_category", "service_number"),
                    ("armed_force", "unit"),
                    ("military_role", "serving_since"),
                )
            },
        ),
        (
            "Status determination (Art. 5)",
            {"fields": (("status_doubt_since", "tribunal_decided_at", "tribunal_outcome"),), "classes": ("collapse",)},
        ),
        ("Next of kin", {"fields": ("next_of_kin_name", "next_of_kin_relationship", "next_of_kin_address")}),
        ("Notes", {"fields": ("notes", ("created_at", "updated_at"))}),
    )
    inlines = (
        AliasInline,
        CaptureInline,
        CustodyEventInline,
        IdentityDocumentInline,
        LanguageSkillInline,
        MedicalAssessmentInline,
        InterrogationInline,
        MediaInline,
        CaptureCardInline,
        NotificationInline,
        RepatriationWishInline,
        RiskAssessmentInline,
        VisitInline,
        ExchangeMembershipInline,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return selectors.detainee_list(super().get_queryset(request))

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        """Also find a whole name typed as written: '리철웅' (no space in Korean), 'Ri Chol-ung', 'Chol-ung Ri'."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        compact = "".join(search_term.split())
        if not compact:
            return found, may_have_duplicates
        whole_names = selectors.detainees_by_whole_name(compact)
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=whole_names)), may_have_duplicates

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type]:
        inlines = list(super().get_inlines(request, obj))
        if not request.user.has_perm(MEDICAL_PERMISSION):
            inlines.remove(MedicalAssessmentInline)
        return inlines

    def save_model(self, request: HttpRequest, obj: Detainee, form: ModelForm, change: bool) -> None:
        if change:
            services.detainee_update(actor=request.user, detainee=obj)
        else:
            birth = PartialDate(obj.date_of_birth, obj.date_of_birth_precision) if obj.date_of_birth else None
            services.detainee_create(actor=request.user, instance=obj, date_of_birth=birth)

    @admin.display(description="Name", ordering="family_name")
    def name(self, obj: Detainee) -> str:
        return f"{obj.family_name.upper()} {obj.given_names}".strip()

    @admin.display(description="Name (original script)", ordering="family_name_original")
    def original_name(self, obj: Detainee) -> str:
        return f"{obj.family_name_original} {obj.given_names_original}".strip()

    @admin.display(description="Born", ordering="date_of_birth")
    def birth(self, obj: Detainee) -> str:
        return obj.birth_date_display

    @admin.display(description="Latest repatriation wish", ordering="latest_wish")
    def latest_wish_display(self, obj: Detainee) -> str:
        value = getattr(obj, "latest_wish", None)
        return RepatriationWishChoice(value).label if value else "—"


# --- Facilities and interpreters ------------------------------------------------------------------------


class PostedTextInline(CaseRecordInline):
    model = FacilityPostedText
    fields = ("kind", "language", "posted_on", "removed_on")
    show_change_link = False


@admin.register(Facility)
class FacilityAdmin(CaseRecordAdmin):
    list_display = ("name", "code", "kind", "region", "country", "capacity", "out_of_combat_zone", "posted_languages")
    list_filter = ("kind", "country", "out_of_combat_zone")
    search_fields = ("name", "code", "region")
    inlines = (PostedTextInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("posted_texts")

    @admin.display(description="Texts posted in")
    def posted_languages(self, obj: Facility) -> str:
        return ", ".join(sorted({text.language for text in obj.posted_texts.all()})) or "—"


@admin.register(FacilityPostedText)
class FacilityPostedTextAdmin(CaseRecordAdmin):
    list_display = ("facility", "kind", "language", "posted_on", "removed_on")
    list_filter = ("kind", "language")
    list_select_related = ("facility",)


class InterpreterLanguageInline(CaseRecordInline):
    model = InterpreterLanguage
    fields = ("language",)
    show_change_link = False


@admin.register(Interpreter)
class InterpreterAdmin(CaseRecordAdmin):
    list_display = ("name", "affiliation", "affiliation_state", "organisation", "vetted", "language_list")
    list_filter = ("affiliation", "affiliation_state", "vetted")
    search_fields = ("name", "organisation")
    inlines = (InterpreterLanguageInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("languages")

    @admin.display(description="Languages")
    def language_list(self, obj: Interpreter) -> str:
        return ", ".join(row.language for row in obj.languages.all())


@admin.register(InterpreterLanguage)
class InterpreterLanguageAdmin(CaseRecordAdmin):
    list_display = ("interpreter", "language")
    list_filter = ("language",)
    list_select_related = ("interpreter",)


# --- Records of one detainee ----------------------------------------------------------------------------


@admin.register(DetaineeAlias)
class DetaineeAliasAdmin(ChildRecordAdmin):
    list_display = ("name", "script", "source", "detainee_column")
    search_fields = (*ChildRecordAdmin.search_fields, "name")


@admin.register(Capture)
class CaptureAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "captured_at", "place", "capturing_unit", "wounded_at_capture", "evacuated_at")
    list_filter = ("wounded_at_capture",)
    date_hierarchy = "captured_at"


@admin.register(CustodyEvent)
class CustodyEventAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "kind", "occurred_at", "from_facility", "to_facility", "to_power")
    list_filter = ("kind", "to_facility")
    list_select_related = ("detainee", "from_facility", "to_facility")
    date_hierarchy = "occurred_at"


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(ChildRecordAdmin):
    list_display = (
        "detainee_column",
        "kind",
        "issuing_state",
        "number",
        "name_on_document",
        "suspected_false",
        "in_another_persons_name",
        "seized",
    )
    list_filter = ("kind", "issuing_state", "suspected_false", "in_another_persons_name", "seized")
    search_fields = (*ChildRecordAdmin.search_fields, "number", "name_on_document")


@admin.register(LanguageSkill)
class LanguageSkillAdmin(ChildRecordAdmin):
    list_display = (
        "detainee_column",
        "language",
        "understands",
        "speaks",
        "reads",
        "writes",
        "script",
        "established_by",
    )
    list_filter = ("language", "established_by")


@admin.register(Interrogation)
class InterrogationAdmin(ChildRecordAdmin):
    list_display = (
        "detainee_column",
        "started_at",
        "ended_at",
        "language",
        "mode",
        "interpreter_names",
        "conducted_by",
    )
    list_filter = ("language", "mode", "answers_in_writing", "declined_beyond_identity", "coercion_alleged")
    date_hierarchy = "started_at"
    autocomplete_fields = ("interpreters",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("interpreters")

    @admin.display(description="Interpreters")
    def interpreter_names(self, obj: Interrogation) -> str:
        return ", ".join(i.name for i in obj.interpreters.all()) or "—"


@admin.register(MedicalAssessment)
class MedicalAssessmentAdmin(MedicalPermissionMixin, ChildRecordAdmin):
    list_display = (
        "detainee_column",
        "assessed_at",
        "kind",
        "health_category",
        "fit_for_questioning",
        "can_speak",
        "can_write",
        "weight_kg",
    )
    list_filter = ("kind", "health_category", "fit_for_questioning")
    date_hierarchy = "assessed_at"


@admin.register(MediaItem)
class MediaItemAdmin(CaseRecordAdmin):
    list_display = (
        "__str__",
        "short_description",
        "taken_at",
        "depicted_list",
        "identifiable",
        "published_at",
        "published_by",
        "channel",
        "download",
    )
    list_filter = ("kind", "identifiable", "publisher_is_state_official", "channel")
    search_fields = (
        "description",
        "published_by",
        "depicted__case_number",
        "depicted__family_name",
        "depicted__family_name_original",
    )
    autocomplete_fields = ("depicted",)
    fieldsets = (
        (None, {"fields": ("kind", "file", "description", ("taken_at", "taken_by"), "depicted", "identifiable")}),
        (
            "Publication (Art. 13(2): protection from public curiosity)",
            {
                "fields": (
                    ("published_at", "published_by", "publisher_is_state_official"),
                    ("channel", "url"),
                    "publication_justification",
                    ("takedown_requested_at", "withdrawn_at"),
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("depicted")

    @admin.display(description="Description")
    def short_description(self, obj: MediaItem) -> str:
        return obj.description if len(obj.description) <= 80 else f"{obj.description[:79]}…"

    @admin.display(description="Depicted")
    def depicted_list(self, obj: MediaItem) -> str:
        return format_html_join(", ", "{}", ((d.case_number,) for d in obj.depicted.all())) or "—"

    @admin.display(description="File")
    def download(self, obj: MediaItem) -> str:
        if not obj.file:
            return "—"
        return format_html('<a href="{}">Download</a>', reverse("powcases:media-download", args=[obj.pk]))


@admin.register(CaptureCard)
class CaptureCardAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "occasion", "offered_at", "sent_to_family_at", "sent_to_cta_at", "declined")
    list_filter = ("occasion", "declined")


@admin.register(InformationNotification)
class InformationNotificationAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "kind", "recipient", "event_at", "sent_at", "acknowledged_at")
    list_filter = ("kind", "recipient")


@admin.register(Visit)
class VisitAdmin(ChildRecordAdmin):
    list_display = (
        "__str__",
        "facility",
        "detainee_column",
        "requested_at",
        "visited_at",
        "granted",
        "private_interview",
        "denial_ground",
    )
    list_filter = ("visiting_body", "granted", "denial_ground")
    list_select_related = ("detainee", "facility")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("facility")


@admin.register(RepatriationWish)
class RepatriationWishAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "wish", "recorded_at", "recorded_by", "language", "third_party_present")
    list_filter = ("wish", "language")
    autocomplete_fields = ("interpreters",)


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "started_at", "completed_at", "outcome", "assessed_by")
    list_filter = ("outcome",)


# --- Exchanges ------------------------------------------------------------------------------------------


class ExchangeMembersLockedMixin:
    """Members of a proposal can change only while it is a draft or proposed (services.exchange_save)."""

    def _editable(self, obj: ExchangeProposal | None) -> bool:
        return obj is None or obj.status in EXCHANGE_EDITABLE_STATUSES

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class OutgoingInline(ExchangeMembersLockedMixin, CaseRecordInline):
    model = ExchangeOutgoing
    fields = ("detainee", "handed_over_at")
    raw_id_fields = ("detainee",)
    verbose_name_plural = "Outgoing: detainees we would hand over"
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("detainee")


class IncomingInline(ExchangeMembersLockedMixin, CaseRecordInline):
    model = ExchangeIncoming
    fields = ("family_name", "given_names", "service_number", "date_of_birth", "verified", "received_at")
    verbose_name_plural = "Incoming: persons we would receive"
    show_change_link = False


class TransitionInline(admin.TabularInline):
    model = ExchangeTransition
    fields = ("at", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "Status history"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _transition_action(target: ExchangeStatus) -> Any:
    def action(modeladmin: ExchangeProposalAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        moved = []
        for proposal in queryset:
            try:
                services.exchange_transition(actor=request.user, proposal=proposal, to=target)
            except ValidationError as exc:
                modeladmin.message_user(request, f"{proposal}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                moved.append(str(proposal))
        if moved:
            modeladmin.message_user(request, f"Moved to '{target.label}': {', '.join(moved)}.", messages.SUCCESS)

    action.__name__ = f"move_to_{target.value}"
    return admin.action(description=f"Move selected proposals to '{target.label}'", permissions=["change"])(action)


@admin.register(ExchangeProposal)
class ExchangeProposalAdmin(CaseRecordAdmin):
    list_display = ("reference", "counterparty", "mediator", "status", "proposed_on", "outgoing_count", "updated_at")
    list_filter = ("status", "counterparty")
    search_fields = ("reference", "mediator", "outgoing__case_number", "outgoing__family_name", "incoming__family_name")
    readonly_fields = ("status", "allowed_next", "version", "created_at", "updated_at")
    fields = (
        ("reference", "status", "allowed_next"),
        ("counterparty", "mediator", "proposed_on"),
        "notes",
        ("version", "created_at", "updated_at"),
    )
    inlines = (OutgoingInline, IncomingInline, TransitionInline)
    actions = [_transition_action(status) for status in ExchangeStatus if status != ExchangeStatus.DRAFT]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(outgoing_count=models.Count("outgoing_members"))

    @admin.display(description="Outgoing", ordering="outgoing_count")
    def outgoing_count(self, obj: ExchangeProposal) -> int:
        return getattr(obj, "outgoing_count", 0)

    @admin.display(description="Allowed next statuses")
    def allowed_next(self, obj: ExchangeProposal) -> str:
        if obj.pk is None:
            return "—"
        allowed = services.allowed_transitions(obj.status)
        return ", ".join(ExchangeStatus(s).label for s in allowed) or "none (final)"


@admin.register(ExchangeOutgoing)
class ExchangeOutgoingAdmin(ChildRecordAdmin):
    list_display = ("detainee_column", "proposal", "handed_over_at")
    list_select_related = ("detainee", "proposal")
    raw_id_fields = ("detainee", "proposal")


@admin.register(ExchangeIncoming)
class ExchangeIncomingAdmin(CaseRecordAdmin):
    list_display = ("__str__", "proposal", "service_number", "birth", "verified", "received_at")
    list_filter = ("verified",)
    list_select_related = ("proposal",)
    search_fields = ("family_name", "given_names", "service_number", "proposal__reference")

    @admin.display(description="Born", ordering="date_of_birth")
    def birth(self, obj: ExchangeIncoming) -> str:
        return obj.birth_date.isoformat() if obj.birth_date else ""


@admin.register(ExchangeTransition)
class ExchangeTransitionAdmin(admin.ModelAdmin):
    """Read-only: transitions are written only by services.exchange_transition."""

    list_display = ("proposal", "from_status", "to_status", "at", "actor", "comment")
    list_filter = ("to_status",)
    list_select_related = ("proposal", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseNumberSequence)
class CaseNumberSequenceAdmin(admin.ModelAdmin):
    """Read-only view of the case-number counters (taken only by services.next_case_number)."""

    list_display = ("year", "last_value")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
