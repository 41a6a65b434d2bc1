"""Issue 13, written as the attacks: the person is a subject of access like the case.

Every test here is an attack the issue found working, numbered by the issue's scenarios
(1–8): a caseworker in unit Syd reaching a client of unit Nord, staff without a grant
reaching a protected identity, letters and the access log. The sections "beside the
scenarios" are further leaks of the same kind found while writing these (the log review
naming protected persons; forms whose answer tells whether a protected number exists).
Three tests pass on today's code on purpose, as regression guards: the personnummer
check, the reception lookup and Öppna ärende with a protected number.

Each asserts the security property – the status, that nothing was written, and that none
of the victim's personal data (names, personnummer, phone, address) is in the response –
not the wording, except where the issue fixes it ("känd i enhet Nord").

The world (fixtures below): units Nord and Syd; in Nord a caseworker with a case for
Greta Granqvist, a colleague, a unit manager and reception; in Syd a caseworker with a
case for Sune Söderlund. Protected identities: Siri Skyddsdotter
(skyddad folkbokföring, her own Nord case, handled by the Nord colleague who holds the
grant) and Ebba Gömdsson (a protected child in Greta's household; nobody holds her
grant). Only Skatteverket's test personnummer are used (each checked by
cases.personnummer.parse in ``test_the_world_uses_valid_test_personnummer``).
"""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AccessLog,
    Case,
    DecisionLetter,
    FirstContact,
    Household,
    HouseholdMember,
    Person,
)
from cases.models.people import PersonUserObjectPermission
from cases.personnummer import parse
from cases.roles import Role
from cases.services import decisions as decision_svc
from cases.services.contacts import first_contact_register
from cases.services.people import household_member_add, person_access_grant, person_save
from cases.tests import test_pdf
from cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

# --- the world ----------------------------------------------------------------------

NORD_CLIENT = {
    "first_name": "Greta",
    "last_name": "Granqvist",
    "personnummer": "196408233234",
    "birth_date": date(1964, 8, 23),
    "phone": "070-555 12 34",
    "email": "greta.granqvist@example.se",
    "street_address": "Älvgatan 7",
    "postal_code": "981 23",
    "city": "Kiruna",
}
SYD_CLIENT = {
    "first_name": "Sune",
    "last_name": "Söderlund",
    "personnummer": "199006022397",
    "birth_date": date(1990, 6, 2),
    "phone": "070-222 33 44",
}
PROTECTED_PERSON = {
    "first_name": "Siri",
    "last_name": "Skyddsdotter",
    "personnummer": "194408139089",
    "birth_date": date(1944, 8, 13),
    "phone": "070-999 88 77",
    "street_address": "Lönngången 3",
    "postal_code": "981 76",
    "city": "Gömstad",
    "protection_level": "skyddad_folkbokforing",
}
PROTECTED_CHILD = {
    "first_name": "Ebba",
    "last_name": "Gömdsson",
    "personnummer": "200001052380",
    "birth_date": date(2000, 1, 5),
    "street_address": "Lönngången 3",
    "postal_code": "981 76",
    "protection_level": "skyddad_folkbokforing",
}
# A valid test number that no one in the world has (a samordningsnummer).
UNKNOWN_PNR = "19701063-2391"
TYPED_NAME = "Typat Namn"
TYPED_PHONE = "070-123 45 67"

PERSON_FORM_FIELDS = [
    "first_name",
    "last_name",
    "personnummer",
    "birth_date",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "city",
    "preferred_language",
    "needs_interpreter",
    "protection_level",
]


@pytest.fixture
def nord(unit):
    assert unit.name == "Nord"
    return unit


@pytest.fixture
def syd(other_unit):
    assert other_unit.name == "Syd"
    return other_unit


@pytest.fixture
def nord_caseworker(make_user, nord):
    return make_user(Role.CASEWORKER, unit=nord, username="nord.handlaggare")


@pytest.fixture
def nord_colleague(make_user, nord):
    return make_user(Role.CASEWORKER, unit=nord, username="nord.kollega")


@pytest.fixture
def nord_manager(make_user, nord):
    return make_user(Role.UNIT_MANAGER, unit=nord, username="nord.chef")


