# ruff: noqa: RUF001 - names and document numbers are written in Cyrillic on purpose.
"""Load the demo case file: the two North Korean soldiers of the founding article, and ~40 others.

Everything is written through `powcases.services`, in one transaction, with a seeded random generator. The
article's facts keep their historical dates (the two soldiers were captured on 9 January 2025); everything recurring
(monthly medical inspections, visits) runs up to the day the demo is loaded, and the other detainees are captured a
seeded number of days before that day. So the record is deterministic given the seed and the load date, and a
compliance sweep on the day of loading finds a functioning authority with a handful of deliberate gaps, not a
flood of overdue deadlines. The command is idempotent: once the demo is loaded (recognised by its marker facility)
a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import struct
import zlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from powcases import services
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
    Detainee,
    DetaineeAlias,
    ExchangeOutgoing,
    ExchangeProposal,
    Facility,
    FacilityPostedText,
    IdentityDocument,
    InformationNotification,
    Interpreter,
    Interrogation,
    MediaItem,
    MedicalAssessment,
    RepatriationWish,
    RiskAssessment,
    Visit,
)

CAPTURE_OF_THE_TWO = dt.datetime(2025, 1, 9, 14, 30, tzinfo=dt.UTC)
MARKER_FACILITY_CODE = "kyiv-hospital"
SEED = 20250109

RUSSIAN_FAMILY_NAMES = [
    ("Ivanov", "Иванов"),
    ("Smirnov", "Смирнов"),
    ("Kuznetsov", "Кузнецов"),
    ("Popov", "Попов"),
    ("Vasiliev", "Васильев"),
    ("Petrov", "Петров"),
    ("Sokolov", "Соколов"),
    ("Mikhailov", "Михайлов"),
    ("Novikov", "Новиков"),
    ("Fedorov", "Фёдоров"),
    ("Morozov", "Морозов"),
    ("Volkov", "Волков"),
    ("Alekseev", "Алексеев"),
    ("Lebedev", "Лебедев"),
    ("Semenov", "Семёнов"),
    ("Egorov", "Егоров"),
    ("Pavlov", "Павлов"),
    ("Kozlov", "Козлов"),
    ("Stepanov", "Степанов"),
    ("Nikolaev", "Николаев"),
    ("Orlov", "Орлов"),
    ("Andreev", "Андреев"),
    ("Makarov", "Макаров"),
    ("Nikitin", "Никитин"),
    ("Zakharov", "Захаров"),
    ("Zaitsev", "Зайцев"),
    ("Soloviev", "Соловьёв"),
    ("Borisov", "Борисов"),
    ("Yakovlev", "Яковлев"),
    ("Grigoriev", "Григорьев"),
    ("Romanov", "Романов"),
    ("Vorobiev", "Воробьёв"),
    ("Sergeev", "Сергеев"),
    ("Kuzmin", "Кузьмин"),
    ("Frolov", "Фролов"),
    ("Belov", "Белов"),
]
RUSSIAN_GIVEN_NAMES = [
    ("Aleksandr", "Александр"),
    ("Dmitry", "Дмитрий"),
    ("Maksim", "Максим"),
    ("Sergey", "Сергей"),
    ("Andrey", "Андрей"),
    ("Aleksey", "Алексей"),
    ("Artyom", "Артём"),
    ("Ilya", "Илья"),
    ("Kirill", "Кирилл"),
    ("Mikhail", "Михаил"),
    ("Nikita", "Никита"),
    ("Roman", "Роман"),
    ("Yegor", "Егор"),
    ("Ivan", "Иван"),
    ("Denis", "Денис"),
    ("Yevgeny", "Евгений"),
    ("Pavel", "Павел"),
    ("Vladimir", "Владимир"),
    ("Konstantin", "Константин"),
    ("Oleg", "Олег"),
]
MOTHER_MAIDEN_NAMES = ["Kovaleva", "Belova", "Tarasova", "Guseva", "Orlova", "Titova", "Kiseleva"]
PLACES_OF_BIRTH = [
    "Rostov-on-Don",
    "Krasnodar",
    "Volgograd",
    "Saratov",
    "Omsk",
    "Chelyabinsk",
    "Perm",
    "Ulan-Ude",
    "Kyzyl",
    "Belgorod",
    "Voronezh",
    "Samara",
    "Irkutsk",
    "Barnaul",
    "Kemerovo",
]
UNITS = [
    "1427th Motor Rifle Regiment",
    "155th Naval Infantry Brigade",
    "810th Naval Infantry Brigade",
    "11th Air Assault Brigade",
    "76th Guards Air Assault Division",
    "Storm-Z detachment",
    "30th Motor Rifle Brigade",
    "pmc 'Redut'",
]
RANKS = [
    ("Private", RankCategory.ENLISTED),
    ("Private", RankCategory.ENLISTED),
    ("Private", RankCategory.ENLISTED),
    ("Lance Corporal", RankCategory.ENLISTED),
    ("Junior Sergeant", RankCategory.NCO),
    ("Sergeant", RankCategory.NCO),
    ("Lieutenant", RankCategory.OFFICER),
    ("Senior Lieutenant", RankCategory.OFFICER),
]
CAPTURE_PLACES = [
    "Kursk region, near Sudzha",
    "Donetsk region, near Pokrovsk",
    "Zaporizhzhia region, near Robotyne",
    "Kharkiv region, near Vovchansk",
    "Luhansk region, near Kreminna",
    "Kursk region, near Malaya Loknya",
]
CAPTURING_UNITS = [
    "95th Air Assault Brigade",
    "47th Mechanised Brigade",
    "Special Operations Forces",
    "3rd Assault Brigade",
    "80th Air Assault Brigade",
]
UKRAINIAN_SOLDIERS = [
    ("Shevchuk", "Andrii"),
    ("Bondarenko", "Oleksandr"),
    ("Kravchenko", "Taras"),
    ("Tkachenko", "Mykola"),
    ("Melnyk", "Serhii"),
    ("Boiko", "Yurii"),
    ("Koval", "Vasyl"),
    ("Oliinyk", "Bohdan"),
    ("Lysenko", "Dmytro"),
    ("Marchenko", "Ihor"),
    ("Rudenko", "Petro"),
    ("Savchenko", "Volodymyr"),
    ("Moroz", "Roman"),
]


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A fixed demo time (UTC)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def placeholder_png(label_seed: int) -> bytes:
    """A small grey PNG standing in for a photograph (the demo ships no real images of people)."""
    width, height = 64, 48
    shade = 120 + label_seed * 37 % 100
    row = b"\x00" + bytes([shade, shade, shade]) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


DEMO_LOADER_USERNAME = "demo-loader"


def demo_loader_account() -> Any:
    """The account the demo is written under: it names the loader in the history and cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_LOADER_USERNAME, defaults={"first_name": "Demo", "last_name": "loader", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class DemoLoader:
    """Builds the demo record through the services; one instance per run."""

    def __init__(self, stdout: Any, as_of: dt.datetime) -> None:
        self.stdout = stdout
        # The demo's "today": midnight (UTC) of the load date. Every record lies before it, so a sweep run on the
        # day of loading sees the record as loaded, and the same seed and load date give the same record.
        self.as_of = as_of
        self.rng = random.Random(SEED)
        self.actor = demo_loader_account()  # history shows who wrote the demo: the system, not a person
        self.facilities: dict[str, Facility] = {}
        self.interpreters: dict[str, Interpreter] = {}

    # --- building blocks -------------------------------------------------------------------------

    def facility(
        self,
        code: str,
        name: str,
        kind: str,
        region: str,
        *,
        languages: list[str],
        regulations: list[str] | None = None,
        **extra: Any,
    ) -> Facility:
        """A facility with the Convention posted in `languages` and its regulations (Art. 41(2)) in `regulations`."""
        facility = services.record_save(
            actor=self.actor,
            instance=Facility(code=code, name=name, kind=kind, country="UA", region=region, **extra),
        )
        posted = [(PostedTextKind.CONVENTION, language) for language in languages]
        posted += [(PostedTextKind.REGULATIONS, language) for language in regulations or []]
        for text_kind, language in posted:
            services.record_save(
                actor=self.actor,
                instance=FacilityPostedText(
                    facility=facility, kind=text_kind, language=language, posted_on=dt.date(2024, 6, 1)
                ),
            )
        self.facilities[code] = facility
        return facility

    def interpreter(self, key: str, languages: list[str], **fields: Any) -> Interpreter:
        interpreter = services.interpreter_save(
            actor=self.actor, interpreter=Interpreter(**fields), languages=languages
        )
        self.interpreters[key] = interpreter
        return interpreter

    def custody(self, detainee: Detainee, kind: str, when: dt.datetime, to: str | None = None, **extra: Any) -> None:
        services.custody_event_record(
            actor=self.actor,
            detainee=detainee,
            kind=kind,
            occurred_at=when,
            from_facility=detainee.current_facility,
            to_facility=self.facilities[to] if to else None,
            **extra,
        )

    def language(self, detainee: Detainee, code: str, **skills: Any) -> None:
        services.language_skill_set(actor=self.actor, detainee=detainee, language=code, **skills)

    def save(self, instance: Any) -> Any:
        return services.record_save(actor=self.actor, instance=instance)

    def notify(self, detainee: Detainee, kind: str, event_at: dt.datetime, sent_after: dt.timedelta) -> None:
        """Art. 122: the Information Bureau is told of an event, and forwards it to the Central Tracing Agency."""
        for recipient, delay in (
            (NotificationRecipient.INFORMATION_BUREAU, sent_after),
            (NotificationRecipient.CENTRAL_TRACING_AGENCY, sent_after + dt.timedelta(days=1)),
        ):
            self.save(
                InformationNotification(
                    detainee=detainee, kind=kind, recipient=recipient, event_at=event_at, sent_at=event_at + delay
                )
            )

    def capture_card(self, detainee: Detainee, occasion: str, offered: dt.datetime, *, sent: bool = True) -> None:
        """Art. 70: a card offered on an occasion, filled in the same day and (unless `sent` is False) forwarded."""
        forwarded = offered + dt.timedelta(days=1) if sent else None
        self.save(
            CaptureCard(
                detainee=detainee,
                occasion=occasion,
                offered_at=offered,
                completed_at=offered + dt.timedelta(hours=4),
                sent_to_family_at=forwarded,
                sent_to_cta_at=forwarded,
                notes="" if sent else "Filled in; not yet sent.",
            )
        )

    def monthly_inspections(
        self,
        detainee: Detainee,
        first: dt.datetime,
        until: dt.datetime,
        facility: str,
        weight: int,
        categories: list[str] | None = None,
    ) -> None:
        """Art. 31 inspections with his weight, every 27-30 days from `first` until before `until`.

        `categories` gives the health category of the first inspections (a wound healing); later ones read 'good'.
        """
        # Its own generator: how many inspections the article's two men have had depends on the load date, and
        # that must not shift the draws that decide everyone else's record.
        rng = random.Random(SEED + detainee.pk)
        inspection, count = first, 0
        while inspection < until:
            weight += rng.choice([-1, 0, 0, 0, 1])
            category = categories[count] if categories and count < len(categories) else HealthCategory.GOOD
            self.save(
                MedicalAssessment(
                    detainee=detainee,
                    assessed_at=inspection,
                    kind=MedicalAssessmentKind.MONTHLY_INSPECTION,
                    assessed_by="Dr. Iryna Bondar",
                    facility=self.facilities[facility],
                    health_category=category,
                    weight_kg=weight,
                )
            )
            inspection += dt.timedelta(days=rng.randrange(27, 31))
            count += 1

    # --- the demo --------------------------------------------------------------------------------

    def load(self) -> None:
        self.load_facilities_and_interpreters()
        rifleman, sniper = self.load_the_two_soldiers()
        others = self.load_other_detainees()
        self.load_visits()
        self.load_exchanges(rifleman, sniper, others)

    def load_facilities_and_interpreters(self) -> None:
        # Realistic gap: the hospital posts the Convention in Ukrainian, Russian and English, not in Korean.
        self.facility(
            "kyiv-hospital",
            "Kyiv Military Hospital, secure ward",
            FacilityKind.HOSPITAL,
            "Kyiv",
            languages=["ukr", "rus", "eng"],
            out_of_combat_zone=True,
            capacity=40,
            opened_on=dt.date(2022, 3, 1),
        )
        self.facility(
            "camp-lviv-1",
            "Lviv region POW camp No. 1",
            FacilityKind.CAMP,
            "Lviv region",
            languages=["ukr", "rus", "eng"],
            regulations=["ukr", "rus"],
            out_of_combat_zone=True,
            capacity=600,
            opened_on=dt.date(2022, 4, 1),
        )
        self.facility(
            "camp-volyn-2",
            "Volyn region POW camp No. 2",
            FacilityKind.CAMP,
            "Volyn region",
            # Deliberate gap: the Convention is posted in Spanish for the Cuban recruit, the camp rules are not.
            languages=["ukr", "rus", "eng", "spa"],
            regulations=["ukr", "rus", "eng"],
            out_of_combat_zone=True,
            capacity=400,
            opened_on=dt.date(2023, 2, 1),
        )
        self.facility(
            "transit-sumy",
            "Sumy transit point",
            FacilityKind.TRANSIT_CAMP,
            "Sumy region",
            languages=["ukr", "rus"],
            regulations=["ukr", "rus"],
            out_of_combat_zone=False,
            capacity=60,
            opened_on=dt.date(2024, 8, 10),
        )
        self.facility(
            "transit-zaporizhzhia",
            "Zaporizhzhia transit point",
            FacilityKind.TRANSIT_CAMP,
            "Zaporizhzhia region",
            languages=["ukr", "rus"],
            regulations=["ukr", "rus"],
            out_of_combat_zone=False,
            capacity=50,
            opened_on=dt.date(2023, 5, 1),
        )
        for key, name in (("nis-1", "Interpreter NIS-1 (pseudonym)"), ("nis-2", "Interpreter NIS-2 (pseudonym)")):
            self.interpreter(
                key,
                ["kor", "ukr"],
                name=name,
                affiliation=Affiliation.THIRD_STATE,
                affiliation_state="KR",
                organisation="National Intelligence Service",
                vetted=True,
                vetted_at=dt.date(2025, 1, 10),
                notes="Seconded by the Republic of Korea; identity withheld for security.",
            )
        for key, name in (("ua-1", "Olena Hnatiuk"), ("ua-2", "Ihor Savchuk"), ("ua-3", "Natalia Romaniuk")):
            self.interpreter(
                key,
                ["rus", "ukr"],
                name=name,
                affiliation=Affiliation.DETAINING_POWER,
                affiliation_state="UA",
                organisation="Coordination Headquarters for the Treatment of POWs",
                vetted=True,
                vetted_at=dt.date(2024, 11, 1),
            )
        self.interpreter(
            "ua-eng",
            ["eng", "ukr", "spa"],
            name="Marta Kovalchuk",
            affiliation=Affiliation.DETAINING_POWER,
            affiliation_state="UA",
            organisation="Coordination Headquarters for the Treatment of POWs",
            vetted=True,
        )

    def load_the_two_soldiers(self) -> tuple[Detainee, Detainee]:
        common: dict[str, Any] = {
            "nationality": "KP",
            "power_depends_on": "KP",
            "armed_force": "Korean People's Army",
            "original_script": "Hang",
            "sex": "M",
            "rank_category": RankCategory.UNKNOWN,
            "status": DetaineeStatus.PRISONER_OF_WAR,
            "quarters": QuartersKind.MEDICAL,
        }
        rifleman = services.detainee_create(
            actor=self.actor,
            case_year=2025,
            family_name="Ri",
            given_names="Chol-ung",
            family_name_original="리",
            given_names_original="철웅",
            date_of_birth="2005",
            military_role="rifleman",
            # Art. 122(4) particulars as he gave them through the interpreters (pseudonymous, like his name).
            place_of_birth="Hamhung",
            father_first_name="Myong-chol",
            mother_maiden_name="Pak",
            next_of_kin_name="Ri Myong-chol",
            next_of_kin_relationship="father",
            next_of_kin_address="Hamhung, South Hamgyong Province, DPRK",
            serving_since=2021,
            notes=(
                "One of the two soldiers of the founding article; the names here are pseudonymous. Carried a "
                "Russian military ID in another man's name (nationality and Power per his own statement: the "
                "document says RU). Says he believed he was sent to Russia for training, not to fight; his unit "
                "had one week of training before deployment."
            ),
            **common,
        )
        sniper = services.detainee_create(
            actor=self.actor,
            case_year=2025,
            family_name="Kim",
            given_names="Kwang-hyok",
            family_name_original="김",
            given_names_original="광혁",
            date_of_birth="1999",
            military_role="scout sniper",
            # Art. 122(4) particulars as he wrote them down (pseudonymous, like his name).
            place_of_birth="Kaechon",
            father_first_name="Song-il",
            mother_maiden_name="Choe",
            next_of_kin_name="Kim Song-il",
            next_of_kin_relationship="father",
            next_of_kin_address="Kaechon, South Pyongan Province, DPRK",
            serving_since=2016,
            notes=(
                "One of the two soldiers of the founding article; the names here are pseudonymous. Carried no "
                "identity document. Jaw injury: answers in writing. The wound has since healed under treatment."
            ),
            **common,
        )
        for detainee, unit_note in (
            (rifleman, "Wounded in both hands."),
            (sniper, "Jaw injury."),
        ):
            self.save(
                Capture(
                    detainee=detainee,
                    captured_at=CAPTURE_OF_THE_TWO,
                    place="Kursk region",
                    capturing_unit="Special Operations Forces of Ukraine",
                    wounded_at_capture=True,
                    evacuated_at=at(2025, 1, 10, 8),
                    circumstances=f"Captured during a clearing operation. {unit_note}",
                )
            )
            self.custody(detainee, CustodyEventKind.CAPTURE, CAPTURE_OF_THE_TWO)
            self.custody(
                detainee,
                CustodyEventKind.HOSPITALISATION,
                at(2025, 1, 10, 10),
                to="kyiv-hospital",
                quarters=QuartersKind.MEDICAL,
                notes="In Kyiv, receiving medical attention.",
            )
            self.language(
                detainee,
                "ko-KP",
                understands=True,
                speaks=True,
                reads=True,
                writes=True,
                script="Kore",
                is_native=True,
                established_by=LanguageEvidence.INTERPRETER_ASSESSMENT,
                established_at=at(2025, 1, 11),
                notes="Speaks only Korean; no Russian, Ukrainian or English.",
            )
            # Art. 122: the Information Bureau was told; the Central Tracing Agency not yet (realistic gap).
            self.save(
                InformationNotification(
                    detainee=detainee,
                    kind=NotificationKind.CAPTURE,
                    recipient=NotificationRecipient.INFORMATION_BUREAU,
                    event_at=CAPTURE_OF_THE_TWO,
                    sent_at=at(2025, 1, 12),
                    reference=f"NIB-2025-{detainee.pk:05d}",
                )
            )

        self.save(
            MedicalAssessment(
                detainee=rifleman,
                assessed_at=at(2025, 1, 10, 20),
                kind=MedicalAssessmentKind.CAPTURE_SCREENING,
                assessed_by="Dr. Hanna Melnyk",
                facility=self.facilities["kyiv-hospital"],
                injuries="Wounds to both hands; dressings applied.",
                fit_for_questioning=True,
                can_speak=True,
                can_write=True,
                health_category=HealthCategory.SLIGHTLY_WOUNDED,
                weight_kg=58,
            )
        )
        self.save(
            MedicalAssessment(
                detainee=sniper,
                assessed_at=at(2025, 1, 10, 21),
                kind=MedicalAssessmentKind.FITNESS_FOR_QUESTIONING,
                assessed_by="Dr. Hanna Melnyk",
                facility=self.facilities["kyiv-hospital"],
                injuries="Jaw injury; head and chin bandaged.",
                conditions="Cannot speak; can write. Fit for questioning in writing.",
                fit_for_questioning=True,
                can_speak=False,
                can_write=True,
                health_category=HealthCategory.SERIOUSLY_WOUNDED,
                weight_kg=61,
            )
        )
        # Art. 31 inspections in the hospital ever since, with weight, up to the day the demo is loaded. The jaw
        # injury made him 'seriously wounded' on 10 January 2025 (he could not speak); it healed under treatment,
        # so the later inspections record him convalescent, then in good health, and Art. 109 no longer applies.
        self.monthly_inspections(
            rifleman, at(2025, 2, 7), self.as_of, "kyiv-hospital", 58, [HealthCategory.SLIGHTLY_WOUNDED]
        )
        self.monthly_inspections(
            sniper, at(2025, 2, 7), self.as_of, "kyiv-hospital", 61, [HealthCategory.CONVALESCENT] * 3
        )
        # Art. 18(2): at no time without identity documents; the detaining power supplied one to each.
        for detainee, number in ((rifleman, "UA-POW-25-00017"), (sniper, "UA-POW-25-00018")):
            self.save(
                IdentityDocument(
                    detainee=detainee,
                    kind=DocumentKind.OTHER,
                    issuing_state="UA",
                    number=number,
                    name_on_document=f"{detainee.family_name} {detainee.given_names}",
                    name_on_document_script="Latn",
                    issue_place="Kyiv",
                    issued_on=dt.date(2025, 1, 20),
                    notes="Prisoner-of-war identity document supplied by the detaining power (Art. 18(2)).",
                )
            )
        document = self.save(
            IdentityDocument(
                detainee=rifleman,
                kind=DocumentKind.MILITARY_ID,
                issuing_state="RU",
                number="АА 0472319",
                name_on_document="Ондар Айдын Борисович",
                name_on_document_script="Cyrl",
                place_of_birth_on_document="Turan, Tuva",
                issue_place="Tuva",
                issued_on=dt.date(2024, 10, 1),
                issued_on_precision="month",
                suspected_false=True,
                in_another_persons_name=True,
                seized=True,
                seized_at=at(2025, 1, 9, 16),
                seizure_ordered_by="Capt. Oleh Dzyuba",
                seizure_receipt_number="R-0091",
                notes="Red Russian military ID card; the SBU says it was issued in autumn 2024 in Russia.",
            )
        )
        self.save(
            DetaineeAlias(detainee=rifleman, name="Ondar Aidyn Borisovich", script="Latn", source="Russian military ID")
        )
        self.save(
            DetaineeAlias(
                detainee=rifleman, name=document.name_on_document, script="Cyrl", source="Russian military ID"
            )
        )

        nis = [self.interpreters["nis-1"], self.interpreters["nis-2"]]
        for day in (11, 13):
            services.interrogation_save(
                actor=self.actor,
                interrogation=Interrogation(
                    detainee=rifleman,
                    started_at=at(2025, 1, day, 10),
                    ended_at=at(2025, 1, day, 12),
                    facility=self.facilities["kyiv-hospital"],
                    place="Secure ward, interview room",
                    language="kor",
                    mode=InterrogationMode.ORAL,
                    conducted_by="SBU investigator",
                    conducting_authority="Security Service of Ukraine (SBU)",
                    notes="Said he believed he was going to Russia for training, not to fight.",
                ),
                interpreters=nis,
            )
            services.interrogation_save(
                actor=self.actor,
                interrogation=Interrogation(
                    detainee=sniper,
                    started_at=at(2025, 1, day, 14),
                    ended_at=at(2025, 1, day, 16, 30),
                    facility=self.facilities["kyiv-hospital"],
                    place="Bedside",
                    language="kor",
                    mode=InterrogationMode.WRITTEN,
                    answers_in_writing=True,
                    conducted_by="SBU investigator",
                    conducting_authority="Security Service of Ukraine (SBU)",
                    notes="Questions read out in Korean; he answered in writing because of his jaw injury.",
                ),
                interpreters=nis,
            )

        published = {
            "published_at": at(2025, 1, 12, 9),
            "published_by": "President of Ukraine",
            "publisher_is_state_official": True,
            "channel": "X (Twitter)",
            "identifiable": True,
            "taken_by": "Security Service of Ukraine",
        }
        photos = [
            ([sniper], "Soldier with bandages around his head and chin, lying in a hospital bed.", 1),
            ([rifleman], "Soldier with his hands heavily wrapped, sitting on a hospital bed.", 2),
            ([rifleman], "Red Russian military ID card; birthplace given as Turan, Tuva.", 3),
        ]
        for depicted, description, seed in photos:
            item = MediaItem(description=description, taken_at=at(2025, 1, 11, 15), **published)
            if seed == 3:
                item.identifiable = False  # a document, not a face; the name on it is another man's
            item.file.save(f"demo-photo-{seed}.png", ContentFile(placeholder_png(seed)), save=False)
            services.media_item_save(actor=self.actor, media_item=item, depicted=depicted)
        self.save(
            Visit(
                detainee=sniper,
                facility=self.facilities["kyiv-hospital"],
                visiting_body=VisitingBody.ICRC,
                requested_at=at(2025, 1, 20),
                visited_at=at(2025, 1, 28),
                granted=True,
                private_interview=True,
                interpreter_present=True,
                delegates="ICRC delegation Kyiv, with a Korean-speaking ICRC interpreter",
            )
        )
        return rifleman, sniper

    # Indexes of the other detainees that carry a deliberate gap (each one a finding a lawyer would expect).
    MINOR = 5  # born 17 years before capture: AP I Art. 77
    IN_DOUBT = (11, 24)  # private military company fighters whose status has waited for a tribunal for months
    NEPALI, CUBAN = 17, 29
    YEAR_ONLY_BIRTH = (3, 22, 37)  # only the year of birth is known
    NO_NEXT_OF_KIN = (14, 27)  # would not name the person to be informed
    INSPECTIONS_STOPPED = 13  # monthly inspection overdue (Art. 31)
    NO_TRANSFER_CARD = 20  # not enabled to write a card on transfer to the camp (Art. 70)
    CARD_NOT_FORWARDED = 33  # wrote the card on capture; it was never sent on (Art. 70)
    TRANSFER_NOT_NOTIFIED = 26  # the Information Bureau was not told of his transfer (Art. 122(5))
    CAPTURE_NOTIFIED_LATE = 31  # the Information Bureau was told of his capture 10 days late (Art. 122(2))
    ID_CARD_KEPT_FROM_HIM = 8  # his own military ID was taken and not returned (Art. 17(3))
    NO_DOCUMENT = 35  # carried none and was given none (Art. 18(2))
    SPEAKS_ENGLISH = (3, 9, 21)  # officers at the Volyn camp who understand English, like the Nepali recruit

    def load_other_detainees(self) -> list[Detainee]:
        rng = self.rng
        others: list[Detainee] = []
        camps = ["camp-lviv-1", "camp-volyn-2"]
        # Capture dates count back from the load date, so their deadlines fall as they would in a live record.
        days_ago = [rng.randrange(20, 400) for _ in range(40)]
        days_ago[self.IN_DOUBT[0]], days_ago[self.IN_DOUBT[1]] = 70, 125
        # Planted gaps whose deadline must have passed by the load date, whatever the draw.
        for index, at_least in (
            (self.INSPECTIONS_STOPPED, 150),
            (self.NO_TRANSFER_CARD, 40),
            (self.TRANSFER_NOT_NOTIFIED, 40),
            (self.CARD_NOT_FORWARDED, 30),
        ):
            days_ago[index] = max(days_ago[index], at_least)
        # The three Russians held longest (none with a planted gap) were repatriated in the completed exchange.
        planted = {
            self.MINOR,
            *self.IN_DOUBT,
            self.NEPALI,
            self.CUBAN,
            *self.YEAR_ONLY_BIRTH,
            *self.NO_NEXT_OF_KIN,
            self.INSPECTIONS_STOPPED,
            self.NO_TRANSFER_CARD,
            self.CARD_NOT_FORWARDED,
            self.TRANSFER_NOT_NOTIFIED,
            self.CAPTURE_NOTIFIED_LATE,
            self.ID_CARD_KEPT_FROM_HIM,
            self.NO_DOCUMENT,
        }
        plain = [i for i in range(40) if i not in planted]
        self.repatriated = set(sorted(plain, key=lambda i: -days_ago[i])[:3])
        self.handed_over_at = self.as_of - dt.timedelta(days=60, hours=13)
        for index in range(40):
            family, family_cyr = rng.choice(RUSSIAN_FAMILY_NAMES)
            given, given_cyr = rng.choice(RUSSIAN_GIVEN_NAMES)
            father = rng.choice(RUSSIAN_GIVEN_NAMES)[0]
            rank, category = rng.choice(RANKS)
            captured = (self.as_of - dt.timedelta(days=days_ago[index])).replace(hour=rng.randrange(5, 20))
            born_year = captured.year - rng.randrange(20, 48)
            if index in self.YEAR_ONLY_BIRTH:
                birth = str(born_year)
            else:
                birth = f"{born_year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            fields: dict[str, Any] = {
                "family_name": family,
                "given_names": given,
                "family_name_original": family_cyr,
                "given_names_original": given_cyr,
                "original_script": "Cyrl",
                "rank": rank,
                "rank_category": category,
                "service_number": f"{'АБВГДЕЖИКЛМН'[index % 12]}-{rng.randrange(100000, 999999)}",
                "place_of_birth": rng.choice(PLACES_OF_BIRTH),
                "father_first_name": father,
                "mother_maiden_name": rng.choice(MOTHER_MAIDEN_NAMES),
                "sex": "M",
                "nationality": "RU",
                "power_depends_on": "RU",
                "armed_force": "Armed Forces of the Russian Federation",
                "unit": rng.choice(UNITS),
                "military_role": rng.choice(
                    ["rifleman", "machine gunner", "driver", "drone operator", "medic", "sapper"]
                ),
                "serving_since": min(captured.year, born_year + 18 + rng.randrange(0, 6)),
                "quarters": QuartersKind.ADULTS,
            }
            languages = [("rus", {"is_native": True, "reads": True, "writes": True, "script": "Cyrl"})]
            if rng.random() < 0.3:
                languages.append(("ukr", {"speaks": False, "reads": True, "writes": False, "script": "Cyrl"}))
            if index in self.SPEAKS_ENGLISH:
                fields.update(rank="Lieutenant", rank_category=RankCategory.OFFICER)
                languages.append(("eng", {"speaks": True, "reads": True, "writes": True, "script": "Latn"}))
            if index == self.MINOR:  # a minor, 17 at capture, year and month of birth known; held apart from adults
                born = captured - dt.timedelta(days=17 * 365 + 120)
                fields.update(
                    rank="Private",
                    rank_category=RankCategory.ENLISTED,
                    serving_since=captured.year,
                    quarters=QuartersKind.MINORS,
                    unit="Storm-Z detachment",
                )
                birth = f"{born.year}-{born.month:02d}"
            if index in self.IN_DOUBT:  # private military company fighters: status in doubt, tribunal pending
                fields.update(
                    status=DetaineeStatus.STATUS_IN_DOUBT,
                    unit="pmc 'Redut'",
                    rank="",
                    rank_category="unknown",
                    status_doubt_since=captured + dt.timedelta(days=3),
                    tribunal_outcome="pending",
                )
            if index == self.NEPALI:  # a Nepali citizen recruited by Russia
                fields.update(
                    family_name="Gurung",
                    given_names="Bikash",
                    family_name_original="गुरुङ",
                    given_names_original="बिकास",
                    original_script="Deva",
                    nationality="NP",
                    place_of_birth="Pokhara",
                    father_first_name="Dil",
                    mother_maiden_name="Gurung",
                )
                languages = [
                    ("nep", {"is_native": True, "reads": True, "writes": True, "script": "Deva"}),
                    ("eng", {"speaks": True, "reads": True, "writes": False, "script": "Latn"}),
                ]
            if index == self.CUBAN:  # a Cuban citizen recruited by Russia
                fields.update(
                    family_name="Pérez Rodríguez",
                    given_names="Yoandri",
                    family_name_original="",
                    given_names_original="",
                    original_script="",
                    nationality="CU",
                    place_of_birth="Holguín",
                    father_first_name="Yosvany",
                    mother_maiden_name="Rodríguez",
                )
                languages = [("spa", {"is_native": True, "reads": True, "writes": True, "script": "Latn"})]
            if index not in self.NO_NEXT_OF_KIN:
                fields["next_of_kin_name"] = f"{fields['given_names']}'s mother"
                fields["next_of_kin_relationship"] = "mother"
                fields["next_of_kin_address"] = f"{fields['place_of_birth']}, {fields['nationality']}"
            detainee = services.detainee_create(
                actor=self.actor, case_year=captured.year, date_of_birth=birth, **fields
            )
            others.append(detainee)
            self.save(
                Capture(
                    detainee=detainee,
                    captured_at=captured,
                    place=rng.choice(CAPTURE_PLACES),
                    capturing_unit=rng.choice(CAPTURING_UNITS),
                    wounded_at_capture=rng.random() < 0.2,
                    evacuated_at=captured + dt.timedelta(hours=rng.randrange(6, 20)),
                )
            )
            for code, skills in languages:
                self.language(detainee, code, established_by=LanguageEvidence.SELF_DECLARED, **skills)
            self.load_documents(detainee, index, captured)
            self.load_custody_and_care(detainee, index, captured, camps[index % 2], languages[0][0])
        return others

    def load_documents(self, detainee: Detainee, index: int, captured: dt.datetime) -> None:
        """His own military ID, kept by him (Art. 17(3)); or, if he carried none, one supplied (Art. 18(2))."""
        if index == self.NO_DOCUMENT:
            return
        if index in (self.NEPALI, self.CUBAN) or index % 8 == 6:
            # Carried no papers (foreign recruits' contracts were kept by their units): the detaining power
            # supplied a prisoner-of-war identity document.
            self.save(
                IdentityDocument(
                    detainee=detainee,
                    kind=DocumentKind.OTHER,
                    issuing_state="UA",
                    number=f"UA-POW-{captured:%y}-{detainee.pk:05d}",
                    name_on_document=f"{detainee.family_name} {detainee.given_names}",
                    name_on_document_script="Latn",
                    issued_on=(captured + dt.timedelta(days=10)).date(),
                    notes="Prisoner-of-war identity document supplied by the detaining power (Art. 18(2)).",
                )
            )
            return
        kept_from_him = index == self.ID_CARD_KEPT_FROM_HIM
        self.save(
            IdentityDocument(
                detainee=detainee,
                kind=DocumentKind.MILITARY_ID,
                issuing_state="RU",
                number=f"{'АБВГДЕ'[index % 6]}{'АБВГДЕ'[index % 5]} {self.rng.randrange(1000000, 9999999)}",
                name_on_document=f"{detainee.family_name_original} {detainee.given_names_original}",
                name_on_document_script="Cyrl",
                issued_on=dt.date(captured.year - 1, self.rng.randrange(1, 13), 1),
                issued_on_precision="month",
                seized=kept_from_him,
                seized_at=captured + dt.timedelta(hours=2) if kept_from_him else None,
                seizure_ordered_by="Lt. Sydorenko" if kept_from_him else "",
                seizure_receipt_number=f"R-{detainee.pk:04d}" if kept_from_him else "",
                notes="Taken at the transit point 'for checks'; not returned." if kept_from_him else "Kept by him.",
            )
        )

    def load_custody_and_care(
        self, detainee: Detainee, index: int, captured: dt.datetime, camp: str, first_language: str
    ) -> None:
        rng = self.rng
        transit = "transit-sumy" if "Kursk" in detainee.capture.place else "transit-zaporizhzhia"
        arrival = captured + dt.timedelta(days=1, hours=rng.randrange(0, 12))
        in_camp = arrival + dt.timedelta(days=rng.randrange(4, 12))
        leaves = self.handed_over_at if index in self.repatriated else self.as_of
        self.custody(detainee, CustodyEventKind.CAPTURE, captured)
        self.custody(detainee, CustodyEventKind.ARRIVAL, arrival, to=transit, quarters=detainee.quarters)
        self.custody(detainee, CustodyEventKind.TRANSFER, in_camp, to=camp, quarters=detainee.quarters)

        # Art. 70: a card on capture (offered on arrival at the transit point) and on transfer to the camp.
        offered = arrival + dt.timedelta(hours=2)
        self.capture_card(detainee, CaptureCardOccasion.CAPTURE, offered, sent=index != self.CARD_NOT_FORWARDED)
        if index != self.NO_TRANSFER_CARD:
            self.capture_card(detainee, CaptureCardOccasion.TRANSFER, in_camp + dt.timedelta(days=1))
        # Art. 122: the Information Bureau hears of his capture and of his transfer to the camp.
        late = index == self.CAPTURE_NOTIFIED_LATE
        self.notify(detainee, NotificationKind.CAPTURE, captured, dt.timedelta(days=10 if late else 2))
        if index != self.TRANSFER_NOT_NOTIFIED:
            self.notify(detainee, NotificationKind.TRANSFER, in_camp, dt.timedelta(days=2))

        self.save(
            MedicalAssessment(
                detainee=detainee,
                assessed_at=arrival + dt.timedelta(hours=3),
                kind=MedicalAssessmentKind.CAPTURE_SCREENING,
                assessed_by="Dr. Petro Hrytsenko",
                facility=self.facilities[transit],
                fit_for_questioning=True,
                can_speak=True,
                can_write=True,
                health_category=(
                    HealthCategory.SLIGHTLY_WOUNDED
                    if detainee.capture.wounded_at_capture
                    else HealthCategory.NOT_WOUNDED
                ),
                weight_kg=rng.randrange(62, 95),
            )
        )
        # Art. 31: monthly inspections with weight up to the load date (or his repatriation); for one man they
        # stopped about two months before it.
        until = leaves - dt.timedelta(days=45) if index == self.INSPECTIONS_STOPPED else leaves
        self.monthly_inspections(detainee, in_camp + dt.timedelta(days=20), until, camp, rng.randrange(62, 95))

        hospitalised = in_camp + dt.timedelta(days=40)
        if index % 9 == 4 and hospitalised + dt.timedelta(days=20) < leaves:
            back = hospitalised + dt.timedelta(days=12)
            self.custody(
                detainee,
                CustodyEventKind.HOSPITALISATION,
                hospitalised,
                to="kyiv-hospital",
                quarters=QuartersKind.MEDICAL,
                notes="Pneumonia.",
            )
            self.capture_card(detainee, CaptureCardOccasion.HOSPITALISATION, hospitalised + dt.timedelta(days=1))
            self.notify(detainee, NotificationKind.HOSPITALISATION, hospitalised, dt.timedelta(days=1))
            self.custody(detainee, CustodyEventKind.TRANSFER, back, to=camp, quarters=detainee.quarters)
            self.capture_card(detainee, CaptureCardOccasion.TRANSFER, back + dt.timedelta(days=1))
            self.notify(detainee, NotificationKind.TRANSFER, back, dt.timedelta(days=2))

        interpreter = self.interpreters[rng.choice(["ua-1", "ua-2", "ua-3"])]
        for session in range(rng.randrange(1, 3)):
            start = arrival + dt.timedelta(days=session * 2, hours=5)
            if first_language == "nep":
                # Deliberate gap: questioned in Russian, a language he does not understand, without an interpreter.
                interrogation = Interrogation(language="rus", notes="No Nepali interpreter available.")
                interpreters: list[Interpreter] = []
            elif first_language == "spa":
                interrogation = Interrogation(language="spa")
                interpreters = [self.interpreters["ua-eng"]]
            else:
                interrogation = Interrogation(language="rus")
                interpreters = [interpreter]
            interrogation.detainee = detainee
            interrogation.started_at = start
            interrogation.ended_at = start + dt.timedelta(minutes=rng.randrange(45, 180))
            interrogation.facility = self.facilities[transit]
            interrogation.conducted_by = rng.choice(["Maj. Kovalenko", "Capt. Hrytsak", "Lt. Sydorenko"])
            interrogation.conducting_authority = "Security Service of Ukraine (SBU)"
            interrogation.declined_beyond_identity = rng.random() < 0.2
            services.interrogation_save(actor=self.actor, interrogation=interrogation, interpreters=interpreters)

        wish_at = in_camp + dt.timedelta(days=rng.randrange(10, 60))
        if rng.random() < 0.6 and wish_at < leaves:
            wish = rng.choice([RepatriationWishChoice.WISHES_TO_RETURN] * 5 + [RepatriationWishChoice.UNDECIDED])
            services.repatriation_wish_record(
                actor=self.actor,
                wish=RepatriationWish(
                    detainee=detainee,
                    wish=wish,
                    recorded_at=wish_at,
                    recorded_by="Camp legal officer",
                    language=first_language,
                ),
                interpreters=[interpreter] if first_language == "rus" else [],
            )

    def load_visits(self) -> None:
        # ICRC visits to each camp about every three months over the demo's year, the last three weeks ago.
        for code in ("camp-lviv-1", "camp-volyn-2", "transit-sumy"):
            for quarter in range(5):
                visited = self.as_of - dt.timedelta(days=21 + 91 * quarter, hours=13)
                self.save(
                    Visit(
                        facility=self.facilities[code],
                        visiting_body=VisitingBody.ICRC,
                        requested_at=visited - dt.timedelta(days=11),
                        visited_at=visited,
                        granted=True,
                        private_interview=True,
                        interpreter_present=True,
                        delegates="ICRC delegation Kyiv",
                    )
                )
        # A visit refused for imperative military necessity (Art. 126(2)), allowed six weeks later.
        refused = self.as_of - dt.timedelta(days=150, hours=14)
        self.save(
            Visit(
                facility=self.facilities["transit-zaporizhzhia"],
                visiting_body=VisitingBody.ICRC,
                requested_at=refused,
                granted=False,
                denial_ground=DenialGround.IMPERATIVE_MILITARY_NECESSITY,
                denial_reason="Shelling of the area; access postponed.",
            )
        )
        self.save(
            Visit(
                facility=self.facilities["transit-zaporizhzhia"],
                visiting_body=VisitingBody.ICRC,
                requested_at=refused + dt.timedelta(days=35),
                visited_at=refused + dt.timedelta(days=42),
                granted=True,
                private_interview=True,
                interpreter_present=True,
                delegates="ICRC delegation Kyiv",
            )
        )

    def load_exchanges(self, rifleman: Detainee, sniper: Detainee, others: list[Detainee]) -> None:
        rng = self.rng
        ukrainians = iter(UKRAINIAN_SOLDIERS)

        def incoming(count: int) -> list[dict[str, Any]]:
            people = []
            for _ in range(count):
                family, given = next(ukrainians)
                people.append(
                    {
                        "family_name": family,
                        "given_names": given,
                        "service_number": f"UA-{rng.randrange(1000000, 9999999)}",
                        "date_of_birth": f"{rng.randrange(1975, 2003)}"
                        if rng.random() < 0.3
                        else f"{rng.randrange(1975, 2003)}-{rng.randrange(1, 13):02d}",
                        "verified": rng.random() < 0.5,
                    }
                )
            return people

        # The article's exchange: the two soldiers for Ukrainians held by Russia. Their wishes are not known yet
        # (the President said some may not wish to return), so no RepatriationWish is recorded for them.
        korean_exchange = services.exchange_save(
            actor=self.actor,
            proposal=ExchangeProposal(
                reference="EX-2025-0001",
                counterparty="RU",
                mediator="",
                proposed_on=dt.date(2025, 1, 12),
                notes="Proposed publicly by the President of Ukraine: the two North Korean soldiers for Ukrainian "
                "prisoners of war held in Russia.",
            ),
            outgoing=[rifleman, sniper],
            incoming=incoming(3),
        )
        services.exchange_transition(
            actor=self.actor, proposal=korean_exchange, to=ExchangeStatus.PROPOSED, comment="Announced on X."
        )

        # An agreed exchange; every man on it was asked, and one does not wish to return (Art. 118, non-refoulement).
        repatriated = [others[index] for index in sorted(self.repatriated)]
        held = [
            d
            for d in others
            if d.nationality == "RU" and d.status == DetaineeStatus.PRISONER_OF_WAR and d not in repatriated
        ]
        agreed_members = held[:8]
        reluctant = agreed_members[2]
        asked = self.as_of - dt.timedelta(days=30, hours=14)
        for member in agreed_members:
            if member is reluctant:
                continue
            services.repatriation_wish_record(
                actor=self.actor,
                wish=RepatriationWish(
                    detainee=member,
                    wish=RepatriationWishChoice.WISHES_TO_RETURN,
                    recorded_at=asked,
                    recorded_by="ICRC delegate",
                    language="rus",
                    third_party_present="ICRC delegate",
                ),
                interpreters=[self.interpreters["ua-1"]],
            )
        services.repatriation_wish_record(
            actor=self.actor,
            wish=RepatriationWish(
                detainee=reluctant,
                wish=RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN,
                recorded_at=asked,
                recorded_by="ICRC delegate",
                language="rus",
                third_party_present="ICRC delegate",
                statement="Fears prosecution for having surrendered.",
            ),
            interpreters=[self.interpreters["ua-2"]],
        )
        self.save(
            RiskAssessment(
                detainee=reluctant,
                started_at=asked + dt.timedelta(days=2),
                outcome=RiskAssessmentOutcome.IN_PROGRESS,
                assessed_by="Legal department",
            )
        )
        agreed = services.exchange_save(
            actor=self.actor,
            proposal=ExchangeProposal(
                reference=f"EX-{self.as_of.year}-0007",
                counterparty="RU",
                mediator="United Arab Emirates",
                proposed_on=(self.as_of - dt.timedelta(days=20)).date(),
            ),
            outgoing=agreed_members,
            incoming=incoming(6),
        )
        for status in (ExchangeStatus.PROPOSED, ExchangeStatus.AGREED):
            services.exchange_transition(actor=self.actor, proposal=agreed, to=status)

        # A completed exchange: three men repatriated two months ago.
        handed_over = self.handed_over_at
        completed = services.exchange_save(
            actor=self.actor,
            proposal=ExchangeProposal(
                reference=f"EX-{handed_over.year}-0005",
                counterparty="RU",
                mediator="United Arab Emirates",
                proposed_on=(handed_over - dt.timedelta(days=31)).date(),
            ),
            outgoing=repatriated,
            incoming=incoming(3),
        )
        for status in (
            ExchangeStatus.PROPOSED,
            ExchangeStatus.AGREED,
            ExchangeStatus.IN_PROGRESS,
            ExchangeStatus.COMPLETED,
        ):
            services.exchange_transition(actor=self.actor, proposal=completed, to=status)
        for member in ExchangeOutgoing.objects.filter(proposal=completed).select_related("detainee"):
            member.handed_over_at = handed_over
            self.save(member)
            services.repatriation_wish_record(
                actor=self.actor,
                wish=RepatriationWish(
                    detainee=member.detainee,
                    wish=RepatriationWishChoice.WISHES_TO_RETURN,
                    recorded_at=handed_over - dt.timedelta(days=27),
                    recorded_by="ICRC delegate",
                    language="rus",
                    third_party_present="ICRC delegate",
                ),
                interpreters=[self.interpreters["ua-1"]],
            )
            self.custody(member.detainee, CustodyEventKind.REPATRIATION, handed_over, to_power="RU")
            self.save(
                InformationNotification(
                    detainee=member.detainee,
                    kind=NotificationKind.REPATRIATION,
                    recipient=NotificationRecipient.CENTRAL_TRACING_AGENCY,
                    event_at=handed_over,
                    sent_at=handed_over + dt.timedelta(days=1),
                )
            )
        for person in completed.incoming.all():
            person.received_at = handed_over
            person.verified = True
            self.save(person)


class Command(BaseCommand):
    help = "Load the demo case file (the article's two soldiers and about 40 others). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        if Facility.objects.filter(code=MARKER_FACILITY_CODE).exists():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        # Each service call announces its change; in the embedded (eager) set-up every announcement runs a
        # compliance task at once, and Celery logs each one. The log lines say nothing here: keep them quiet.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        today = timezone.now().astimezone(dt.UTC).date()
        as_of = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
        # One transaction: the services' change announcements are merged and each detainee is re-evaluated once,
        # on commit, instead of after every one of the thousands of writes.
        with transaction.atomic():
            DemoLoader(self.stdout, as_of).load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo: {Detainee.objects.count()} detainees, {Facility.objects.count()} facilities, "
                f"{ExchangeProposal.objects.count()} exchange proposals."
            )
        )
