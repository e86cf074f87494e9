# ruff: noqa: RUF001, E501 - label tables hold Cyrillic and Hangul sentences on purpose
"""The Annex IV B capture card, the Art. 17(3) identity card and the Art. 17 notice of rights, from a detainee's record.

Languages: a card carries the detaining power's language (settings.DETAINING_POWER_LANGUAGE) and the
prisoner's own (the first language he reads, native languages first), as Annex IV B's model card is printed in
two or three languages. Labels live in the small tables below (ISO 639-3 keys); a language without a table
falls back to English and the view says so.

Sources checked with the search tool (stored copies of the ICRC text): Art. 17 paragraphs (1)-(6) as numbered
in the ICRC's 2020 Commentary; Art. 70 (the card informs the relatives of capture, address and state of health);
Art. 78 (complaints and requests). The Annex IV B model card itself is an image in the stored copies, so its
field list follows LAW.md (Annex IV B), marked there as not verified word for word.

Nothing is invented: a field the record does not hold is printed empty, for the prisoner to complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.conf import settings

from powcases.models import Detainee, MedicalAssessment

from .selectors import MEDICAL_PERMISSION

CARD_LANGUAGES = ("ukr", "kor", "rus", "eng")
FALLBACK_LANGUAGE = "eng"

# Capture card (GCIII Annex IV B) and identity card (Art. 17(3)) labels.
LABELS: dict[str, dict[str, str]] = {
    "eng": {
        "language_name": "English",
        "capture_card": "Capture card for prisoner of war",
        "addressee": "Central Prisoners of War Agency (ICRC Central Tracing Agency)",
        "addressee_city": "Geneva, Switzerland",
        "instructions": "Write legibly and in block letters. Strike out what is not applicable. Do not add any remarks.",
        "power": "Power on which the prisoner depends",
        "surname": "Surname",
        "first_names": "First names",
        "father": "First name of father",
        "date_of_birth": "Date of birth",
        "place_of_birth": "Place of birth",
        "rank": "Rank",
        "service_number": "Service number",
        "next_of_kin": "Address of next of kin",
        "taken_prisoner": "Taken prisoner on",
        "coming_from": "or coming from (camp No., hospital, etc.)",
        "health": "State of health",
        "present_address": "My present address",
        "pow_number": "Prisoner of war No.",
        "camp": "Name of camp",
        "date": "Date",
        "signature": "Signature",
        "identity_card": "Identity card",
        "identity_card_note": "To be shown on demand; it may never be taken away from the holder (GCIII Art. 17(3)).",
        "serial_number": "Serial number (or equivalent)",
        "fingerprints": "Fingerprints",
        "prisoner_of_war": "Prisoner of war",
    },
    "ukr": {
        "language_name": "Українська",
        "capture_card": "Картка про взяття в полон військовополоненого",
        "addressee": "Центральне агентство у справах військовополонених (Центральне агентство з розшуку МКЧХ)",
        "addressee_city": "Женева, Швейцарія",
        "instructions": "Пишіть розбірливо, друкованими літерами. Непотрібне закресліть. Не додавайте жодних зауважень.",
        "power": "Держава, до якої належить військовополонений",
        "surname": "Прізвище",
        "first_names": "Ім'я (імена)",
        "father": "Ім'я батька",
        "date_of_birth": "Дата народження",
        "place_of_birth": "Місце народження",
        "rank": "Військове звання",
        "service_number": "Особистий номер",
        "next_of_kin": "Адреса найближчих родичів",
        "taken_prisoner": "Узятий у полон (дата)",
        "coming_from": "або прибув з (табір №, шпиталь тощо)",
        "health": "Стан здоров'я",
        "present_address": "Моя теперішня адреса",
        "pow_number": "Номер військовополоненого",
        "camp": "Назва табору",
        "date": "Дата",
        "signature": "Підпис",
        "identity_card": "Посвідчення особи",
        "identity_card_note": "Пред'являється на вимогу; у власника його в жодному разі не можна відбирати (ЖК III, ст. 17, п. 3).",
        "serial_number": "Особистий номер",
        "fingerprints": "Відбитки пальців",
        "prisoner_of_war": "Військовополонений",
    },
    "rus": {
        "language_name": "Русский",
        "capture_card": "Карточка о взятии в плен военнопленного",
        "addressee": "Центральное агентство по делам военнопленных (Центральное агентство по розыску МККК)",
        "addressee_city": "Женева, Швейцария",
        "instructions": "Пишите разборчиво, печатными буквами. Ненужное зачеркните. Никаких замечаний не добавляйте.",
        "power": "Держава, от которой зависит военнопленный",
        "surname": "Фамилия",
        "first_names": "Имя (имена)",
        "father": "Имя отца",
        "date_of_birth": "Дата рождения",
        "place_of_birth": "Место рождения",
        "rank": "Воинское звание",
        "service_number": "Личный номер",
        "next_of_kin": "Адрес ближайших родственников",
        "taken_prisoner": "Взят в плен (дата)",
        "coming_from": "или прибыл из (лагерь №, госпиталь и т. д.)",
        "health": "Состояние здоровья",
        "present_address": "Мой настоящий адрес",
        "pow_number": "Номер военнопленного",
        "camp": "Название лагеря",
        "date": "Дата",
        "signature": "Подпись",
        "identity_card": "Удостоверение личности",
        "identity_card_note": "Предъявляется по требованию; ни в коем случае не может быть отобрано у владельца (ЖК III, ст. 17, п. 3).",
        "serial_number": "Личный номер",
        "fingerprints": "Отпечатки пальцев",
        "prisoner_of_war": "Военнопленный",
    },
    "kor": {
        "language_name": "한국어",
        "capture_card": "전쟁포로 포획 카드",
        "addressee": "중앙포로정보국 (국제적십자위원회 중앙추적국)",
        "addressee_city": "스위스 제네바",
        "instructions": "또박또박 정자로 쓰십시오. 해당하지 않는 것은 지우십시오. 다른 말은 덧붙이지 마십시오.",
        "power": "포로가 속한 국가",
        "surname": "성",
        "first_names": "이름",
        "father": "아버지의 이름",
        "date_of_birth": "생년월일",
        "place_of_birth": "출생지",
        "rank": "계급",
        "service_number": "군번",
        "next_of_kin": "가장 가까운 가족의 주소",
        "taken_prisoner": "포로가 된 날짜",
        "coming_from": "또는 이전 장소 (수용소 번호, 병원 등)",
        "health": "건강 상태",
        "present_address": "나의 현재 주소",
        "pow_number": "포로 번호",
        "camp": "수용소 이름",
        "date": "날짜",
        "signature": "서명",
        "identity_card": "신분증명서",
        "identity_card_note": "요구가 있으면 보여 주어야 하며, 어떠한 경우에도 소지자에게서 빼앗을 수 없습니다 (제3협약 제17조 제3항).",
        "serial_number": "군번",
        "fingerprints": "지문",
        "prisoner_of_war": "전쟁포로",
    },
}

# The health states printed on the Annex IV B card (powcases.choices.HealthCategory values).
HEALTH_LABELS: dict[str, dict[str, str]] = {
    "eng": {
        "good": "good",
        "not_wounded": "not wounded",
        "recovered": "recovered",
        "convalescent": "convalescent",
        "sick": "sick",
        "slightly_wounded": "slightly wounded",
        "seriously_wounded": "seriously wounded",
    },
    "ukr": {
        "good": "добрий",
        "not_wounded": "не поранений",
        "recovered": "одужав",
        "convalescent": "одужує",
        "sick": "хворий",
        "slightly_wounded": "легко поранений",
        "seriously_wounded": "тяжко поранений",
    },
    "rus": {
        "good": "хорошее",
        "not_wounded": "не ранен",
        "recovered": "выздоровел",
        "convalescent": "выздоравливает",
        "sick": "болен",
        "slightly_wounded": "легко ранен",
        "seriously_wounded": "тяжело ранен",
    },
    "kor": {
        "good": "양호",
        "not_wounded": "부상 없음",
        "recovered": "회복됨",
        "convalescent": "회복 중",
        "sick": "병중",
        "slightly_wounded": "경상",
        "seriously_wounded": "중상",
    },
}
HEALTH_ORDER = ("good", "not_wounded", "recovered", "convalescent", "sick", "slightly_wounded", "seriously_wounded")

# The notice of rights and duties when questioned (GCIII Art. 17), paragraph by paragraph, plus Art. 78.
NOTICE: dict[str, dict[str, Any]] = {
    "eng": {
        "title": "Your rights and duties when you are questioned",
        "source": "Third Geneva Convention of 1949 (prisoners of war), Article 17",
        "intro": "You are a prisoner of war. The Convention gives you these rights and duties when you are questioned:",
        "items": [
            (
                "17(1)",
                "When questioned, you are bound to give only your surname, first names, rank, date of birth, "
                "and army, regimental, personal or serial number, or, failing this, equivalent information.",
            ),
            (
                "17(2)",
                "If you wilfully refuse to give these items, the privileges of your rank or status may be restricted.",
            ),
            (
                "17(4)",
                "No physical or mental torture, nor any other form of coercion, may be inflicted on you to obtain "
                "information of any kind whatever.",
            ),
            (
                "17(4)",
                "If you refuse to answer any other question, you may not be threatened, insulted, or exposed to "
                "any unpleasant or disadvantageous treatment of any kind.",
            ),
            ("17(6)", "You must be questioned in a language you understand."),
            ("17(3)", "You must show your identity card on demand, but it may never be taken away from you."),
            (
                "17(5)",
                "If your physical or mental condition prevents you from stating your identity, you will be handed "
                "over to the medical service.",
            ),
        ],
        "complaints": "You may make requests and complaints about your conditions of captivity to the authorities "
        "holding you and to the representatives of the Protecting Power (Art. 78).",
        "article": "Art.",
    },
    "ukr": {
        "title": "Ваші права та обов'язки під час допиту",
        "source": "Третя Женевська конвенція 1949 року (про поводження з військовополоненими), стаття 17",
        "intro": "Ви — військовополонений. Конвенція надає вам такі права та покладає такі обов'язки під час допиту:",
        "items": [
            (
                "17(1)",
                "Під час допиту ви зобов'язані повідомити лише своє прізвище, ім'я, військове звання, дату "
                "народження та армійський, полковий, особистий або службовий номер, а за його відсутності — "
                "рівноцінні відомості.",
            ),
            (
                "17(2)",
                "Якщо ви навмисно відмовитеся повідомити ці відомості, привілеї, належні вам за званням або "
                "статусом, можуть бути обмежені.",
            ),
            (
                "17(4)",
                "До вас не можна застосовувати ні фізичних, ні психічних катувань, ні будь-якої іншої форми "
                "примусу, щоб отримати відомості будь-якого роду.",
            ),
            (
                "17(4)",
                "Якщо ви відмовляєтеся відповідати на інші запитання, вам не можна погрожувати, вас не можна "
                "ображати чи піддавати неприємному або невигідному поводженню будь-якого роду.",
            ),
            ("17(6)", "Допит має проводитися мовою, яку ви розумієте."),
            (
                "17(3)",
                "Ви зобов'язані пред'являти посвідчення особи на вимогу, але його в жодному разі не можна у вас відбирати.",
            ),
            (
                "17(5)",
                "Якщо через фізичний або психічний стан ви не можете повідомити відомості про свою особу, вас "
                "передадуть медичній службі.",
            ),
        ],
        "complaints": "Ви можете звертатися з проханнями та скаргами щодо умов полону до органів влади, які вас "
        "утримують, і до представників держави-покровительки (ст. 78).",
        "article": "ст.",
    },
    "rus": {
        "title": "Ваши права и обязанности при допросе",
        "source": "Третья Женевская конвенция 1949 года (об обращении с военнопленными), статья 17",
        "intro": "Вы — военнопленный. Конвенция даёт вам следующие права и возлагает следующие обязанности при допросе:",
        "items": [
            (
                "17(1)",
                "При допросе вы обязаны сообщить только свою фамилию, имя, воинское звание, дату рождения и "
                "армейский, полковой, личный или порядковый номер, а при его отсутствии — равноценные сведения.",
            ),
            (
                "17(2)",
                "Если вы умышленно откажетесь сообщить эти сведения, преимущества, положенные вам по званию или "
                "статусу, могут быть ограничены.",
            ),
            (
                "17(4)",
                "К вам нельзя применять ни физических, ни психических пыток, ни какой-либо другой формы "
                "принуждения, чтобы получить сведения любого рода.",
            ),
            (
                "17(4)",
                "Если вы отказываетесь отвечать на другие вопросы, вам нельзя угрожать, вас нельзя оскорблять "
                "или подвергать неприятному или невыгодному обращению любого рода.",
            ),
            ("17(6)", "Допрос должен вестись на понятном вам языке."),
            (
                "17(3)",
                "Вы обязаны предъявлять удостоверение личности по требованию, но его ни в коем случае нельзя у вас отбирать.",
            ),
            (
                "17(5)",
                "Если из-за физического или психического состояния вы не можете сообщить сведения о своей "
                "личности, вас передадут медицинской службе.",
            ),
        ],
        "complaints": "Вы можете обращаться с просьбами и жалобами на условия плена к властям, которые вас содержат, "
        "и к представителям державы-покровительницы (ст. 78).",
        "article": "ст.",
    },
    "kor": {
        "title": "신문을 받을 때 귀하의 권리와 의무",
        "source": "1949년 제3차 제네바 협약 (포로의 대우에 관한 협약) 제17조",
        "intro": "귀하는 전쟁포로입니다. 신문을 받을 때 협약은 귀하에게 다음과 같은 권리와 의무를 줍니다:",
        "items": [
            (
                "17(1)",
                "신문을 받을 때 귀하가 밝혀야 하는 것은 성, 이름, 계급, 생년월일, 그리고 군번(또는 이에 "
                "해당하는 정보)뿐입니다.",
            ),
            ("17(2)", "이 사항들을 고의로 밝히지 않으면 귀하의 계급이나 신분에 따른 특권이 제한될 수 있습니다."),
            (
                "17(4)",
                "어떠한 정보를 얻기 위해서도 귀하에게 육체적·정신적 고문이나 그 밖의 어떠한 형태의 강압도 "
                "가할 수 없습니다.",
            ),
            (
                "17(4)",
                "그 밖의 질문에 답하기를 거부하더라도 귀하를 위협하거나 모욕하거나, 어떠한 종류의 불쾌하거나 "
                "불리한 대우도 할 수 없습니다.",
            ),
            ("17(6)", "신문은 귀하가 이해하는 언어로 해야 합니다."),
            (
                "17(3)",
                "요구가 있으면 신분증명서를 보여 주어야 하지만, 어떠한 경우에도 이를 귀하에게서 빼앗을 수 없습니다.",
            ),
            ("17(5)", "몸이나 정신의 상태 때문에 신원을 밝힐 수 없으면 의료 기관에 인계됩니다."),
        ],
        "complaints": "귀하는 억류 조건에 관하여 귀하를 억류하고 있는 당국과 이익보호국 대표에게 요청과 불만을 "
        "제기할 수 있습니다 (제78조).",
        "article": "제",
    },
}


def article_ref(lang: str, paragraph: str) -> str:
    """'17(4)' as a reader of the language would cite it."""
    article, _, rest = paragraph.partition("(")
    para = rest.rstrip(")")
    if lang == "kor":
        return f"제{article}조 제{para}항"
    if lang in ("ukr", "rus"):
        return f"ст. {article}, п. {para}"
    return f"Art. {paragraph}"


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_3=code) if code else None
    return language.name if language else code


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code
    return f"{getattr(country, 'common_name', None) or country.name} ({code})"


def prisoner_language(languages: list[Any]) -> str:
    """The prisoner's own language for his card: the first he reads (native first), else the first he understands."""
    for skill in languages:
        if skill.reads:
            return skill.language
    for skill in languages:
        if skill.understands:
            return skill.language
    return ""


