"""Short notices in the person's language on letters (FL 13 §; DOMAIN.md §5).

When a person's preferred language is recorded and is not Swedish, every decision letter
(and avvisnings- and omprövningsbeslut) carries beside the binding Swedish text a short
notice in that language: what the letter is, that it contains a decision, that it can be
appealed within three weeks, that an interpreter is offered free of charge, and whom to
call. The texts are translation catalogues, one TOML file per language in
``cases/letter_notices/`` – data a municipality corrects without touching code: a folder
named by ``VAGEN_LETTER_NOTICE_DIR`` holds its own versions, file by file, which win over
the shipped ones. Files rather than database rows: a translation is reviewed like code
(by a certified translator, then in the repository's history), and a letter already sent
keeps its text anyway, because the letter is stored as sent.

The person's language is free text ("arabiska, behöver tolk", "Arabic", "ar"); it is
matched against each catalogue's names and codes (``notice_for``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

CATALOGUE_DIR = Path(__file__).resolve().parent / "letter_notices"
SWEDISH = {"svenska", "swedish", "sv", "swe", "svensk"}
PLACEHOLDER = re.compile(r"\{(kommun|telefon)\}")
# A Swedish term in the translation, "(ekonomiskt bistånd)": kept as one left-to-right
# run on one line, so right-to-left text does not split it around a line break.
SWEDISH_TERM = re.compile(r"(\([A-Za-zÅÄÖÉåäöé][A-Za-zÅÄÖÉåäöé ]*\))")
REQUIRED_KEYS = ("code", "lang", "dir", "name", "aliases", "heading", "text", "call")


@dataclass(frozen=True)
class LanguageNotice:
    code: str  # catalogue name, e.g. "ar", "bs-hr-sr"
    lang: str  # BCP 47 tag for the HTML lang attribute
    dir: str  # "rtl" or "ltr"
    name: str  # the language's Swedish name, for the caseworker
    aliases: tuple[str, ...]
    heading: str
    text: str
    call: str
    needs_review: bool


def _normalise(value: str) -> str:
    return " ".join(value.casefold().replace("-", " ").split())


def _load(path: Path) -> LanguageNotice:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise ValueError(f"{path.name}: missing {', '.join(missing)}")
    if data["dir"] not in ("ltr", "rtl"):
        raise ValueError(f"{path.name}: dir must be ltr or rtl")
    return LanguageNotice(
        code=data["code"],
        lang=data["lang"],
        dir=data["dir"],
        name=data["name"],
        aliases=tuple(_normalise(a) for a in data["aliases"]),
        heading=data["heading"].strip(),
        text=" ".join(data["text"].split()),
        call=" ".join(data["call"].split()),
        needs_review=bool(data.get("needs_review", True)),
    )


@lru_cache(maxsize=4)
def _catalogue(override_dir: str) -> dict[str, LanguageNotice]:
    files = {path.stem: path for path in sorted(CATALOGUE_DIR.glob("*.toml"))}
    if override_dir:
        files.update({path.stem: path for path in sorted(Path(override_dir).glob("*.toml"))})
    return {stem: _load(path) for stem, path in files.items()}


def catalogue() -> dict[str, LanguageNotice]:
    """Every notice, by code: the shipped files, each replaced by the municipality's own
    file of the same name in ``VAGEN_LETTER_NOTICE_DIR``."""
    return _catalogue(str(getattr(settings, "VAGEN_LETTER_NOTICE_DIR", "") or ""))


def _candidates(preferred_language: str) -> list[str]:
    """ "arabiska, behöver tolk" → ["arabiska", "behöver tolk", "behöver"], in order: the
    parts between separators, then each part's first word."""
    parts = [p for p in re.split(r"[,;/()+&]|\boch\b|\band\b", preferred_language) if p.strip()]
    normalised = [_normalise(p) for p in parts]
    return normalised + [p.split()[0] for p in normalised if p]


def is_swedish(preferred_language: str) -> bool:
    candidates = _candidates(preferred_language)
    return not candidates or candidates[0] in SWEDISH


def notice_for(preferred_language: str) -> LanguageNotice | None:
    """The notice for a recorded language, or None: for Swedish, an empty field and a
    language with no catalogue (the decision page says so)."""
    if is_swedish(preferred_language or ""):
        return None
    by_alias = {alias: notice for notice in catalogue().values() for alias in notice.aliases}
    for candidate in _candidates(preferred_language):
        if candidate in by_alias:
            return by_alias[candidate]
    return None


def contact_phone(case) -> str:
    """Whom to call: the unit's phone when the unit records one, else the setting."""
    unit = getattr(case, "unit", None)
    return (getattr(unit, "phone", "") or "").strip() or settings.VAGEN_CONTACT_PHONE.strip()


def _fill(text: str, values: dict[str, str]) -> SafeString:
    """The catalogue text, escaped, with {kommun} and {telefon} filled in as isolated
    left-to-right runs (a phone number inside Arabic text keeps its digit order)."""
    pieces = []
    for i, piece in enumerate(PLACEHOLDER.split(text)):
        if i % 2:
            pieces.append(format_html('<bdi dir="ltr">{}</bdi>', values[piece]))
        else:
            for j, part in enumerate(SWEDISH_TERM.split(piece)):
                pieces.append(
                    format_html('<bdi dir="ltr">{}</bdi>', part)
                    if j % 2
                    else conditional_escape(part)
                )
    return mark_safe("".join(pieces))  # noqa: S308 – every piece escaped above


@dataclass(frozen=True)
class RenderedNotice:
    notice: LanguageNotice
    heading: str
    text: SafeString
    call: SafeString | None

    @property
    def lang(self) -> str:
        return self.notice.lang

    @property
    def dir(self) -> str:
        return self.notice.dir

    @property
    def name(self) -> str:
        return self.notice.name


def notices_for_people(*people) -> list[LanguageNotice]:
    """The notices for the letter's recipients, each language once."""
    found: dict[str, LanguageNotice] = {}
    for person in people:
        if person is None:
            continue
        notice = notice_for(person.preferred_language)
        if notice is not None:
            found.setdefault(notice.code, notice)
    return list(found.values())


def notice_codes(*people) -> str:
    """What a stored letter records: the codes of the notices it carried."""
    return ",".join(notice.code for notice in notices_for_people(*people))


def language_notice_context(applicant, co_applicant, case) -> dict:
    """The letter's context for ``pdf/_language_notice.html``."""
    phone = contact_phone(case)
    values = {"kommun": settings.VAGEN_MUNICIPALITY_NAME, "telefon": phone}
    rendered = [
        RenderedNotice(
            notice=notice,
            heading=notice.heading,
            text=_fill(notice.text, values),
            call=_fill(notice.call, values) if phone else None,
        )
        for notice in notices_for_people(applicant, co_applicant)
    ]
    return {"language_notices": rendered}


def describe(codes: str) -> list[str]:
    """Swedish names of the notices a stored letter carried (for the decision page)."""
    notices = catalogue()
    return [notices[code].name if code in notices else code for code in codes.split(",") if code]


def unmatched_language(person) -> str:
    """The person's recorded language when it is not Swedish and no notice matches it –
    the caseworker must arrange a translation or interpreter another way."""
    language = (person.preferred_language or "").strip()
    if not language or is_swedish(language) or notice_for(language) is not None:
        return ""
    return language
