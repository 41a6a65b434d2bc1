"""The referral letter (PDF) contains only the fields the person agreed to share."""

from datetime import date

import pytest
from django.urls import reverse

from cases.tests import test_pdf
from referrals.letters import letter_context
from referrals.models import LETTER_FIELDS
from referrals.services import ReferralError, referral_consent_set

pytestmark = pytest.mark.django_db

# A value in the letter for each field, when shared (the person's record and MAPPING_ANSWERS).
MARKERS = {
    "identity": ["Ada Remissdotter", "19121212-1212"],
    "contact": ["070-111 22 33", "ada@example.se"],
    "address": ["Remissvägen 5", "987 65 Adaby"],
    "language": ["arabiska", "Behöver tolk"],
    "reason": ["Vill arbeta inom vården"],
    "education": ["Gymnasiet, vård och omsorg"],
    "work_experience": ["Undersköterska i två år"],
    "health": ["Ont i ryggen vid tunga lyft", "Saknar körkort"],
    "goals": ["Arbeta inom äldreomsorgen", "Praktik och hjälp med CV"],
    "contacts": ["Inskriven, handläggare Kim", "Vårdcentralen"],
}
ALL = [code for code, _label in LETTER_FIELDS]


@pytest.fixture
def person(person):
    person.first_name, person.last_name = "Ada", "Remissdotter"
    person.personnummer = "191212121212"
    person.phone, person.email = "070-111 22 33", "ada@example.se"
    person.street_address, person.postal_code, person.city = "Remissvägen 5", "987 65", "Adaby"
    person.preferred_language, person.needs_interpreter = "arabiska", True
    person.save()
    return person


@pytest.fixture
def letter_text(client):
    def read(user, referral) -> str:
        client.force_login(user)
        response = client.get(reverse("referrals:referral_letter", args=[referral.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        return "\n".join(test_pdf.pdf_pages_text(response.content))

    return read


@pytest.mark.parametrize(
    "shared",
    [
        [],
        ["identity"],
        ["identity", "reason", "goals"],
        ["contact", "address", "health"],
        ALL,
    ],
    ids=lambda shared: "+".join(shared) or "nothing",
)
def test_the_letter_holds_exactly_the_shared_fields(
    letter_text, caseworker, make_referral, mapping, shared
):
    referral = make_referral(mapping=mapping, shared_fields=shared)
    text = letter_text(caseworker, referral)

    assert referral.reference in text
    assert "Inskrivning och planering" in text  # what is asked for is always there
    for code, markers in MARKERS.items():
        for marker in markers:
            assert (marker in text) == (code in shared), (code, marker)


def test_what_the_letter_may_show_is_decided_in_one_place(make_referral, mapping):
    referral = make_referral(mapping=mapping, shared_fields=["identity", "goals"])
    context = letter_context(referral)
    assert context["person_name"] == "Ada Remissdotter"
    assert [title for title, _rows in context["sections"]] == [
        "Egna mål och vilken hjälp personen vill ha"
    ]
    assert referral.letter_snapshot == {
        "recipient_lines": ["Arbetsförmedlingen", "Box 1", "123 45 Exempelby"],
        "name": "Ada Remissdotter",
        "identity": "19121212-1212",
    }


def test_the_letter_reads_the_same_after_the_records_change(
    letter_text, caseworker, make_referral, person, provider, make_user
):
    from cases.roles import Role
    from cases.services.casework import case_reassign

    referral = make_referral(shared_fields=["identity", "contact"])
    person.phone = "070-999 99 99"
    person.save()
    provider.address = "Nya gatan 1\n111 11 Annanstans"
    provider.save()
    case_reassign(
        referral.case,
        make_user(Role.CASEWORKER, first_name="Ny"),
        actor=make_user(Role.UNIT_MANAGER),
    )
    text = letter_text(caseworker, referral)
    assert "070-111 22 33" in text and "070-999 99 99" not in text
    assert "Box 1" in text and "Annanstans" not in text
    assert caseworker.get_full_name() in text  # signed by who sent it


def test_the_address_of_a_protected_person_is_never_shared(make_referral, person):
    person.protection_level = "skyddad_folkbokforing"
    person.save()
    with pytest.raises(ReferralError, match="skyddade personuppgifter"):
        make_referral(shared_fields=["identity", "address"])


def test_withdrawn_consent_leaves_the_letter(letter_text, caseworker, make_referral, mapping):
    referral = make_referral(mapping=mapping, shared_fields=["identity", "health", "goals"])
    referral_consent_set(referral, actor=caseworker, shared_fields=["identity", "goals"])

    text = letter_text(caseworker, referral)
    assert "Ont i ryggen" not in text and "Arbeta inom äldreomsorgen" in text
    event = referral.events.latest("pk")
    assert event.kind == "consent"
    assert "tidigare: Namn och personnummer, Hälsa" in event.note


def test_consent_is_fixed_once_the_referral_is_over(make_referral, caseworker):
    from referrals.services import referral_withdraw

    referral = make_referral(shared_fields=["identity"])
    referral_withdraw(referral, actor=caseworker, note="Fick jobb", on=date(2025, 3, 4))
    with pytest.raises(ReferralError, match="pågående"):
        referral_consent_set(referral, actor=caseworker, shared_fields=[])
