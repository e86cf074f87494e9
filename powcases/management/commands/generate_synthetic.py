"""`manage.py generate_synthetic --detainees N [--seed S] [--breach-share 0.1] [--clear]`: a synthetic population.

Builds a realistic case record fast, for benchmarks and scale tests: detainees with capture, custody history,
languages, identity documents, questioning sessions with interpreters, monthly medical inspections, media,
capture cards, notifications, visits, repatriation wishes, risk assessments and exchange lists, in facilities
with posted texts. About 15 related rows per detainee (1.5 million at 100,000).

It is deliberately NOT written through the services: rows go in with `bulk_create` (batches of 5,000), so no
history rows are kept (django-simple-history does not see bulk inserts) and no re-evaluation is triggered;
run `manage.py run_compliance` afterwards. Case numbers are taken in one block from `CaseNumberSequence`, so a
later `detainee_create` continues after them.

A known number of detainees carries each kind of breach (`BREACHES`; shares scale with --breach-share, 0.1
giving the shares listed there, 0 a population with none). Everyone else is built to be compliant with those
rules, so the findings of a sweep can be compared with the expected counts printed at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from powcases.choices import (
    Affiliation,
    CaptureCardOccasion,
    CustodyEventKind,
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
    VisitingBody,
)
from powcases.models import (
    Capture,
    CaptureCard,
    CaseNumberSequence,
    CustodyEvent,
    Detainee,
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

BATCH = 5000
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Breach:
    """A kind of breach planted in the population: which rule should find it, with which outcome, how often."""

    key: str
    rule_id: str
    outcome: str  # violation / warning
    share: float  # share of detainees at --breach-share 0.1
    description: str


BREACHES: tuple[Breach, ...] = (
    Breach(
        "lang_no_bridge",
        "GC3-17-LANG",
        "violation",
        0.05,
        "questioned orally in Ukrainian, which he does not understand, with no bridging interpreter",
    ),
    Breach(
        "lang_third_state",
        "GC3-17-LANG",
        "warning",
        0.02,
        "questioned through an interpreter attached to a third state only",
    ),
    Breach(
        "unfit_questioned",
        "GC3-17-UNABLE",
        "violation",
        0.03,
        "questioned an hour after being found unfit for questioning (found fit again that evening)",
    ),
    Breach(
        "curiosity_official", "GC3-13-CURIOSITY", "violation", 0.02, "identifiable photo published by a state official"
    ),
    Breach(
        "curiosity_other",
        "GC3-13-CURIOSITY",
        "warning",
        0.01,
        "identifiable photo published by a private channel, still online",
    ),
    Breach(
        "capture_card_overdue",
        "GC3-70-CAPTURECARD",
        "violation",
        0.10,
        "no capture card offered after capture (more than 7 days ago)",
    ),
    Breach("monthly_missed", "GC3-31-MONTHLY", "violation", 0.08, "no medical inspection for the last 45+ days"),
    Breach(
        "exchange_unwilling",
        "GC3-118-REPAT",
        "violation",
        0.01,
        "on an exchange list with a recorded wish not to return and no risk assessment",
    ),
    Breach(
        "exchange_wish_unknown",
        "GC3-118-REPAT",
        "warning",
        0.01,
        "on an exchange list with no repatriation wish recorded",
    ),
    Breach(
        "info_not_sent",
        "GC3-122-INFO",
        "violation",
        0.04,
        "capture never notified to the Information Bureau nor the Central Tracing Agency",
    ),
    Breach(
        "visit_refused",
        "GC3-126-VISITS",
        "violation",
        0.01,
        "ICRC visit refused for a reason other than imperative military necessity",
    ),
    Breach(
        "doubt_no_tribunal", "GC3-5-DOUBT", "warning", 0.005, "status in doubt for 60 days with no tribunal decision"
    ),
    Breach("idcard_other_name", "GC3-17-IDCARD", "warning", 0.01, "identity document in another person's name"),
    Breach("child_with_adults", "API-77-CHILD", "violation", 0.002, "aged 16 and held in quarters with adults"),
)
BREACH_BY_KEY = {b.key: b for b in BREACHES}

# Language profiles: (weight, native language, second languages understood). Nobody understands Ukrainian or
# English unless listed, so a session in Ukrainian needs an interpreter for most of them.
PROFILES: tuple[tuple[float, str, tuple[str, ...]], ...] = (
    (0.62, "rus", ()),
    (0.16, "rus", ("ukr",)),
    (0.08, "kor", ()),
    (0.04, "uzb", ("rus",)),
    (0.03, "tuv", ("rus",)),
    (0.02, "kaz", ("rus",)),
    (0.02, "tat", ("rus",)),
    (0.015, "bak", ("rus",)),
    (0.015, "che", ("rus",)),
    (0.01, "sah", ("rus",)),
)
LANGUAGES = sorted({p[1] for p in PROFILES})
NATIONALITY = {"kor": "KP"}
SCRIPT = {"kor": "Hang"}
FAMILY_NAMES = (
    "Ivanov",
    "Petrov",
    "Sidorov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Volkov",
    "Sokolov",
    "Lebedev",
    "Kozlov",
    "Novikov",
    "Morozov",
    "Karimov",
    "Tashkentov",
    "Ondar",
    "Mongush",
    "Nurlanov",
    "Khabirov",
)
KOREAN_NAMES = (("Kim", "김"), ("Ri", "리"), ("Pak", "박"), ("Choe", "최"), ("Jong", "정"), ("Kang", "강"))
GIVEN_NAMES = ("Ivan", "Sergei", "Alexei", "Dmitri", "Nikolai", "Pavel", "Oleg", "Rustam", "Aidar", "Aldar")
KOREAN_GIVEN = (("Chol", "철"), ("Song", "성"), ("Il", "일"), ("Ho", "호"), ("Nam", "남"))


@dataclass
class Summary:
    """What was generated: rows per table and, per breach kind, the expected findings."""

    detainees: int = 0
    first_case_number: str = ""
    last_case_number: str = ""
    rows: Counter = field(default_factory=Counter)
    expected: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def related_rows(self) -> int:
        return sum(n for name, n in self.rows.items() if name != "detainee")

    def as_dict(self) -> dict[str, Any]:
        return {
            "detainees": self.detainees,
            "first_case_number": self.first_case_number,
            "last_case_number": self.last_case_number,
            "rows": dict(self.rows),
            "related_rows": self.related_rows,
            "expected": self.expected,
            "seconds": round(self.seconds, 2),
        }


class _Builder:
    """Writes unsaved model instances in bulk and counts them.

    On PostgreSQL the rows go in through COPY (ids taken from the table's sequence first when the caller needs
    them): Django's bulk_create spends most of its time compiling a parameter per field per row, which made
    100,000 detainees take many minutes. Elsewhere (SQLite) it is plain bulk_create. Either way the instances
    are ordinary model instances with their defaults, and `pk` is set when the model is in NEEDS_PK.
    """

    NEEDS_PK = frozenset({"facility", "interpreter", "detainee", "interrogation", "mediaitem", "exchangeproposal"})

    def __init__(self, summary: Summary, now: dt.datetime) -> None:
        self.summary = summary
        self.now = now
        self.copy = connection.vendor == "postgresql"

    def save(self, model: type[models.Model], objs: list[models.Model], **kwargs: Any) -> list[models.Model]:
        if not objs:
            return objs
        if self.copy and not kwargs:
            self._copy(model, objs)
        else:
            model.objects.bulk_create(objs, batch_size=BATCH, **kwargs)
        self.summary.rows[model._meta.model_name] += len(objs)
        return objs

    def _copy(self, model: type[models.Model], objs: list[models.Model]) -> None:
        meta = model._meta
        with_pk = meta.model_name in self.NEEDS_PK
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        table = connection.ops.quote_name(meta.db_table)
        with connection.cursor() as cursor:
            if with_pk:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(objs)],
                )
                for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                    obj.pk = pk
            now = self.now
            stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
            names = [f.attname for f in fields]
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    values = obj.__dict__
                    copy.write_row([now if name in stamped else values[name] for name in names])


def clear_case_record() -> None:
    """Empty every table of the case record (and, by cascade, whatever refers to it, e.g. findings)."""
    from django.apps import apps

    tables = [
        m._meta.db_table
        for m in apps.get_app_config("powcases").get_models(include_auto_created=True)
        if m is not CaseNumberSequence
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows written earlier in this transaction must run before a TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(connection.ops.quote_name(t) for t in tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    # Other databases (SQLite for small runs): the ORM's cascade, children first.
    for model in (
        ExchangeOutgoing,
        ExchangeProposal,
        Visit,
        MediaItem,
        Detainee,
        Interpreter,
        FacilityPostedText,
        Facility,
    ):
        model.objects.all().delete()


def _written_models() -> list[type[models.Model]]:
    from django.apps import apps

    return list(apps.get_app_config("powcases").get_models(include_auto_created=True))


def take_case_numbers(count: int, year: int) -> int:
    """Reserve `count` case numbers of `year` in one step; returns the first sequence value."""
    CaseNumberSequence.objects.get_or_create(year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


def _facilities(builder: _Builder, rng: random.Random, now: dt.datetime) -> tuple[list[Facility], Facility]:
    """Camps and transit camps (get or create by code), with the Convention posted in every prisoner language.

    The camp returned second is the one without the Convention in Korean (the posted-texts breach).
    """
    wanted = [("camp", i) for i in range(1, 19)] + [("transit_camp", i) for i in range(1, 4)]
    wanted += [("hospital", i) for i in range(1, 3)]
    existing = {f.code: f for f in Facility.objects.filter(code__startswith="syn-")}
    new = []
    for kind, i in wanted:
        code = f"syn-{kind.replace('_', '-')}-{i:02d}"
        if code not in existing:
            new.append(
                Facility(
                    name=f"Synthetic {kind.replace('_', ' ')} {i:02d}",
                    code=code,
                    kind=kind,
                    country="UA",
                    region=rng.choice(("Kyiv", "Lviv", "Zhytomyr", "Vinnytsia", "Poltava")),
                    capacity=rng.randint(2000, 9000),
                    out_of_combat_zone=True,
                    opened_on=(now - 900 * DAY).date(),
                )
            )
    builder.save(Facility, new)
    facilities = list(Facility.objects.filter(code__startswith="syn-").order_by("code"))
    camps = [f for f in facilities if f.kind in (FacilityKind.CAMP, FacilityKind.TRANSIT_CAMP)]
    no_korean = next(f for f in camps if f.code == "syn-camp-02")
    texts = []
    for facility in camps:
        for language in ["ukr", *LANGUAGES]:
            for kind in PostedTextKind.values:
                if facility == no_korean and language == "kor":
                    continue
                texts.append(
                    FacilityPostedText(
                        facility=facility, kind=kind, language=language, posted_on=(now - 800 * DAY).date()
                    )
                )
    builder.save(FacilityPostedText, texts, ignore_conflicts=True)
    visits = [
        Visit(
            facility=facility,
            visiting_body=VisitingBody.ICRC,
            requested_at=now - days * DAY - 3 * DAY,
            visited_at=now - days * DAY,
            granted=True,
            private_interview=True,
            interpreter_present=True,
            delegates="ICRC delegation Kyiv",
        )
        for facility in camps
        for days in (20, 110, 200)
    ]
    builder.save(Visit, visits)
    return camps, no_korean


@dataclass
class InterpreterPool:
    """Interpreters by role: vetted detaining-power interpreters per language, third-state ones, useless ones."""

    vetted: dict[str, list[int]]  # language L -> interpreters with {ukr, L}
    third_state: dict[str, list[int]]
    wrong: list[int]  # Ukrainian and English only


def _interpreters(builder: _Builder, rng: random.Random) -> InterpreterPool:
    plan: list[tuple[str, set[str], dict[str, Any]]] = []
    for language in LANGUAGES:
        count = 100 if language == "rus" else 20
        for i in range(count):
            extra = {"rus"} if language != "rus" and i % 2 else set()
            plan.append(
                (
                    "vetted",
                    {"ukr", language} | extra,
                    {
                        "affiliation": Affiliation.DETAINING_POWER,
                        "affiliation_state": "UA",
                        "organisation": "Coordination HQ for POW treatment",
                        "vetted": True,
                    },
                )
            )
        for _ in range(5):
            state, organisation = ("KR", "National Intelligence Service") if language == "kor" else ("PL", "")
            plan.append(
                (
                    "third_state",
                    {"ukr", language},
                    {
                        "affiliation": Affiliation.THIRD_STATE,
                        "affiliation_state": state,
                        "organisation": organisation,
                        "vetted": False,
                    },
                )
            )
    for _ in range(20):
        plan.append(
            (
                "wrong",
                {"ukr", "eng"},
                {"affiliation": Affiliation.DETAINING_POWER, "affiliation_state": "UA", "vetted": True},
            )
        )
    for _ in range(10):
        plan.append(
            ("icrc", {"ukr", "rus", "eng"}, {"affiliation": Affiliation.ICRC, "organisation": "ICRC", "vetted": True})
        )
    interpreters = [
        Interpreter(name=f"Interpreter {rng.choice(FAMILY_NAMES)} {i:03d}", **attrs)
        for i, (_, _, attrs) in enumerate(plan)
    ]
    builder.save(Interpreter, interpreters)
    builder.save(
        InterpreterLanguage,
        [
            InterpreterLanguage(interpreter_id=obj.pk, language=code)
            for obj, (_, langs, _) in zip(interpreters, plan, strict=True)
            for code in sorted(langs)
        ],
    )
    pool = InterpreterPool(vetted={}, third_state={}, wrong=[])
    for obj, (role, langs, _) in zip(interpreters, plan, strict=True):
        if role == "wrong":
            pool.wrong.append(obj.pk)
        elif role in ("vetted", "third_state"):
            (language,) = langs - {"ukr", "rus"} or {"rus"}
            getattr(pool, role).setdefault(language, []).append(obj.pk)
    return pool


def _pick_breaches(n: int, scale: float, rng: random.Random) -> dict[str, set[int]]:
    """For each breach kind, exactly round(share * n) detainee positions (0..n-1), drawn independently."""
    chosen: dict[str, set[int]] = {}
    for breach in BREACHES:
        count = min(n, round(breach.share * scale * n))
        # A recorded wish not to return and no recorded wish cannot both hold: keep those two kinds apart.
        candidates = range(n)
        if breach.key == "exchange_wish_unknown":
            candidates = sorted(set(range(n)) - chosen["exchange_unwilling"])
            count = min(count, len(candidates))
        chosen[breach.key] = set(rng.sample(candidates, count))
    return chosen


def generate_population(
    n: int,
    *,
    seed: int = 1,
    breach_share: float = 0.1,
    clear: bool = False,
    now: dt.datetime | None = None,
    progress: Any = None,
) -> Summary:
    """Generate `n` detainees and their records; returns the Summary (rows written, expected findings)."""
    if n < 1:
        raise ValueError("detainees: expected a whole number, 1 or more.")
    if breach_share < 0 or breach_share > 1:
        raise ValueError("breach_share: expected a share between 0 and 1.")
    started = time.monotonic()
    rng = random.Random(seed)
    now = now or timezone.now()
    scale = breach_share / 0.1
    summary = Summary(detainees=n)
    builder = _Builder(summary, now)
    breaches = _pick_breaches(n, scale, rng)
    # Detainees held in the camp without a Korean Convention text who understand only Korean (for GC3-41).
    posted_missing = 0

    with transaction.atomic():
        if clear:
            clear_case_record()
        camps, no_korean = _facilities(builder, rng, now)
        holding_camps = [f for f in camps if f.kind == FacilityKind.CAMP]
        transit = [f for f in camps if f.kind == FacilityKind.TRANSIT_CAMP]
        pool = _interpreters(builder, rng)
        year = now.year
        first_value = take_case_numbers(n, year)
        prefix = f"{settings.CASE_NUMBER_PREFIX}-{year}-"
        summary.first_case_number = f"{prefix}{first_value:06d}"
        summary.last_case_number = f"{prefix}{first_value + n - 1:06d}"
        proposal_counter = 0

        for batch_start in range(0, n, BATCH):
            positions = range(batch_start, min(n, batch_start + BATCH))
            has = {key: {p for p in positions if p in members} for key, members in breaches.items()}
            plans = []
            detainees = []
            for p in positions:
                plan = _plan_detainee(p, rng, now, has, holding_camps, transit)
                plans.append(plan)
                detainees.append(Detainee(case_number=f"{prefix}{first_value + p:06d}", **plan["detainee"]))
            builder.save(Detainee, detainees)
            for plan, detainee in zip(plans, detainees, strict=True):
                plan["id"] = detainee.pk
                if (
                    detainee.current_facility_id == no_korean.pk
                    and plan["native"] == "kor"
                    and detainee.status in (DetaineeStatus.PRISONER_OF_WAR, DetaineeStatus.STATUS_IN_DOUBT)
                ):
                    posted_missing += 1
            proposal_counter = _write_related(builder, rng, now, plans, pool, proposal_counter, first_value)
            if progress:
                progress(min(n, batch_start + BATCH), n)

    if connection.vendor == "postgresql":
        # Fresh planner statistics: right after a bulk load they describe empty tables (and plans go wrong).
        with connection.cursor() as cursor:
            for name in sorted(summary.rows):
                model = next(m for m in _written_models() if m._meta.model_name == name)
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    for breach in BREACHES:
        summary.expected[breach.key] = {
            "rule_id": breach.rule_id,
            "outcome": breach.outcome,
            "detainees": len(breaches[breach.key]),
            "description": breach.description,
        }
    summary.expected["posted_text_missing"] = {
        "rule_id": "GC3-41-POSTED",
        "outcome": "violation",
        "detainees": posted_missing,
        "description": f"Korean speakers held in {no_korean.code}, where the Convention is not posted in Korean",
    }
    summary.expected["posted_regulations_missing"] = {
        "rule_id": "GC3-41-POSTED",
        "outcome": "warning",
        "detainees": posted_missing,
        "description": f"the same men: regulations and notices not posted in Korean in {no_korean.code}",
    }
    summary.seconds = time.monotonic() - started
    return summary


def _plan_detainee(
    p: int,
    rng: random.Random,
    now: dt.datetime,
    has: dict[str, set[int]],
    camps: list[Facility],
    transit: list[Facility],
) -> dict[str, Any]:
    """Decide one detainee's record (plain values); `_write_related` turns it into rows."""
    roll, acc = rng.random(), 0.0
    native, second = "rus", ()
    for weight, language, others in PROFILES:
        acc += weight
        if roll < acc:
            native, second = language, others
            break
    if p in has["lang_no_bridge"] or p in has["lang_third_state"]:
        second = tuple(code for code in second if code != "ukr")  # he must need an interpreter from Ukrainian
    captured_at = now - rng.randint(60, 200) * DAY - rng.randint(0, 23) * HOUR
    arrival_at = captured_at + rng.randint(1, 3) * DAY
    first_camp = rng.choice(transit + camps)
    transfer_at, current = None, first_camp
    if rng.random() < 0.35 or first_camp.kind == FacilityKind.TRANSIT_CAMP:
        transfer_at = arrival_at + rng.randint(10, 40) * DAY
        current = rng.choice([c for c in camps if c != first_camp])
    if native == "kor":
        family, family_original = rng.choice(KOREAN_NAMES)
        given, given_original = rng.choice(KOREAN_GIVEN)
    else:
        family, family_original = rng.choice(FAMILY_NAMES), ""
        given, given_original = rng.choice(GIVEN_NAMES), ""
    born = dt.date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28))
    if p in has["child_with_adults"]:
        born = (now - dt.timedelta(days=int(16.5 * 365))).date()
    status = DetaineeStatus.STATUS_IN_DOUBT if p in has["doubt_no_tribunal"] else DetaineeStatus.PRISONER_OF_WAR
    return {
        "position": p,
        "native": native,
        "second": second,
        "captured_at": captured_at,
        "arrival_at": arrival_at,
        "first_camp": first_camp,
        "transfer_at": transfer_at,
        "breaches": {key for key, members in has.items() if p in members},
        "detainee": {
            "family_name": family,
            "given_names": given,
            "family_name_original": family_original,
            "given_names_original": given_original,
            "original_script": SCRIPT.get(native, "Cyrl" if family_original else ""),
            "rank": "Private",
            "rank_category": RankCategory.ENLISTED if rng.random() < 0.85 else RankCategory.NCO,
            "service_number": f"{rng.randint(10**7, 10**8 - 1)}",
            "date_of_birth": born,
            "date_of_birth_precision": "day",
            "sex": "M",
            "nationality": NATIONALITY.get(native, "RU"),
            "power_depends_on": NATIONALITY.get(native, "RU"),
            "armed_force": "Korean People's Army" if native == "kor" else "Armed Forces of the Russian Federation",
            "status": status,
            "status_doubt_since": now - 60 * DAY if status == DetaineeStatus.STATUS_IN_DOUBT else None,
            "next_of_kin_name": f"{family} (mother)",
            "next_of_kin_address": "Synthetic street 1, Synthetic town",
            "place_of_birth": "Pyongyang" if native == "kor" else "Synthetic town",
            "father_first_name": given,
            "mother_maiden_name": rng.choice(FAMILY_NAMES) if native != "kor" else family,
            "current_facility": current,
            "quarters": QuartersKind.ADULTS,
        },
    }