@pytest.fixture
def nord_reception(make_user, nord):
    return make_user(Role.RECEPTION, unit=nord, username="nord.reception")


@pytest.fixture
def syd_caseworker(make_user, syd):
    return make_user(Role.CASEWORKER, unit=syd, username="syd.handlaggare")


@pytest.fixture
def nord_client(db):
    return Person.objects.create(**NORD_CLIENT)


@pytest.fixture
def nord_case(nord_caseworker, nord_client):
    """Greta's open Nord case; the Nord caseworker holds its grants."""
    return CaseFactory(caseworker=nord_caseworker, applicant=nord_client)


@pytest.fixture
def nord_case_closed(nord_case, nord_caseworker):
    from cases.models import ClosingReason
    from cases.services.casework import case_close

    return case_close(nord_case, actor=nord_caseworker, reason=ClosingReason.objects.first())


@pytest.fixture
def syd_client(db):
    return Person.objects.create(**SYD_CLIENT)


@pytest.fixture
def syd_case(syd_caseworker, syd_client):
    return CaseFactory(caseworker=syd_caseworker, applicant=syd_client)


@pytest.fixture
def protected_person(db):
    return Person.objects.create(**PROTECTED_PERSON)


@pytest.fixture
def protected_case(protected_person, nord_colleague, nord_manager):
    """Siri's Nord case, handled by the Nord colleague, who holds her person grant (given
    by the unit manager, who holds none). The Nord caseworker has no grant."""
    case = CaseFactory(caseworker=nord_colleague, applicant=protected_person)
    person_access_grant(protected_person, nord_colleague, actor=nord_manager)
    return case


@pytest.fixture
def protected_child(nord_case, nord_caseworker):
    """A protected child in Greta's household; nobody holds the child's person grant, but
    the Nord caseworker still holds the case's grants (so sees the case)."""
    child = Person.objects.create(**PROTECTED_CHILD)
    household_member_add(
        nord_case.household,
        person=child,
        role=HouseholdMember.Role.CHILD,
        valid_from=date(2026, 1, 1),
        actor=nord_caseworker,
    )
    return child


@pytest.fixture
def protected_contact(client, protected_case, nord_reception, nord):
    """Reception registers a first contact with Siri's personnummer and a typed name,
    routed to the unit (nobody assigned)."""
    response = register_contact(client, nord_reception, nord, personnummer="19440813-9089")
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return FirstContact.objects.latest("pk")


@pytest.fixture
def listed_world(nord_case, nord_caseworker, nord_reception, nord, nord_client):
    """Start pages with client names on them: Greta's case and callback for the Nord
    caseworker, and an overdue unassigned contact."""
    first_contact_register(
        actor=nord_reception,
        channel="phone",
        subject="new_application",
        unit=nord,
        assigned_to=nord_caseworker,
        personnummer=NORD_CLIENT["personnummer"],
        name="",
    )
    first_contact_register(
        actor=nord_reception,
        channel="visit",
        subject="other",
        unit=nord,
        name="Kim Kontakt",
        received_at=timezone.now() - timedelta(days=7),
    )


@pytest.fixture
def pdf_text():
    """The text of a PDF, read back with the project's reader (cases.tests.test_pdf)."""

    def read(data: bytes) -> str:
        return "\n".join(test_pdf.pdf_pages_text(bytes(data)))

    return read


# --- helpers ------------------------------------------------------------------------


def pnr_forms(personnummer: str) -> list[str]:
    """The ways a personnummer is printed: 12 digits, with separator, 10 digits."""
    return [
        personnummer,
        f"{personnummer[:8]}-{personnummer[8:]}",
        f"{personnummer[2:8]}-{personnummer[8:]}",
    ]


def personal_markers(data: dict, *, with_pnr: bool = True) -> list[str]:
    """The victim's personal data that must never be in a response."""
    markers = [data["first_name"], data["last_name"]]
    for key in ("phone", "email", "street_address", "postal_code"):
        if data.get(key):
            markers.append(data[key])
    if with_pnr:
        markers += pnr_forms(data["personnummer"])
    return markers


PROTECTED_MARKERS = personal_markers(PROTECTED_PERSON)


def assert_absent(body: str, markers: list[str]) -> None:
    found = [marker for marker in markers if marker in body]
    assert not found, f"personal data in the response: {found}"


