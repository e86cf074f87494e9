# ruff: noqa: RUF001 - names and document numbers are written in Cyrillic on purpose.
"""Load the demo case file: the two North Korean soldiers of the founding article, and ~40 others.

Everything is written through `powcases.services`, with fixed dates and a seeded random generator, so
two runs on two machines give the same record. The command is idempotent: once the demo is loaded
(recognised by its marker facility) a second run changes nothing.
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

# The demo's "today": every demo date lies on or before it, so the record reads the same whatever the clock.
AS_OF = dt.datetime(2025, 12, 15, 12, 0, tzinfo=dt.UTC)
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

    def __init__(self, stdout: Any) -> None:
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.actor = demo_loader_account()  # history shows who wrote the demo: the system, not a person
        self.facilities: dict[str, Facility] = {}
        self.interpreters: dict[str, Interpreter] = {}

    # --- building blocks -------------------------------------------------------------------------

    def facility(self, code: str, name: str, kind: str, region: str, *, languages: list[str], **extra: Any) -> Facility:
        facility = services.record_save(
            actor=self.actor,
            instance=Facility(code=code, name=name, kind=kind, country="UA", region=region, **extra),
        )
        for language in languages:
            services.record_save(
                actor=self.actor,
                instance=FacilityPostedText(
                    facility=facility, kind=PostedTextKind.CONVENTION, language=language, posted_on=dt.date(2024, 6, 1)
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
            out_of_combat_zone=True,
            capacity=600,
            opened_on=dt.date(2022, 4, 1),
        )
        self.facility(
            "camp-volyn-2",
            "Volyn region POW camp No. 2",
            FacilityKind.CAMP,
            "Volyn region",
            languages=["ukr", "rus"],
            out_of_combat_zone=True,
            capacity=400,
            opened_on=dt.date(2023, 2, 1),
        )
        self.facility(
            "transit-sumy",
            "Sumy transit point",
            FacilityKind.TRANSIT_CAMP,
            "Sumy region",
            languages=["ukr"],
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
            serving_since=2016,
            notes=(
                "One of the two soldiers of the founding article; the names here are pseudonymous. Carried no "
                "identity document. Jaw injury: answers in writing."
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
                at(2025, 1, 10, 18),
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
                notes="Request pending.",
            )
        )
        return rifleman, sniper

    def load_other_detainees(self) -> list[Detainee]:
        rng = self.rng
        others: list[Detainee] = []
        camps = ["camp-lviv-1", "camp-volyn-2"]
        for index in range(40):
            family, family_cyr = rng.choice(RUSSIAN_FAMILY_NAMES)
            given, given_cyr = rng.choice(RUSSIAN_GIVEN_NAMES)
            father = rng.choice(RUSSIAN_GIVEN_NAMES)[0]
            rank, category = rng.choice(RANKS)
            captured = at(2025, 2, 1, rng.randrange(5, 20)) + dt.timedelta(days=rng.randrange(0, 250))
            born_year = rng.randrange(1975, 2005)
            if index % 7 == 3:
                birth = str(born_year)  # only the year is known
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
            if index == 5:  # a minor: born 2008, year and month known; held apart from adults
                fields.update(
                    rank="Private",
                    rank_category=RankCategory.ENLISTED,
                    serving_since=2025,
                    quarters=QuartersKind.MINORS,
                    unit="Storm-Z detachment",
                )
                birth = "2008-03"
            if index in (11, 24):  # private military company fighters: status in doubt, tribunal pending
                fields.update(
                    status=DetaineeStatus.STATUS_IN_DOUBT,
                    unit="pmc 'Redut'",
                    rank="",
                    rank_category="unknown",
                    status_doubt_since=captured + dt.timedelta(days=3),
                    tribunal_outcome="pending",
                )
            if index == 17:  # a Nepali citizen recruited by Russia
                fields.update(
                    family_name="Gurung",
                    given_names="Bikash",
                    family_name_original="गुरुङ",
                    given_names_original="बिकास",
                    original_script="Deva",
                    nationality="NP",
                    place_of_birth="Pokhara",
                    father_first_name="Dil",
                    mother_maiden_name="",
                )
                languages = [
                    ("nep", {"is_native": True, "reads": True, "writes": True, "script": "Deva"}),
                    ("eng", {"speaks": True, "reads": True, "writes": False, "script": "Latn"}),
                ]
            if index == 29:  # a Cuban citizen recruited by Russia
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
            if rng.random() < 0.25:
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
                    evacuated_at=captured + dt.timedelta(hours=rng.randrange(6, 96)),
                )
            )
            for code, skills in languages:
                self.language(detainee, code, established_by=LanguageEvidence.SELF_DECLARED, **skills)
            self.load_custody_and_care(detainee, index, captured, camps[index % 2], languages[0][0])
        return others

    def load_custody_and_care(
        self, detainee: Detainee, index: int, captured: dt.datetime, camp: str, first_language: str
    ) -> None:
        rng = self.rng
        transit = "transit-sumy" if "Kursk" in detainee.capture.place else "transit-zaporizhzhia"
        arrival = captured + dt.timedelta(days=rng.randrange(1, 3))
        in_camp = arrival + dt.timedelta(days=rng.randrange(4, 15))
        self.custody(detainee, CustodyEventKind.CAPTURE, captured)
        self.custody(detainee, CustodyEventKind.ARRIVAL, arrival, to=transit, quarters=detainee.quarters)
        self.custody(detainee, CustodyEventKind.TRANSFER, in_camp, to=camp, quarters=detainee.quarters)
        if index % 9 == 4:
            self.custody(
                detainee,
                CustodyEventKind.HOSPITALISATION,
                in_camp + dt.timedelta(days=40),
                to="kyiv-hospital",
                quarters=QuartersKind.MEDICAL,
                notes="Pneumonia.",
            )

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
        # Monthly inspections (Art. 31); some months were missed, as happens.
        inspection = in_camp + dt.timedelta(days=30)
        weight = rng.randrange(62, 95)
        while inspection <= AS_OF:
            if rng.random() > 0.15:
                weight += rng.choice([-2, -1, 0, 0, 1])
                self.save(
                    MedicalAssessment(
                        detainee=detainee,
                        assessed_at=inspection,
                        kind=MedicalAssessmentKind.MONTHLY_INSPECTION,
                        assessed_by="Dr. Iryna Bondar",
                        facility=self.facilities[camp],
                        health_category=HealthCategory.GOOD,
                        weight_kg=weight,
                    )
                )
            inspection += dt.timedelta(days=rng.randrange(28, 34))

        interpreter = self.interpreters[rng.choice(["ua-1", "ua-2", "ua-3"])]
        for session in range(rng.randrange(1, 3)):
            start = arrival + dt.timedelta(days=session * 2, hours=5)
            if first_language == "nep":
                # Realistic gap: questioned in Russian, a language he does not understand, without an interpreter.
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

        roll = rng.random()
        if roll < 0.8:
            sent = arrival + dt.timedelta(days=rng.randrange(1, 6))
            self.save(
                CaptureCard(
                    detainee=detainee,
                    occasion=CaptureCardOccasion.CAPTURE,
                    offered_at=arrival,
                    completed_at=arrival + dt.timedelta(hours=6),
                    sent_to_family_at=sent,
                    sent_to_cta_at=sent,
                )
            )
        elif roll < 0.9:
            self.save(
                CaptureCard(
                    detainee=detainee,
                    occasion=CaptureCardOccasion.CAPTURE,
                    offered_at=arrival,
                    notes="Filled in; not yet sent.",
                )
            )
        for recipient in (NotificationRecipient.INFORMATION_BUREAU, NotificationRecipient.CENTRAL_TRACING_AGENCY):
            sent_at = captured + dt.timedelta(days=rng.randrange(1, 12)) if rng.random() < 0.9 else None
            self.save(
                InformationNotification(
                    detainee=detainee,
                    kind=NotificationKind.CAPTURE,
                    recipient=recipient,
                    event_at=captured,
                    sent_at=sent_at,
                )
            )
        if rng.random() < 0.6:
            wish = rng.choice([RepatriationWishChoice.WISHES_TO_RETURN] * 5 + [RepatriationWishChoice.UNDECIDED])
            services.repatriation_wish_record(
                actor=self.actor,
                wish=RepatriationWish(
                    detainee=detainee,
                    wish=wish,
                    recorded_at=in_camp + dt.timedelta(days=rng.randrange(10, 60)),
                    recorded_by="Camp legal officer",
                    language=first_language,
                ),
                interpreters=[interpreter] if first_language == "rus" else [],
            )

    def load_visits(self) -> None:
        for code in ("camp-lviv-1", "camp-volyn-2"):
            for month in (3, 6, 9):
                self.save(
                    Visit(
                        facility=self.facilities[code],
                        visiting_body=VisitingBody.ICRC,
                        requested_at=at(2025, month, 1),
                        visited_at=at(2025, month, 12),
                        granted=True,
                        private_interview=True,
                        interpreter_present=True,
                        delegates="ICRC delegation Kyiv",
                    )
                )
        self.save(
            Visit(
                facility=self.facilities["transit-zaporizhzhia"],
                visiting_body=VisitingBody.ICRC,
                requested_at=at(2025, 7, 2),
                granted=False,
                denial_ground=DenialGround.IMPERATIVE_MILITARY_NECESSITY,
                denial_reason="Shelling of the area; access postponed.",
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

        # An agreed exchange; one man on it does not wish to return (Art. 118 and non-refoulement).
        held = [d for d in others if d.nationality == "RU" and d.status == DetaineeStatus.PRISONER_OF_WAR]
        agreed_members = held[:8]
        reluctant = agreed_members[2]
        services.repatriation_wish_record(
            actor=self.actor,
            wish=RepatriationWish(
                detainee=reluctant,
                wish=RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN,
                recorded_at=at(2025, 11, 20),
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
                started_at=at(2025, 11, 22),
                outcome=RiskAssessmentOutcome.IN_PROGRESS,
                assessed_by="Legal department",
            )
        )
        agreed = services.exchange_save(
            actor=self.actor,
            proposal=ExchangeProposal(
                reference="EX-2025-0007",
                counterparty="RU",
                mediator="United Arab Emirates",
                proposed_on=dt.date(2025, 11, 10),
            ),
            outgoing=agreed_members,
            incoming=incoming(6),
        )
        for status in (ExchangeStatus.PROPOSED, ExchangeStatus.AGREED):
            services.exchange_transition(actor=self.actor, proposal=agreed, to=status)

        # A completed exchange: three men repatriated.
        completed_members = held[8:11]
        completed = services.exchange_save(
            actor=self.actor,
            proposal=ExchangeProposal(
                reference="EX-2025-0005",
                counterparty="RU",
                mediator="United Arab Emirates",
                proposed_on=dt.date(2025, 9, 1),
            ),
            outgoing=completed_members,
            incoming=incoming(3),
        )
        for status in (
            ExchangeStatus.PROPOSED,
            ExchangeStatus.AGREED,
            ExchangeStatus.IN_PROGRESS,
            ExchangeStatus.COMPLETED,
        ):
            services.exchange_transition(actor=self.actor, proposal=completed, to=status)
        handed_over = at(2025, 10, 2, 11)
        for member in ExchangeOutgoing.objects.filter(proposal=completed).select_related("detainee"):
            member.handed_over_at = handed_over
            self.save(member)
            services.repatriation_wish_record(
                actor=self.actor,
                wish=RepatriationWish(
                    detainee=member.detainee,
                    wish=RepatriationWishChoice.WISHES_TO_RETURN,
                    recorded_at=at(2025, 9, 5),
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
        with transaction.atomic():
            DemoLoader(self.stdout).load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo: {Detainee.objects.count()} detainees, {Facility.objects.count()} facilities, "
                f"{ExchangeProposal.objects.count()} exchange proposals."
            )
        )