def _write_related(
    builder: _Builder,
    rng: random.Random,
    now: dt.datetime,
    plans: list[dict[str, Any]],
    pool: InterpreterPool,
    proposal_counter: int,
    first_value: int,
) -> int:
    """Every related row of one batch of detainees, one bulk insert per table."""
    rows: dict[type[models.Model], list[models.Model]] = {
        m: []
        for m in (
            Capture,
            CustodyEvent,
            LanguageSkill,
            IdentityDocument,
            MedicalAssessment,
            CaptureCard,
            InformationNotification,
            Visit,
            RepatriationWish,
            RiskAssessment,
        )
    }
    sessions: list[tuple[Interrogation, list[int]]] = []
    media: list[tuple[MediaItem, list[int]]] = []
    outgoing: list[int] = []

    for plan in plans:
        d, breaches = plan["id"], plan["breaches"]
        captured_at, arrival_at, transfer_at = plan["captured_at"], plan["arrival_at"], plan["transfer_at"]
        native, second = plan["native"], plan["second"]
        current_id = plan["detainee"]["current_facility"].pk
        rows[Capture].append(
            Capture(
                detainee_id=d,
                captured_at=captured_at,
                place="Kursk region",
                capturing_unit="Synthetic brigade",
                wounded_at_capture=False,
                evacuated_at=captured_at + 12 * HOUR,
            )
        )
        rows[CustodyEvent].append(
            CustodyEvent(
                detainee_id=d,
                kind=CustodyEventKind.ARRIVAL,
                occurred_at=arrival_at,
                to_facility_id=plan["first_camp"].pk,
                quarters=QuartersKind.ADULTS,
            )
        )
        if transfer_at:
            rows[CustodyEvent].append(
                CustodyEvent(
                    detainee_id=d,
                    kind=CustodyEventKind.TRANSFER,
                    occurred_at=transfer_at,
                    from_facility_id=plan["first_camp"].pk,
                    to_facility_id=current_id,
                    quarters=QuartersKind.ADULTS,
                )
            )

        # Languages: the native one fully; second languages understood, spoken, read and written.
        understood = [native, *second]
        for code in understood:
            rows[LanguageSkill].append(
                LanguageSkill(
                    detainee_id=d,
                    language=code,
                    understands=True,
                    speaks=True,
                    reads=True,
                    writes=True,
                    script=SCRIPT.get(code, "Cyrl"),
                    is_native=code == native,
                    established_by=LanguageEvidence.INTERPRETER_ASSESSMENT
                    if code == native
                    else LanguageEvidence.TESTED,
                )
            )

        # Art. 18(2): nobody is without an identity document (GC3-17-IDCARD warns otherwise).
        other = "idcard_other_name" in breaches
        rows[IdentityDocument].append(
            IdentityDocument(
                detainee_id=d,
                kind=DocumentKind.MILITARY_ID,
                issuing_state=plan["detainee"]["nationality"],
                number=f"{rng.randint(10**6, 10**7 - 1)}",
                name_on_document="Kim Song Il" if other else plan["detainee"]["family_name"],
                in_another_persons_name=other,
                seized=False,
            )
        )

        # Questioning: 0-2 ordinary sessions, all in a language that reaches him; plus the planted ones.
        count = rng.choice((0, 0, 1, 1, 1, 2))
        for _ in range(count):
            at = arrival_at + rng.randint(2, 40) * DAY + rng.randint(8, 12) * HOUR
            sessions.append(_compliant_session(d, at, native, understood, pool, rng))
        if "lang_no_bridge" in breaches:
            at = arrival_at + rng.randint(1, 30) * DAY + 10 * HOUR
            interpreters = [rng.choice(pool.wrong)] if rng.random() < 0.5 else []
            sessions.append(
                (
                    Interrogation(
                        detainee_id=d,
                        started_at=at,
                        ended_at=at + 2 * HOUR,
                        language="ukr",
                        mode=InterrogationMode.ORAL,
                        conducted_by="Synthetic officer",
                        conducting_authority="Security Service",
                    ),
                    interpreters,
                )
            )
        if "lang_third_state" in breaches:
            at = arrival_at + rng.randint(1, 30) * DAY + 13 * HOUR
            sessions.append(
                (
                    Interrogation(
                        detainee_id=d,
                        started_at=at,
                        ended_at=at + 2 * HOUR,
                        language="ukr",
                        mode=InterrogationMode.ORAL,
                        conducted_by="Synthetic officer",
                        conducting_authority="Security Service",
                    ),
                    [rng.choice(pool.third_state[native])],
                )
            )
        if "unfit_questioned" in breaches:
            at = arrival_at + rng.randint(1, 30) * DAY + 16 * HOUR
            rows[MedicalAssessment].append(
                MedicalAssessment(
                    detainee_id=d,
                    assessed_at=at - HOUR,
                    kind=MedicalAssessmentKind.FITNESS_FOR_QUESTIONING,
                    fit_for_questioning=False,
                    can_speak=False,
                    assessed_by="Synthetic doctor",
                    conditions="Concussion",
                    health_category=HealthCategory.SICK,
                )
            )
            sessions.append(_compliant_session(d, at, native, understood, pool, rng))
            # Found fit again that evening, so only this session was questioning while unfit (GC3-17-UNABLE looks
            # at the latest assessment before each session).
            rows[MedicalAssessment].append(
                MedicalAssessment(
                    detainee_id=d,
                    assessed_at=at + 3 * HOUR,
                    kind=MedicalAssessmentKind.FITNESS_FOR_QUESTIONING,
                    fit_for_questioning=True,
                    can_speak=True,
                    can_write=True,
                    assessed_by="Synthetic doctor",
                    health_category=HealthCategory.RECOVERED,
                )
            )

        # Medical: screening at capture, then a monthly inspection with weight (Art. 31).
        rows[MedicalAssessment].append(
            MedicalAssessment(
                detainee_id=d,
                assessed_at=captured_at + 6 * HOUR,
                kind=MedicalAssessmentKind.CAPTURE_SCREENING,
                health_category=HealthCategory.NOT_WOUNDED,
                fit_for_questioning=True,
                can_speak=True,
                can_write=True,
                assessed_by="Synthetic doctor",
            )
        )
        at = arrival_at + 2 * DAY
        stop = now - 45 * DAY if "monthly_missed" in breaches else now
        while at <= stop:
            rows[MedicalAssessment].append(
                MedicalAssessment(
                    detainee_id=d,
                    assessed_at=at,
                    kind=MedicalAssessmentKind.MONTHLY_INSPECTION,
                    weight_kg=rng.randint(550, 900) / 10,
                    health_category=HealthCategory.GOOD,
                    assessed_by="Synthetic doctor",
                )
            )
            at += 30 * DAY

        # Capture cards: one per occasion (capture, transfer), offered the day after, written and sent.
        occasions = [] if "capture_card_overdue" in breaches else [(CaptureCardOccasion.CAPTURE, arrival_at)]
        if transfer_at:
            occasions.append((CaptureCardOccasion.TRANSFER, transfer_at))
        for occasion, at in occasions:
            offered = at + DAY
            if rng.random() < 0.03:
                rows[CaptureCard].append(
                    CaptureCard(
                        detainee_id=d, occasion=occasion, offered_at=offered, declined=True, declined_at=offered
                    )
                )
            else:
                rows[CaptureCard].append(
                    CaptureCard(
                        detainee_id=d,
                        occasion=occasion,
                        offered_at=offered,
                        completed_at=offered + HOUR,
                        sent_to_family_at=offered + 2 * DAY,
                        sent_to_cta_at=offered + 2 * DAY,
                    )
                )

        # Notifications of the capture (Art. 122, 123), and of a transfer to the Bureau.
        if "info_not_sent" not in breaches:
            for recipient in (NotificationRecipient.INFORMATION_BUREAU, NotificationRecipient.CENTRAL_TRACING_AGENCY):
                rows[InformationNotification].append(
                    InformationNotification(
                        detainee_id=d,
                        kind=NotificationKind.CAPTURE,
                        recipient=recipient,
                        event_at=captured_at,
                        sent_at=captured_at + 2 * DAY,
                        reference=f"NIB-{first_value + plan['position']}",
                    )
                )
        if transfer_at:
            rows[InformationNotification].append(
                InformationNotification(
                    detainee_id=d,
                    kind=NotificationKind.TRANSFER,
                    recipient=NotificationRecipient.INFORMATION_BUREAU,
                    event_at=transfer_at,
                    sent_at=transfer_at + DAY,
                )
            )

        if "visit_refused" in breaches:
            rows[Visit].append(
                Visit(
                    detainee_id=d,
                    visiting_body=VisitingBody.ICRC,
                    requested_at=now - 20 * DAY,
                    granted=False,
                    denial_ground=DenialGround.OTHER,
                    denial_reason="Not convenient this month",
                )
            )
        elif rng.random() < 0.03:
            visit_at = now - rng.randint(5, 50) * DAY
            rows[Visit].append(
                Visit(
                    detainee_id=d,
                    facility_id=current_id,
                    visiting_body=VisitingBody.ICRC,
                    requested_at=visit_at - 2 * DAY,
                    visited_at=visit_at,
                    granted=True,
                    private_interview=True,
                    interpreter_present=native != "rus",
                )
            )

        # Exchange lists and repatriation wishes (Art. 118).
        on_list = "exchange_unwilling" in breaches or "exchange_wish_unknown" in breaches or rng.random() < 0.12
        wish = RepatriationWishChoice.WISHES_TO_RETURN
        if "exchange_unwilling" in breaches:
            wish = RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN
        elif on_list and "exchange_wish_unknown" not in breaches and rng.random() < 0.04:
            # With a completed risk assessment finding no real risk: compliant (GC3-118).
            wish = RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN
            started = now - 30 * DAY
            rows[RiskAssessment].append(
                RiskAssessment(
                    detainee_id=d,
                    started_at=started,
                    completed_at=started + 10 * DAY,
                    outcome=RiskAssessmentOutcome.NO_REAL_RISK,
                    assessed_by="Synthetic legal adviser",
                )
            )
        if "exchange_wish_unknown" not in breaches and (on_list or rng.random() < 0.1):
            rows[RepatriationWish].append(
                RepatriationWish(
                    detainee_id=d,
                    wish=wish,
                    recorded_at=now - rng.randint(35, 55) * DAY,
                    recorded_by="ICRC delegate",
                    language=native,
                    third_party_present="ICRC delegate",
                )
            )
        if on_list:
            outgoing.append(d)

        # Media: about 1 in 12 appears in an unpublished or unidentifiable item; planted publications.
        if rng.random() < 0.08:
            published = rng.random() < 0.3
            media.append(
                (
                    MediaItem(
                        kind=MediaKind.PHOTO,
                        description="Group photo at the camp",
                        taken_at=arrival_at + DAY,
                        taken_by="Camp administration",
                        identifiable=not published,
                        published_at=arrival_at + 3 * DAY if published else None,
                        published_by="Ministry press office" if published else "",
                        publisher_is_state_official=True if published else None,
                        channel="Telegram" if published else "",
                    ),
                    [d],
                )
            )
        if "curiosity_official" in breaches:
            media.append(
                (
                    MediaItem(
                        kind=MediaKind.PHOTO,
                        description="Prisoner shown with his face visible",
                        taken_at=arrival_at,
                        identifiable=True,
                        published_at=arrival_at + DAY,
                        published_by="Ministry spokesperson",
                        publisher_is_state_official=True,
                        channel="X (Twitter)",
                    ),
                    [d],
                )
            )
        if "curiosity_other" in breaches:
            media.append(
                (
                    MediaItem(
                        kind=MediaKind.VIDEO,
                        description="Interview video",
                        taken_at=arrival_at,
                        identifiable=True,
                        published_at=arrival_at + 2 * DAY,
                        published_by="Private Telegram channel",
                        publisher_is_state_official=False,
                        channel="Telegram",
                    ),
                    [d],
                )
            )

    for model, objs in rows.items():
        builder.save(model, objs)

    interrogations = builder.save(Interrogation, [s for s, _ in sessions])
    through = Interrogation.interpreters.through
    builder.save(
        through,
        [
            through(interrogation_id=s.pk, interpreter_id=i)
            for s, (_, ids) in zip(interrogations, sessions, strict=True)
            for i in ids
        ],
    )

    items = builder.save(MediaItem, [m for m, _ in media])
    depicted = MediaItem.depicted.through
    links = [depicted(mediaitem_id=m.pk, detainee_id=d) for m, (_, ids) in zip(items, media, strict=True) for d in ids]
    # Group photos: some unpublished items also show a neighbour of the batch (shared items, as in reality).
    ids = [plan["id"] for plan in plans]
    for m, (obj, shown) in zip(items, media, strict=True):
        if obj.published_at is None and rng.random() < 0.5:
            neighbour = rng.choice(ids)
            if neighbour not in shown:
                links.append(depicted(mediaitem_id=m.pk, detainee_id=neighbour))
    builder.save(depicted, links)

    proposals = []
    for start in range(0, len(outgoing), 250):
        proposal_counter += 1
        proposals.append(
            (
                ExchangeProposal(
                    reference=f"SYN-{first_value}-{proposal_counter:04d}",
                    counterparty="RU",
                    mediator="United Arab Emirates",
                    status=ExchangeStatus.PROPOSED,
                    proposed_on=(now - 10 * DAY).date(),
                ),
                outgoing[start : start + 250],
            )
        )
    builder.save(ExchangeProposal, [p for p, _ in proposals])
    builder.save(
        ExchangeOutgoing,
        [ExchangeOutgoing(proposal_id=p.pk, detainee_id=d) for p, members in proposals for d in members],
    )
    return proposal_counter


