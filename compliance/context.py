"""Everything the rules need about a chunk of detainees, loaded set-based.

`ChunkContext` loads each table with ONE query for the whole chunk (`.values()`, no model instances),
lazily (a table is read the first time a rule asks for it) and caches it, so the number of queries of an
evaluation depends on the tables the active rules use, never on the number of detainees. Rules only read
these dictionaries: no rule may query the database itself.

Rows are plain dicts with the model's field names (foreign keys as `<name>_id`). Per-detainee tables are
`dict[detainee_id, list[row]]` (a `defaultdict(list)`, so a detainee with no rows gives `[]`); one-to-one
tables (`detainees`, `capture`) are `dict[detainee_id, row]`; facility tables are keyed by facility id.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from powcases.choices import HELD_STATUSES
from powcases.models import (
    Capture,
    CaptureCard,
    CustodyEvent,
    Detainee,
    ExchangeOutgoing,
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

Row = dict[str, Any]

# Facility language populations of recent sweep runs, by run id (see ChunkContext.facility_language_population).
_RUN_POPULATION: dict[int, dict[int, dict[str, int]]] = {}
# Up to this many (facility, language) pairs, an incremental evaluation probes with LIMIT 2 instead of counting.
_CAPPED_PAIRS_LIMIT = 200

DETAINEE_FIELDS = (
    "id",
    "case_number",
    "family_name",
    "given_names",
    "family_name_original",
    "given_names_original",
    "rank",
    "rank_category",
    "service_number",
    "date_of_birth",
    "date_of_birth_precision",
    "place_of_birth",
    "father_first_name",
    "mother_maiden_name",
    "sex",
    "nationality",
    "power_depends_on",
    "armed_force",
    "unit",
    "status",
    "status_doubt_since",
    "tribunal_decided_at",
    "tribunal_outcome",
    "next_of_kin_name",
    "next_of_kin_address",
    "current_facility_id",
    "quarters",
)


def _group(rows: Iterable[Row], key: str = "detainee_id") -> defaultdict[int, list[Row]]:
    grouped: defaultdict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


class ChunkContext:
    """The records of a chunk of detainees, as of `now`.

    Attributes (each loaded by one query on first use, then cached):

    - `detainees`: {detainee_id: row of DETAINEE_FIELDS}
    - `languages`: {detainee_id: [LanguageSkill rows: language, understands, speaks, reads, writes, script,
      is_native, established_by]}
    - `documents`: {detainee_id: [IdentityDocument rows]}
    - `capture`: {detainee_id: Capture row}
    - `custody_events`: {detainee_id: [CustodyEvent rows, by occurred_at]}
    - `interrogations`: {detainee_id: [Interrogation rows + `interpreter_ids` (list), by started_at]}
    - `interpreters`: {interpreter_id: row (name, affiliation, affiliation_state, organisation, vetted)
      + `languages` (frozenset of ISO 639-3)} for the interpreters of the chunk's sessions and wishes
    - `medical_assessments`: {detainee_id: [MedicalAssessment rows, by assessed_at]}
    - `media_items`: {detainee_id: [MediaItem rows depicting him]}
    - `capture_cards`, `notifications`, `risk_assessments`: {detainee_id: [rows]}
    - `repatriation_wishes`: {detainee_id: [rows + `interpreter_ids`, by recorded_at]}
    - `visits`: {detainee_id: [Visit rows naming him]}; `facility_visits`: {facility_id: [Visit rows]}
    - `exchange_memberships`: {detainee_id: [ExchangeOutgoing rows + proposal_status, proposal_reference,
      proposal_counterparty, proposal_proposed_on]}
    - `facilities`: {facility_id: Facility row} (every facility: the table is small)
    - `posted_texts`: {facility_id: [FacilityPostedText rows]}
    - `facility_language_population`: {facility_id: {language: number of held detainees there who understand it}}
      (exact in a sweep; in a small incremental evaluation counted up to 2, i.e. "two or more")
    """

    def __init__(self, detainee_ids: Iterable[int], now: dt.datetime | None = None, run_id: int | None = None) -> None:
        self.detainee_ids: list[int] = sorted({int(i) for i in detainee_ids})
        self._id_set = frozenset(self.detainee_ids)
        self.now: dt.datetime = now or timezone.now()
        # Set for the chunks of a sweep: tables that describe whole facilities are then read once per run and process.
        self.run_id = run_id

    # --- Filtering by the chunk ---------------------------------------------------------------------------

    def _chunk_filter(self, field: str = "detainee_id") -> Q:
        """A dense chunk (a sweep's id range) is filtered by range, which plans far better than a long IN list."""
        ids = self.detainee_ids
        if not ids:
            return Q(pk__in=[])
        if ids[-1] - ids[0] + 1 <= 2 * len(ids):
            return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
        return Q(**{f"{field}__in": ids})

    def _rows(self, queryset: QuerySet, fields: Sequence[str], field: str = "detainee_id") -> list[Row]:
        # The range filter may take in ids outside the chunk (gaps, other statuses): drop them here.
        return [row for row in queryset.filter(self._chunk_filter(field)).values(*fields) if row[field] in self._id_set]

    # --- Per-detainee tables --------------------------------------------------------------------------------

    @cached_property
    def detainees(self) -> dict[int, Row]:
        return {row["id"]: row for row in self._rows(Detainee.objects.order_by(), DETAINEE_FIELDS, field="id")}

    def held(self, detainee_id: int) -> bool:
        """Is he still in the detaining power's hands (POW, status in doubt, internee)?"""
        row = self.detainees.get(detainee_id)
        return row is not None and row["status"] in HELD_STATUSES

    @cached_property
    def languages(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "language",
            "understands",
            "speaks",
            "reads",
            "writes",
            "script",
            "is_native",
            "established_by",
        )
        return _group(self._rows(LanguageSkill.objects.order_by("detainee_id", "-is_native", "language"), fields))

    @cached_property
    def documents(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "kind",
            "issuing_state",
            "number",
            "name_on_document",
            "name_on_document_script",
            "suspected_false",
            "in_another_persons_name",
            "seized",
            "seized_at",
            "seizure_ordered_by",
            "seizure_receipt_number",
            "returned_at",
        )
        return _group(self._rows(IdentityDocument.objects.order_by("detainee_id", "id"), fields))

    @cached_property
    def capture(self) -> dict[int, Row]:
        fields = ("id", "detainee_id", "captured_at", "place", "capturing_unit", "wounded_at_capture", "evacuated_at")
        return {row["detainee_id"]: row for row in self._rows(Capture.objects.order_by(), fields)}

    @cached_property
    def custody_events(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "kind",
            "occurred_at",
            "from_facility_id",
            "to_facility_id",
            "to_power",
            "to_power_party_to_convention",
            "to_power_willing_and_able",
            "quarters",
        )
        return _group(self._rows(CustodyEvent.objects.order_by("detainee_id", "occurred_at", "id"), fields))

    @cached_property
    def interrogations(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "started_at",
            "ended_at",
            "facility_id",
            "language",
            "mode",
            "answers_in_writing",
            "conducted_by",
            "conducting_authority",
            "declined_beyond_identity",
            "refused_identity_items",
            "coercion_alleged",
            "sanction_after_refusal",
            "complaints",
        )
        rows = self._rows(Interrogation.objects.order_by("detainee_id", "started_at", "id"), fields)
        links = _group(
            self._rows(
                Interrogation.interpreters.through.objects.order_by("interpreter_id"),
                ("interrogation_id", "interpreter_id", "interrogation__detainee_id"),
                field="interrogation__detainee_id",
            ),
            key="interrogation_id",
        )
        for row in rows:
            row["interpreter_ids"] = [link["interpreter_id"] for link in links.get(row["id"], ())]
        return _group(rows)

    @cached_property
    def repatriation_wishes(self) -> defaultdict[int, list[Row]]:
        fields = ("id", "detainee_id", "wish", "recorded_at", "recorded_by", "language", "third_party_present")
        rows = self._rows(RepatriationWish.objects.order_by("detainee_id", "recorded_at", "id"), fields)
        links = _group(
            self._rows(
                RepatriationWish.interpreters.through.objects.order_by("interpreter_id"),
                ("repatriationwish_id", "interpreter_id", "repatriationwish__detainee_id"),
                field="repatriationwish__detainee_id",
            ),
            key="repatriationwish_id",
        )
        for row in rows:
            row["interpreter_ids"] = [link["interpreter_id"] for link in links.get(row["id"], ())]
        return _group(rows)

    @cached_property
    def interpreters(self) -> dict[int, Row]:
        """The interpreters of the chunk's sessions and wishes, each with the set of his languages (2 queries)."""
        ids = {i for rows in self.interrogations.values() for row in rows for i in row["interpreter_ids"]}
        ids |= {i for rows in self.repatriation_wishes.values() for row in rows for i in row["interpreter_ids"]}
        if not ids:
            return {}
        fields = ("id", "name", "affiliation", "affiliation_state", "organisation", "vetted")
        interpreters = {row["id"]: row for row in Interpreter.objects.filter(id__in=ids).order_by().values(*fields)}
        languages: defaultdict[int, set[str]] = defaultdict(set)
        for interpreter_id, language in InterpreterLanguage.objects.filter(interpreter_id__in=ids).values_list(
            "interpreter_id", "language"
        ):
            languages[interpreter_id].add(language)
        for interpreter_id, row in interpreters.items():
            row["languages"] = frozenset(languages.get(interpreter_id, ()))
        return interpreters

    @cached_property
    def medical_assessments(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "assessed_at",
            "kind",
            "facility_id",
            "fit_for_questioning",
            "can_speak",
            "can_write",
            "health_category",
            "weight_kg",
            "fit_to_travel",
            "manifestly_seriously_ill",
            "eligible_for_direct_repatriation",
            "certificate_requested",
            "certificate_issued_at",
        )
        return _group(self._rows(MedicalAssessment.objects.order_by("detainee_id", "assessed_at", "id"), fields))

    @cached_property
    def media_items(self) -> defaultdict[int, list[Row]]:
        """Media items depicting each detainee: one query over the depiction table joined to the item."""
        item_fields = (
            "kind",
            "taken_at",
            "taken_by",
            "identifiable",
            "published_at",
            "published_by",
            "publisher_is_state_official",
            "channel",
            "url",
            "publication_justification",
            "takedown_requested_at",
            "withdrawn_at",
        )
        through = MediaItem.depicted.through
        rows = self._rows(
            through.objects.order_by("mediaitem_id"),
            ("detainee_id", "mediaitem_id", *(f"mediaitem__{f}" for f in item_fields)),
        )
        return _group(
            {
                "id": row["mediaitem_id"],
                "detainee_id": row["detainee_id"],
                **{f: row[f"mediaitem__{f}"] for f in item_fields},
            }
            for row in rows
        )

    @cached_property
    def capture_cards(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "occasion",
            "offered_at",
            "completed_at",
            "sent_to_family_at",
            "sent_to_cta_at",
            "declined",
            "declined_at",
        )
        return _group(self._rows(CaptureCard.objects.order_by("detainee_id", "offered_at", "id"), fields))

    @cached_property
    def notifications(self) -> defaultdict[int, list[Row]]:
        fields = ("id", "detainee_id", "kind", "recipient", "event_at", "sent_at", "reference", "acknowledged_at")
        return _group(self._rows(InformationNotification.objects.order_by("detainee_id", "event_at", "id"), fields))

    @cached_property
    def risk_assessments(self) -> defaultdict[int, list[Row]]:
        fields = ("id", "detainee_id", "started_at", "completed_at", "outcome", "assessed_by")
        return _group(self._rows(RiskAssessment.objects.order_by("detainee_id", "started_at", "id"), fields))

    @cached_property
    def exchange_memberships(self) -> defaultdict[int, list[Row]]:
        fields = (
            "id",
            "detainee_id",
            "proposal_id",
            "handed_over_at",
            "proposal__status",
            "proposal__reference",
            "proposal__counterparty",
            "proposal__proposed_on",
        )
        rows = self._rows(ExchangeOutgoing.objects.order_by("detainee_id", "proposal_id"), fields)
        for row in rows:
            for name in ("status", "reference", "counterparty", "proposed_on"):
                row[f"proposal_{name}"] = row.pop(f"proposal__{name}")
        return _group(rows)

    _VISIT_FIELDS = (
        "id",
        "facility_id",
        "detainee_id",
        "visiting_body",
        "requested_at",
        "visited_at",
        "granted",
        "private_interview",
        "interpreter_present",
        "denial_ground",
        "denial_reason",
    )

    @cached_property
    def visits(self) -> defaultdict[int, list[Row]]:
        return _group(self._rows(Visit.objects.order_by("detainee_id", "requested_at", "id"), self._VISIT_FIELDS))

    # --- Facility tables ------------------------------------------------------------------------------------

    @cached_property
    def facility_ids(self) -> list[int]:
        """Facilities where the chunk's detainees are held now."""
        return sorted({row["current_facility_id"] for row in self.detainees.values() if row["current_facility_id"]})

    @cached_property
    def facilities(self) -> dict[int, Row]:
        fields = ("id", "name", "code", "kind", "country", "out_of_combat_zone", "opened_on", "closed_on")
        return {row["id"]: row for row in Facility.objects.order_by().values(*fields)}

    @cached_property
    def facility_visits(self) -> defaultdict[int, list[Row]]:
        rows = Visit.objects.filter(facility_id__in=self.facility_ids).order_by("facility_id", "requested_at", "id")
        return _group(rows.values(*self._VISIT_FIELDS), key="facility_id")

    @cached_property
    def posted_texts(self) -> defaultdict[int, list[Row]]:
        fields = ("id", "facility_id", "kind", "language", "posted_on", "removed_on")
        rows = FacilityPostedText.objects.filter(facility_id__in=self.facility_ids).order_by("facility_id", "id")
        return _group(rows.values(*fields), key="facility_id")

    @cached_property
    def facility_language_population(self) -> dict[int, dict[str, int]]:
        """For each facility of the chunk, how many held detainees there understand each language.

        Counting a camp's speakers grows with the camp, so three strategies keep a chunk's cost flat:
        - in a sweep (`run_id`), every facility is counted once per run and process (one GROUP BY) and reused by
          the run's other chunks: a sweep is a snapshot, so the counts of its first chunk hold for the rest;
        - a small incremental evaluation asks, per (facility, language) pair of its detainees, only whether there
          are 0, 1 or "2 or more" speakers (LIMIT 2): index probes that do not grow with the population;
        - a large incremental batch counts the chunk's facilities and languages with one GROUP BY.
        """
        if self.run_id is not None:
            cached = _RUN_POPULATION.get(self.run_id)
            if cached is None:
                cached = _RUN_POPULATION[self.run_id] = self._population_counts(facility_ids=None, languages=None)
                while len(_RUN_POPULATION) > 4:
                    _RUN_POPULATION.pop(next(iter(_RUN_POPULATION)))
            return cached
        pairs = sorted(
            {
                (facility_id, skill["language"])
                for detainee_id in self.detainee_ids
                if (facility_id := self.facility_of(detainee_id))
                for skill in self.languages[detainee_id]
                if skill["understands"]
            }
        )
        if len(pairs) <= _CAPPED_PAIRS_LIMIT:
            return self._population_capped(pairs)
        return self._population_counts(
            facility_ids=self.facility_ids, languages=sorted({language for _, language in pairs})
        )

    @staticmethod
    def _population_counts(
        *, facility_ids: Sequence[int] | None, languages: Sequence[str] | None
    ) -> dict[int, dict[str, int]]:
        rows = LanguageSkill.objects.filter(understands=True, detainee__status__in=HELD_STATUSES)
        rows = rows.filter(detainee__current_facility_id__isnull=False)
        if facility_ids is not None:
            rows = rows.filter(detainee__current_facility_id__in=list(facility_ids))
        if languages is not None:
            rows = rows.filter(language__in=list(languages))
        rows = (
            rows.values("detainee__current_facility_id", "language")
            .annotate(speakers=Count("detainee_id", distinct=True))
            .order_by()
        )
        population: dict[int, dict[str, int]] = defaultdict(dict)
        for row in rows:
            population[row["detainee__current_facility_id"]][row["language"]] = row["speakers"]
        return population

    @staticmethod
    def _population_capped(pairs: Sequence[tuple[int, str]]) -> dict[int, dict[str, int]]:
        """0, 1 or 2 ("two or more") held speakers for each (facility, language) pair, in one statement."""
        population: dict[int, dict[str, int]] = defaultdict(dict)
        if not pairs:
            return population
        skills, detainees = LanguageSkill._meta.db_table, Detainee._meta.db_table
        statuses = [str(status) for status in HELD_STATUSES]
        status_marks = ", ".join(["%s"] * len(statuses))
        parts: list[str] = []
        params: list[Any] = []
        for index, (facility_id, language) in enumerate(pairs):
            parts.append(
                f"SELECT {int(index)} AS pair, (SELECT COUNT(*) FROM (SELECT 1 FROM {skills} ls "  # noqa: S608 - table names from model metadata; values are parameters
                f"INNER JOIN {detainees} d ON d.id = ls.detainee_id WHERE ls.language = %s AND ls.understands = %s "
                f"AND d.current_facility_id = %s AND d.status IN ({status_marks}) LIMIT 2) AS capped) AS speakers"
            )
            params.extend([language, True, facility_id, *statuses])
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for index, speakers in cursor.fetchall():
                facility_id, language = pairs[index]
                population[facility_id][language] = speakers
        return population

    # --- Helpers rules share --------------------------------------------------------------------------------

    def facility_of(self, detainee_id: int) -> int | None:
        row = self.detainees.get(detainee_id)
        return row["current_facility_id"] if row else None