def text(response) -> str:
    return response.content.decode()


def person_form_data(person: Person, **changes) -> dict:
    data = {}
    for name in PERSON_FORM_FIELDS:
        value = getattr(person, name)
        if name == "needs_interpreter":
            if value:
                data[name] = "on"
            continue
        if name == "birth_date":
            value = value.isoformat() if value else ""
        data[name] = value or ""
    data.update(changes)
    if data.get("needs_interpreter") is False:
        data.pop("needs_interpreter")
    return data


def stored(person: Person) -> dict:
    fresh = Person.objects.get(pk=person.pk)
    return {name: getattr(fresh, name) for name in PERSON_FORM_FIELDS}


def register_contact(client, reception, unit, *, personnummer, name=TYPED_NAME):
    client.force_login(reception)
    return client.post(
        reverse("contact_create"),
        {
            "channel": "phone",
            "personnummer": personnummer,
            "name": name,
            "phone": TYPED_PHONE,
            "subject": "new_application",
            "note": "Vill ansöka",
            "unit": unit.pk,
            "assigned_to": "",
        },
    )


def test_the_world_uses_valid_test_personnummer():
    for number in [
        NORD_CLIENT["personnummer"],
        SYD_CLIENT["personnummer"],
        PROTECTED_PERSON["personnummer"],
        PROTECTED_CHILD["personnummer"],
        UNKNOWN_PNR,
    ]:
        parse(number)  # raises InvalidPersonnummer


# --- 1. another unit's client: page, search, edit ------------------------------------


def test_syd_caseworker_opening_nord_clients_person_page_gets_404_and_nothing(
    client, nord_case, syd_case, syd_caseworker, nord_client
):
    client.force_login(syd_caseworker)

    response = client.get(reverse("person_detail", args=[nord_client.pk]))

    assert response.status_code == 404
    assert_absent(text(response), personal_markers(NORD_CLIENT))


def test_syd_caseworker_person_search_lists_no_nord_clients(
    client, nord_case, syd_case, syd_caseworker, nord_client, syd_client
):
    client.force_login(syd_caseworker)

    for query in ["Granqvist", "Greta", "Greta Granqvist", "19640823-3234", "196408233234"]:
        response = client.get(reverse("person_search"), {"q": query})
        assert response.status_code == 200
        assert nord_client not in list(response.context["page"].object_list), query
        # The query itself is echoed in the search box; nothing else of hers may be.
        assert_absent(
            text(response).replace(f'value="{query}"', ""),
            personal_markers(NORD_CLIENT),
        )

    # The search itself works: the caseworker's own client is found.
    own = client.get(reverse("person_search"), {"q": "Söderlund"})
    assert syd_client in list(own.context["page"].object_list)


def test_syd_caseworker_editing_nord_client_saves_nothing(
    client, nord_case, syd_case, syd_caseworker, nord_client
):
    before = stored(nord_client)
    client.force_login(syd_caseworker)

    response = client.post(
        reverse("person_edit", args=[nord_client.pk]),
        person_form_data(
            nord_client,
            phone="070-000 00 00",
            street_address="Angripargatan 1",
            preferred_language="engelska",
        ),
    )

    assert response.status_code == 404
    assert_absent(text(response), personal_markers(NORD_CLIENT))
    assert stored(nord_client) == before


def test_syd_caseworker_marking_nord_client_protected_gains_no_grant_and_hides_nothing(
    client, nord_case, syd_case, syd_caseworker, nord_manager, nord_client
):
    assert nord_case in Case.objects.visible_to(nord_manager)
    before = stored(nord_client)
    client.force_login(syd_caseworker)

    response = client.post(
        reverse("person_edit", args=[nord_client.pk]),
        person_form_data(nord_client, protection_level="sekretessmarkering"),
    )

    assert response.status_code == 404
    assert stored(nord_client) == before
    assert stored(nord_client)["protection_level"] == "none"
    assert not PersonUserObjectPermission.objects.filter(user=syd_caseworker).exists()
    # The Nord unit manager still sees the Nord case.
    assert nord_case in Case.objects.visible_to(nord_manager)
    client.force_login(nord_manager)
    assert client.get(reverse("case_detail", args=[nord_case.pk])).status_code == 200