@dataclass
class CardLanguages:
    """The languages a card is printed in, and why (for the person printing it, not on the card)."""

    primary: str
    secondary: str
    prisoner_language: str
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [self.primary] if self.secondary == self.primary else [self.primary, self.secondary]


def card_languages(detainee_languages: list[Any], requested: str = "") -> CardLanguages:
    """Detaining power's language first, then the prisoner's (or the requested one), with fallbacks explained."""
    notes: list[str] = []
    primary = settings.DETAINING_POWER_LANGUAGE
    if primary not in LABELS:
        notes.append(
            f"No card labels for the detaining power's language {language_name(primary)} ({primary}); English used."
        )
        primary = FALLBACK_LANGUAGE
    own = prisoner_language(detainee_languages)
    wanted = requested or own
    if requested and requested not in LABELS:
        notes.append(f"No card labels for {language_name(requested)} ({requested}).")
        wanted = own
    if not wanted:
        notes.append("No language is recorded for this prisoner; the card uses English as its second language.")
        secondary = FALLBACK_LANGUAGE
    elif wanted not in LABELS:
        notes.append(
            f"The prisoner reads {language_name(wanted)} ({wanted}), for which there are no card labels yet; "
            "English is used as the second language. Ask an interpreter to translate the card."
        )
        secondary = FALLBACK_LANGUAGE
    else:
        secondary = wanted
    if secondary == primary and primary != FALLBACK_LANGUAGE:
        secondary = FALLBACK_LANGUAGE
    return CardLanguages(primary=primary, secondary=secondary, prisoner_language=own, notes=notes)


