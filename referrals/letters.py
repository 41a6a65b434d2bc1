"""The referral letter (remissbrev) to the provider: only what the person agreed to share.

``letter_snapshot`` copies, at the moment of consent, the person's shared personal details
and the provider's address (records change later; the letter that was sent should not –
DESIGN.md "Documents"). The rest of the letter is the referral's own text, which no
service changes, and the kartläggning version it builds on, which never changes.

``letter_context`` is the one place that decides what the letter shows: every optional
section is present only when its field is in ``referral.shared_fields`` (OSL 26 kap. 1 §,
consent per field OSL 12 kap. 2 §). The address of a person with protected identity is
never copied (DOMAIN.md §8).
"""

from typing import Any

from cases.models import Person
from referrals.models import LETTER_FIELDS, Referral

LETTER_FIELD_LABELS = dict(LETTER_FIELDS)


def letter_snapshot(person: Person, shared: list[str] | set[str], provider) -> dict[str, Any]:
    """What the letter keeps from records that may change later: the recipient's
    address, and the person's details that are shared (and only those)."""
    snapshot: dict[str, Any] = {"recipient_lines": [provider.name, *provider.address_lines]}
    if "identity" in shared:
        snapshot["name"] = person.full_name
        snapshot["identity"] = person.identity_display
    if "contact" in shared:
        snapshot["phone"] = person.phone
        snapshot["email"] = person.email
    if "address" in shared and not person.is_protected:
        snapshot["address_lines"] = [
            line
            for line in (person.street_address, f"{person.postal_code} {person.city}".strip())
            if line
        ]
    if "language" in shared:
        snapshot["language"] = person.preferred_language
        snapshot["interpreter"] = person.needs_interpreter
    return snapshot


def letter_context(referral: Referral) -> dict[str, Any]:
    """What the letter template may show. Sections not consented to are absent – not
    empty, absent – so no template mistake can print them."""
    shared = set(referral.shared_fields)
    snapshot = referral.letter_snapshot
    mapping = referral.mapping
    sections: list[tuple[str, list[tuple[str, str]]]] = []

    def section(code: str, rows: list[tuple[str, str]]) -> None:
        rows = [(label, value) for label, value in rows if value]
        if code in shared and rows:
            sections.append((str(LETTER_FIELD_LABELS[code]), rows))

    section(
        "contact",
        [("Telefon", snapshot.get("phone", "")), ("E-post", snapshot.get("email", ""))],
    )
    # Protection is checked when the letter is rendered, not only at consent: a person
    # who became protected since then never has their address printed (DOMAIN.md §8).
    address = [] if referral.person.is_protected else snapshot.get("address_lines", [])
    section("address", [("Adress", ", ".join(address))])
    language_rows = [
        ("Språk", snapshot.get("language", "")),
        ("Behöver tolk", "Ja" if snapshot.get("interpreter") else ""),
    ]
    if mapping is not None:
        language_rows += [
            ("Svenska", mapping.get_swedish_level_display()),
            ("Andra språk", mapping.other_languages),
        ]
    section("language", language_rows)
    section("reason", [("Anledning", referral.reason)])
    if mapping is not None:
        section(
            "education",
            [
                ("Högsta utbildning", mapping.get_education_level_display()),
                ("Utbildning", mapping.education),
            ],
        )
        section("work_experience", [("Arbetslivserfarenhet", mapping.work_experience)])
        section("health", [("Hälsa", mapping.health), ("Andra hinder", mapping.obstacles)])
        section(
            "goals",
            [("Egna mål", mapping.own_goals), ("Vill ha hjälp med", mapping.help_wanted)],
        )
        section(
            "contacts",
            [
                ("Arbetsförmedlingen", mapping.get_employment_service_status_display()),
                ("Kontakt med Arbetsförmedlingen", mapping.employment_service_contact),
                ("Kontakt med andra", mapping.other_contacts),
            ],
        )
    return {
        "referral": referral,
        "recipient_lines": snapshot.get("recipient_lines")
        or [referral.provider.name, *referral.provider.address_lines],
        "person_name": snapshot.get("name", "") if "identity" in shared else "",
        "person_identity": snapshot.get("identity", "") if "identity" in shared else "",
        "sections": sections,
    }