def test_nord_colleague_who_may_only_read_the_case_cannot_edit_the_person(
    client, nord_case, nord_colleague, nord_client
):
    """Contract beside scenario 1: edits only by those who may change a case whose
    household includes the person (or the unit's manager) – a reading colleague may not."""
    before = stored(nord_client)
    client.force_login(nord_colleague)

    client.post(
        reverse("person_edit", args=[nord_client.pk]),
        person_form_data(nord_client, phone="070-000 00 00", protection_level="sekretessmarkering"),
    )

    assert stored(nord_client) == before
    assert not PersonUserObjectPermission.objects.filter(user=nord_colleague).exists()


# --- 2. Öppna ärende with another unit's client --------------------------------------


def _case_new_attack(client, syd_caseworker, nord_client):
    households, memberships = Household.objects.count(), HouseholdMember.objects.count()
    syd_cases = set(Case.objects.filter(unit=syd_caseworker.unit).values_list("pk", flat=True))
    client.force_login(syd_caseworker)
    typed = "19640823-3234"

    response = client.post(reverse("case_new"), {"personnummer": typed, "caseworker": ""})

    new_syd_cases = Case.objects.filter(unit=syd_caseworker.unit).exclude(pk__in=syd_cases)
    assert not new_syd_cases.exists(), "a Syd case was opened for a Nord client"
    assert not Case.objects.filter(unit=syd_caseworker.unit, household__unit__name="Nord").exists()
    assert not Case.objects.filter(
        unit=syd_caseworker.unit, household__memberships__person=nord_client
    ).exists()
    assert (Household.objects.count(), HouseholdMember.objects.count()) == (
        households,
        memberships,
    )
    assert response.status_code == 200
    body = text(response)
    # The user is told where the person is known, and what they typed is kept.
    assert re.search(r"\bNord\b", body), "the answer does not say the person is known in Nord"
    assert f'value="{typed}"' in body
    assert_absent(body, personal_markers(NORD_CLIENT, with_pnr=False))


def test_case_new_with_nord_client_whose_case_is_closed_opens_no_case_on_nord_household(
    client, nord_case_closed, syd_case, syd_caseworker, nord_client
):
    _case_new_attack(client, syd_caseworker, nord_client)


def test_case_new_with_nord_client_whose_case_is_open_never_joins_it(
    client, nord_case, syd_case, syd_caseworker, nord_client
):
    _case_new_attack(client, syd_caseworker, nord_client)
    assert list(Case.objects.filter(household=nord_case.household)) == [nord_case]


# --- 3. a protected child on a case page ---------------------------------------------


def test_case_page_hides_protected_child_from_caseworker_without_person_grant(
    client, nord_case, nord_caseworker, protected_child
):
    client.force_login(nord_caseworker)

    response = client.get(reverse("case_detail", args=[nord_case.pk]))

    assert response.status_code == 200
    body = text(response)
    assert NORD_CLIENT["last_name"] in body  # the case page itself is shown
    assert_absent(
        body,
        [PROTECTED_CHILD["first_name"], PROTECTED_CHILD["last_name"]]
        + pnr_forms(PROTECTED_CHILD["personnummer"])
        + [PROTECTED_CHILD["street_address"]],
    )


# --- 4. adding another unit's client to one's household; kartläggning ---------------


def test_household_add_member_with_nord_clients_personnummer_adds_nobody(
    client, nord_case, syd_case, syd_caseworker, syd_client, nord_client
):
    client.force_login(syd_caseworker)
    typed = {
        "personnummer": "19640823-3234",
        "first_name": "",
        "last_name": "",
        "birth_date": "",
        "role": "co_applicant",
        "valid_from": "2026-12-01",
    }

    response = client.post(
        reverse("household_add_member", args=[syd_client.pk, syd_case.household_id]), typed
    )

    assert not HouseholdMember.objects.filter(
        household=syd_case.household, person=nord_client
    ).exists()
    assert HouseholdMember.objects.filter(person=nord_client).count() == 1  # her Nord one
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors, "no form error says why the person was not added"
    body = text(response)
    for message in [m for messages in form.errors.values() for m in messages]:
        assert message in body
    assert 'value="19640823-3234"' in body and 'value="2026-12-01"' in body
    assert re.search(r'value="co_applicant"[^>]*selected', body)
    assert_absent(body, personal_markers(NORD_CLIENT, with_pnr=False))