def _compliant_session(
    d: int, at: dt.datetime, native: str, understood: list[str], pool: InterpreterPool, rng: random.Random
) -> tuple[Interrogation, list[int]]:
    """A session that reaches him: in a language he understands, or in Ukrainian with a vetted bridge."""
    common = {
        "detainee_id": d,
        "started_at": at,
        "ended_at": at + 90 * dt.timedelta(minutes=1),
        "conducted_by": "Synthetic officer",
        "conducting_authority": "Security Service",
    }
    if "ukr" in understood or rng.random() < 0.5:
        language = "ukr" if "ukr" in understood else native
        if native == "rus" and rng.random() < 0.1:
            return Interrogation(language="rus", mode=InterrogationMode.WRITTEN, answers_in_writing=True, **common), []
        return Interrogation(language=language, mode=InterrogationMode.ORAL, **common), []
    return Interrogation(language="ukr", mode=InterrogationMode.ORAL, **common), [rng.choice(pool.vetted[native])]


class Command(BaseCommand):
    help = (
        "Generate a synthetic population of detainees with ~15 related rows each and a known share of each kind of "
        "breach, fast (bulk inserts of 5,000; no history rows are written and no re-evaluation runs: follow with "
        "`manage.py run_compliance`). Prints the rows written and the expected findings per breach kind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--detainees", type=int, required=True, metavar="N", help="How many detainees.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same population).")
        parser.add_argument(
            "--breach-share",
            type=float,
            default=0.1,
            metavar="S",
            help="Scale of the planted breaches: 0.1 gives the shares of BREACHES (5%% language, 10%% capture "
            "card...), 0.2 doubles them, 0 plants none.",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="First empty the case record (every detainee, facility, interpreter, exchange, media item) and, "
            "by cascade, the findings about it.",
        )
        parser.add_argument("--summary-json", metavar="PATH", help="Also write the summary as JSON to PATH.")

    def handle(self, *args: Any, **options: Any) -> None:
        n, share = options["detainees"], options["breach_share"]
        if n < 1:
            raise CommandError("--detainees: expected a whole number, 1 or more.")
        if not 0 <= share <= 1:
            raise CommandError("--breach-share: expected a share between 0 and 1, e.g. 0.1.")
        if n > 999_999:
            raise CommandError("--detainees: at most 999,999 (case numbers have six digits).")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r  {done:,}/{total:,} detainees", ending="")
            self.stderr.flush()

        summary = generate_population(
            n, seed=options["seed"], breach_share=share, clear=options["clear"], progress=progress
        )
        self.stderr.write("")
        self.stdout.write(
            f"Generated {summary.detainees:,} detainees ({summary.first_case_number} .. {summary.last_case_number}) "
            f"and {summary.related_rows:,} related rows in {summary.seconds:.1f} s "
            f"({summary.detainees / summary.seconds:,.0f} detainees/s)."
        )
        for name, count in sorted(summary.rows.items()):
            self.stdout.write(f"  {name:<28} {count:>10,}")
        self.stdout.write("Expected findings (one per detainee of each kind):")
        for key, item in summary.expected.items():
            self.stdout.write(
                f"  {item['rule_id']:<20} {item['outcome']:<10} {item['detainees']:>8,}  {key}: {item['description']}"
            )
        if options["summary_json"]:
            with open(options["summary_json"], "w", encoding="utf-8") as fh:
                json.dump(summary.as_dict(), fh, indent=2)