def _bilingual(codes: list[str]) -> dict[str, list[tuple[str, str]]]:
    """label key -> [(language, text), ...] in card order."""
    return {key: [(code, LABELS[code][key]) for code in codes] for key in LABELS["eng"]}


def _rows(codes: list[str], values: dict[str, str], keys: list[str]) -> list[tuple[list[tuple[str, str]], str]]:
    """(bilingual label, value) pairs in card order."""
    return [([(code, LABELS[code][key]) for code in codes], values[key]) for key in keys]


def _name(romanised: str, original: str) -> str:
    if original and romanised:
        return f"{romanised} ({original})"
    return romanised or original


def _load_detainee(detainee_id: int) -> Detainee:
    return (
        Detainee.objects.select_related("current_facility", "capture").prefetch_related("languages").get(pk=detainee_id)
    )


def _capture_date(detainee: Detainee) -> str:
    try:
        capture = detainee.capture
    except Detainee.capture.RelatedObjectDoesNotExist:
        return ""
    return capture.captured_at.date().isoformat() if capture and capture.captured_at else ""


def capture_card_context(detainee_id: int, *, user: Any, requested_language: str = "") -> dict[str, Any]:
    """Everything the Annex IV B card template shows, filled from the record; blanks where the record is silent."""
    detainee = _load_detainee(detainee_id)
    langs = card_languages(list(detainee.languages.all()), requested_language)
    health = ""
    if user.has_perm(MEDICAL_PERMISSION):
        latest = (
            MedicalAssessment.objects.filter(detainee=detainee)
            .exclude(health_category="")
            .order_by("-assessed_at")
            .first()
        )
        health = latest.health_category if latest else ""
    else:
        langs.notes.append("The state of health is left blank: your role does not include medical details.")
    next_of_kin = ", ".join(p for p in (detainee.next_of_kin_name, detainee.next_of_kin_address) if p)
    values = {
        "power": country_name(detainee.power_depends_on),
        "surname": _name(detainee.family_name.upper(), detainee.family_name_original),
        "first_names": _name(detainee.given_names, detainee.given_names_original),
        "father": detainee.father_first_name,
        "date_of_birth": detainee.birth_date_display,
        "place_of_birth": detainee.place_of_birth,
        "rank": detainee.rank,
        "service_number": detainee.service_number,
        "next_of_kin": next_of_kin,
        "taken_prisoner": _capture_date(detainee),
        "coming_from": "",
        "pow_number": detainee.case_number,
        "camp": detainee.current_facility.name if detainee.current_facility_id else "",
        "date": "",
        "signature": "",
    }
    health_options = [
        {"value": h, "selected": h == health, "labels": [(c, HEALTH_LABELS[c][h]) for c in langs.codes]}
        for h in HEALTH_ORDER
    ]
    return {
        "detainee": detainee,
        "languages": langs,
        "labels": _bilingual(langs.codes),
        "values": values,
        "health": health,
        "health_options": health_options,
        "rows": _rows(
            langs.codes,
            values,
            [
                "power",
                "surname",
                "first_names",
                "father",
                "date_of_birth",
                "place_of_birth",
                "rank",
                "service_number",
                "next_of_kin",
            ],
        ),
    }