def test_nord_kartlaggning_is_not_readable_from_a_syd_case_holding_the_client(
    client, nord_case, nord_caseworker, syd_case, syd_caseworker, nord_client
):
    """A Syd household that already holds the Nord client (made before the boundary, as
    the issue's attack did) gives no way into the kartläggning written in Nord."""
    from referrals.services import mapping_save
    from referrals.tests.factories import MAPPING_ANSWERS

    mapping = mapping_save(
        actor=nord_caseworker,
        case=nord_case,
        person=nord_client,
        answers=MAPPING_ANSWERS,
        based_on_version=0,
    )
    HouseholdMember.objects.create(
        household=syd_case.household,
        person=nord_client,
        role=HouseholdMember.Role.CO_APPLICANT,
        valid_from=date(2026, 11, 1),
        created_by=syd_caseworker,
    )
    secrets = [
        MAPPING_ANSWERS["health"],
        MAPPING_ANSWERS["obstacles"],
        MAPPING_ANSWERS["employment_service_contact"],
        MAPPING_ANSWERS["work_experience"],
        MAPPING_ANSWERS["own_goals"],
    ]
    client.force_login(syd_caseworker)

    url = reverse("referrals:mapping_detail", args=[syd_case.pk, nord_client.pk])
    for response in [client.get(url), client.get(url, {"version": mapping.version})]:
        assert response.status_code in (200, 404)
        assert_absent(text(response), secrets)
    edit = client.get(reverse("referrals:mapping_edit", args=[syd_case.pk, nord_client.pk]))
    assert edit.status_code in (200, 404)
    assert_absent(text(edit), secrets)  # nor prefilled into a new version


# --- 5. reception and a protected identity -------------------------------------------


def test_person_lookup_answers_for_a_protected_number_as_for_an_unknown_one(
    client, protected_case, nord_reception, nord_caseworker, nord
):
    """Regression guard (the issue: the lookup already says "Inte känd")."""

    def answers(user):
        client.force_login(user)
        url = reverse("person_lookup")
        protected = client.get(url, {"personnummer": "19440813-9089"})
        unknown = client.get(url, {"personnummer": UNKNOWN_PNR})
        return protected, unknown

    for user in (nord_reception, nord_caseworker):
        protected, unknown = answers(user)
        assert protected.status_code == unknown.status_code == 200
        assert text(protected) == text(unknown)
        assert_absent(text(protected), PROTECTED_MARKERS)
    # ... and still after a contact with the number has been registered.
    register_contact(client, nord_reception, nord, personnummer="19440813-9089")
    protected, unknown = answers(nord_reception)
    assert text(protected) == text(unknown)


def test_contact_form_answers_for_a_protected_number_without_name_as_for_an_unknown_one(
    client, protected_case, nord_reception, nord
):
    """Not in the issue's list: the form asks for a name only when the number is new to
    Vägen, so a number typed without a name tells reception whether it exists."""
    count = FirstContact.objects.count()
    protected = register_contact(
        client, nord_reception, nord, personnummer="19440813-9089", name=""
    )
    after_protected = FirstContact.objects.count() - count
    unknown = register_contact(client, nord_reception, nord, personnummer=UNKNOWN_PNR, name="")
    after_unknown = FirstContact.objects.count() - count - after_protected

    assert protected.status_code == unknown.status_code
    assert after_protected == after_unknown
    assert_absent(text(protected), personal_markers(PROTECTED_PERSON, with_pnr=False))


def test_reception_start_shows_only_the_typed_name_of_a_protected_contact(
    client, protected_contact, nord_reception
):
    client.force_login(nord_reception)

    response = client.get(reverse("reception_start"))

    assert response.status_code == 200
    body = text(response)
    assert_absent(body, PROTECTED_MARKERS)
    assert TYPED_NAME in body or "Skyddad identitet" in body


def test_unassigned_list_hides_protected_name_from_caseworker_without_grant(
    client, protected_contact, nord_caseworker
):
    client.force_login(nord_caseworker)

    response = client.get(reverse("caseworker_start"))

    assert response.status_code == 200
    assert_absent(text(response), PROTECTED_MARKERS)


def test_overdue_list_hides_protected_name_from_unit_manager_without_grant(
    client, protected_case, nord_reception, nord_manager, nord
):
    first_contact_register(
        actor=nord_reception,
        channel="phone",
        subject="new_application",
        unit=nord,
        personnummer=PROTECTED_PERSON["personnummer"],
        name=TYPED_NAME,
        phone=TYPED_PHONE,
        received_at=timezone.now() - timedelta(days=7),
    )
    client.force_login(nord_manager)

    response = client.get(reverse("unit_manager_start"))

    assert response.status_code == 200
    assert_absent(text(response), PROTECTED_MARKERS)


def test_contact_page_shows_no_protected_identity_to_caseworker_without_grant(
    client, protected_contact, nord_caseworker
):
    client.force_login(nord_caseworker)

    response = client.get(reverse("contact_detail", args=[protected_contact.pk]))

    assert response.status_code in (200, 404)
    assert_absent(text(response), PROTECTED_MARKERS)


# --- 6. Ny person with a protected number --------------------------------------------


def test_person_create_answers_for_a_protected_number_as_for_an_unknown_one(
    client, protected_case, protected_person, nord_caseworker
):
    before = stored(protected_person)
    client.force_login(nord_caseworker)
    base = {
        "first_name": "Ny",
        "last_name": "Person",
        "phone": "070-765 43 21",
        "protection_level": "none",
    }

    protected = client.post(reverse("person_create"), {**base, "personnummer": "19440813-9089"})
    unknown = client.post(reverse("person_create"), {**base, "personnummer": UNKNOWN_PNR})

    assert protected.status_code == unknown.status_code
    body = text(protected).lower()
    assert "redan" not in body
    assert not re.search(r"\bfinns\b(?! kvar)", body), "the answer says the person exists"
    assert_absent(text(protected), personal_markers(PROTECTED_PERSON, with_pnr=False))
    assert stored(protected_person) == before


# --- 7. letters and protected addresses ----------------------------------------------


@pytest.mark.parametrize("level", ["skyddad_folkbokforing", "sekretessmarkering"])
def test_decision_letter_to_protected_person_never_holds_the_address(
    client, pdf_text, nord_caseworker, nord_manager, level
):
    from cases.tests.test_decisions import calculated_application, draft

    applicant = Person.objects.create(**{**PROTECTED_PERSON, "protection_level": level})
    application = calculated_application(nord_caseworker, applicant=applicant)
    person_access_grant(applicant, nord_caseworker, actor=nord_manager)
    address = [PROTECTED_PERSON["street_address"], PROTECTED_PERSON["postal_code"]]

    decision = draft(application, nord_caseworker)
    html, pdf = decision_svc.decision_letter_preview(decision)
    assert decision.reference in pdf_text(pdf)  # the reader reads this letter
    assert_absent(html, address)
    assert_absent(pdf_text(pdf), address)

    decision = decision_svc.decision_submit(decision, actor=nord_caseworker)
    assert decision.is_final
    letter = DecisionLetter.objects.get(decision=decision)
    assert_absent(letter.html, address)
    assert_absent(pdf_text(decision_svc.letter_pdf(letter)), address)

    client.force_login(nord_caseworker)
    response = client.get(reverse("decision_letter", args=[decision.pk]))
    assert response.status_code == 200
    assert_absent(pdf_text(response.content), address)


def test_referral_letter_for_person_protected_after_consent_holds_no_address(
    client, pdf_text, nord_caseworker
):
    from referrals.services import referral_create
    from referrals.tests.factories import ProviderFactory, ServiceFactory, open_case

    person = Person.objects.create(**{**PROTECTED_PERSON, "protection_level": "none"})
    case = open_case(nord_caseworker, applicant=person)
    service = ServiceFactory(provider=ProviderFactory(name="Arbetsförmedlingen"))
    referral = referral_create(
        actor=nord_caseworker,
        case=case,
        person=person,
        service=service,
        reason="Vill arbeta inom vården",
        request="Inskrivning och planering",
        shared_fields=["identity", "address"],
        sent_on=date(2025, 3, 3),
    )
    # Later she gets skyddad folkbokföring; whoever marks her keeps her grant.
    person.protection_level = "skyddad_folkbokforing"
    person_save(person, actor=nord_caseworker)
    client.force_login(nord_caseworker)

    response = client.get(reverse("referrals:referral_letter", args=[referral.pk]))

    assert response.status_code == 200
    letter = pdf_text(response.content)
    assert referral.reference in letter
    assert_absent(letter, [PROTECTED_PERSON["street_address"], PROTECTED_PERSON["postal_code"]])