def identity_card_context(detainee_id: int, *, requested_language: str = "") -> dict[str, Any]:
    """The Art. 17(3) identity card: surname, first names, rank, serial number, date of birth (partial as recorded)."""
    detainee = _load_detainee(detainee_id)
    langs = card_languages(list(detainee.languages.all()), requested_language)
    values = {
        "surname": _name(detainee.family_name.upper(), detainee.family_name_original),
        "first_names": _name(detainee.given_names, detainee.given_names_original),
        "rank": detainee.rank,
        "serial_number": detainee.service_number,
        "date_of_birth": detainee.birth_date_display,
    }
    return {
        "detainee": detainee,
        "languages": langs,
        "labels": _bilingual(langs.codes),
        "values": values,
        "rows": _rows(langs.codes, values, ["surname", "first_names", "rank", "serial_number", "date_of_birth"]),
    }


def rights_notice_context(detainee_id: int, *, requested_language: str = "") -> dict[str, Any]:
    """The Art. 17 notice in the prisoner's language, followed by the detaining power's (or English) for the officer."""
    detainee = _load_detainee(detainee_id)
    notes: list[str] = []
    own = prisoner_language(list(detainee.languages.all()))
    lang = requested_language or own
    if requested_language and requested_language not in NOTICE:
        notes.append(f"No notice text in {language_name(requested_language)} ({requested_language}).")
        lang = own
    if lang not in NOTICE:
        if lang:
            notes.append(
                f"No notice text in {language_name(lang)} ({lang}), the prisoner's language; English is shown. "
                "Art. 17(6) requires questioning in a language he understands: have it read to him by an interpreter."
            )
        else:
            notes.append("No language is recorded for this prisoner; English is shown.")
        lang = FALLBACK_LANGUAGE

    def block(code: str) -> dict[str, Any]:
        text = NOTICE[code]
        return {
            "code": code,
            "title": text["title"],
            "source": text["source"],
            "intro": text["intro"],
            "items": [(article_ref(code, para), body) for para, body in text["items"]],
            "complaints": text["complaints"],
        }

    # His language first; then the detaining power's, so the officer reads what was handed over.
    officer_language = settings.DETAINING_POWER_LANGUAGE if settings.DETAINING_POWER_LANGUAGE in NOTICE else "eng"
    second = officer_language if officer_language != lang else FALLBACK_LANGUAGE
    blocks = [block(lang)] if second == lang else [block(lang), block(second)]
    return {
        "detainee": detainee,
        "language": lang,
        "blocks": blocks,
        "notes": notes,
        "generated_on": dt.date.today().isoformat(),
    }