# --- 8. the access log serves the owning unit ---------------------------------------


def test_syd_read_of_nord_client_is_logged_for_nord_and_in_nord_managers_review(
    client, nord_case, syd_case, syd_caseworker, nord_manager, nord_client, nord
):
    client.force_login(syd_caseworker)
    client.get(reverse("person_detail", args=[nord_client.pk]))

    rows = AccessLog.objects.filter(
        user=syd_caseworker, view_name="person_detail", subject_id=str(nord_client.pk)
    )
    assert rows.exists()
    assert {row.subject_unit_id for row in rows} == {nord.pk}

    client.force_login(nord_manager)
    page = client.get(reverse("unit_access_log"))
    assert page.status_code == 200
    assert syd_caseworker.username in text(page)
    review = client.get(reverse("reporting:log_review"))
    assert review.status_code == 200
    assert syd_caseworker.username in [row["username"] for row in review.context["review"].by_user]


def test_syd_denied_read_of_protected_nord_client_is_logged_for_nord(
    client, protected_case, syd_caseworker, nord_manager, protected_person, nord
):
    client.force_login(syd_caseworker)
    response = client.get(reverse("person_detail", args=[protected_person.pk]))
    assert response.status_code == 404

    rows = AccessLog.objects.filter(user=syd_caseworker, view_name="person_detail")
    assert [(row.outcome, row.subject_unit_id) for row in rows] == [("denied", nord.pk)]

    client.force_login(nord_manager)
    page = client.get(reverse("unit_access_log"))
    assert syd_caseworker.username in text(page)


@pytest.mark.parametrize(
    ("url_name", "who"),
    [
        ("caseworker_start", "nord_caseworker"),
        ("reception_start", "nord_reception"),
        ("unit_manager_start", "nord_manager"),
    ],
)
def test_start_page_listing_client_names_writes_one_access_log_row(
    client, request, listed_world, url_name, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    before = set(AccessLog.objects.values_list("pk", flat=True))

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "Greta Granqvist" in text(response) or "Kim Kontakt" in text(response)
    new = AccessLog.objects.exclude(pk__in=before)
    assert [(row.user_id, row.view_name) for row in new] == [(user.pk, url_name)]


# --- beside the scenarios: the log review names no protected person ------------------


def test_log_review_shows_no_protected_name_to_manager_without_grant(
    client, protected_case, nord_colleague, nord_manager, protected_person
):
    """The issue: traces of protected persons in the review show no name to a manager
    without a grant."""
    client.force_login(nord_colleague)
    assert client.get(reverse("person_detail", args=[protected_person.pk])).status_code == 200
    client.force_login(nord_manager)

    response = client.get(reverse("reporting:log_review"))

    assert response.status_code == 200
    assert_absent(text(response), PROTECTED_MARKERS)


# --- beside the scenarios: more ways to learn that a protected identity exists -------


def test_household_add_member_answers_for_a_protected_number_as_for_an_unknown_one(
    client, protected_case, syd_case, syd_caseworker, syd_client
):
    """Not in the issue's list: adding a member by number only answers "kan inte läggas
    till härifrån" for a protected number but "nytt för Vägen – ange namn" for an unknown
    one."""
    client.force_login(syd_caseworker)
    url = reverse("household_add_member", args=[syd_client.pk, syd_case.household_id])
    base = {
        "first_name": "",
        "last_name": "",
        "birth_date": "",
        "role": "child",
        "valid_from": "2026-12-01",
    }
    members = HouseholdMember.objects.count()

    protected = client.post(url, {**base, "personnummer": "19440813-9089"})
    unknown = client.post(url, {**base, "personnummer": UNKNOWN_PNR})

    assert HouseholdMember.objects.count() == members
    assert protected.status_code == unknown.status_code
    assert protected.context["form"].errors == unknown.context["form"].errors
    assert_absent(text(protected), personal_markers(PROTECTED_PERSON, with_pnr=False))


def test_person_edit_to_a_protected_number_answers_as_for_an_unknown_one(
    client, protected_case, protected_person, syd_case, syd_caseworker, syd_client
):
    """Not in the issue's list: changing one's own client's personnummer to a protected
    one answers "Det finns redan en person med det personnumret"."""
    client.force_login(syd_caseworker)
    url = reverse("person_edit", args=[syd_client.pk])

    response = client.post(url, person_form_data(syd_client, personnummer="19440813-9089"))

    assert "redan" not in text(response).lower()
    assert_absent(text(response), personal_markers(PROTECTED_PERSON, with_pnr=False))
    assert Person.objects.get(personnummer=PROTECTED_PERSON["personnummer"]) == protected_person
    assert stored(protected_person)["first_name"] == PROTECTED_PERSON["first_name"]


def test_case_new_with_a_protected_number_answers_as_for_an_unknown_one(
    client, protected_case, syd_caseworker, nord_caseworker
):
    """Regression guard for scenario 2's "känd i enhet X": never for a protected person,
    not even to a caseworker of the person's own unit without the grant."""
    for user in (syd_caseworker, nord_caseworker):
        client.force_login(user)
        cases = Case.objects.count()
        protected = client.post(reverse("case_new"), {"personnummer": "19440813-9089"})
        unknown = client.post(reverse("case_new"), {"personnummer": UNKNOWN_PNR})
        assert Case.objects.count() == cases
        assert protected.status_code == unknown.status_code
        assert protected.context["form"].errors.get("personnummer") == (
            unknown.context["form"].errors.get("personnummer")
        )
        assert protected.context["form"].non_field_errors() == (
            unknown.context["form"].non_field_errors()
        )
        assert_absent(text(protected), personal_markers(PROTECTED_PERSON, with_pnr=False))


def test_case_list_search_by_a_protected_childs_name_finds_nothing_without_the_grant(
    client, make_user
):
    """The case list's search matched every person, protected ones too: searching a
    protected child's name showed which of the user's cases holds that child."""
    from cases.services.people import household_member_add
    from cases.tests.factories import CaseFactory, PersonFactory

    own = make_user(Role.CASEWORKER)
    case = CaseFactory(caseworker=own)
    child = PersonFactory(first_name="Hemligbarn", last_name="Skyddsson", protected=True)
    household_member_add(
        case.household, person=child, role="child", valid_from=case.opened_on, actor=own
    )
    client.force_login(own)

    page = client.get(reverse("case_list"), {"q": "Hemligbarn", "alla": "1"})

    assert case.reference not in page.content.decode()


def test_marking_a_client_protected_never_hides_them_from_their_unit_manager(client, make_user):
    """A caseworker who marks their own client protected keeps access – and so does the
    unit's manager, to the person and to the case (before, only the marker kept it)."""
    from cases.tests.factories import CaseFactory, PersonFactory

    own, manager = make_user(Role.CASEWORKER), make_user(Role.UNIT_MANAGER)
    person = PersonFactory(personnummer="199006022397")
    case = CaseFactory(caseworker=own, applicant=person)
    client.force_login(own)
    response = client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "personnummer": "199006022397",
            "protection_level": "sekretessmarkering",
            "version": person.version,
        },
    )
    assert response.status_code == 302

    client.force_login(manager)
    assert client.get(reverse("person_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200


def test_a_transfer_post_without_a_choice_decides_nothing(client, make_user, other_unit):
    """Before, any post without "approve" refused the transfer."""
    from cases.models import PersonTransfer
    from cases.services.people import person_transfer_request
    from cases.tests.factories import PersonFactory

    manager = make_user(Role.UNIT_MANAGER)
    person = PersonFactory(unit=manager.unit)
    asker = make_user(Role.CASEWORKER, unit=other_unit)
    transfer = person_transfer_request(person, actor=asker, reason="Flyttat.")
    client.force_login(manager)

    client.post(reverse("person_transfer_decide", args=[transfer.pk]), {"note": "x"})

    transfer.refresh_from_db()
    assert transfer.state == PersonTransfer.State.REQUESTED
