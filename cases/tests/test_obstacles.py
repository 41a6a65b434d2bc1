"""Försörjningshinder per adult and application (DOMAIN.md §9): the editable list, the
service that records them, carrying them into next month, the page, and who may."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import ApplicationObstacle, HouseholdMember, SupportObstacle
from cases.models.applications import DEFAULT_SUPPORT_OBSTACLES
from cases.roles import Role
from cases.services.applications import application_register, application_set_obstacles
from cases.services.casework import CaseError
from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def obstacle(code):
    return SupportObstacle.objects.get(code=code)


@pytest.fixture
def family(caseworker):
    """A case with applicant, co-applicant and a child from 2026-01-01."""
    applicant = PersonFactory(first_name="Anna")
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    partner = PersonFactory(first_name="Bertil")
    child = PersonFactory(first_name="Cilla", birth_date=date(2018, 5, 5))
    for person, role in ((partner, "co_applicant"), (child, "child")):
        household_member_add(
            case.household, person=person, role=role, valid_from=date(2026, 1, 1), actor=caseworker
        )
    return case, applicant, partner, child


def register(case, caseworker, applicant, month):
    return application_register(
        case, actor=caseworker, month=month, channel="e_service", applicant=applicant
    )


def test_the_default_list_covers_the_main_groups():
    codes = set(SupportObstacle.objects.values_list("code", flat=True))
    assert codes == {code for code, _, _ in DEFAULT_SUPPORT_OBSTACLES}
    groups = set(SupportObstacle.objects.values_list("group", flat=True))
    assert {"Arbetslös", "Sjukskriven med läkarintyg", "Saknar barnomsorg"} <= groups


def test_set_change_and_clear_per_adult(family, caseworker):
    case, applicant, partner, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))

    application_set_obstacles(
        application,
        actor=caseworker,
        obstacles={
            applicant.pk: obstacle("arbetslos_ingen_ersattning"),
            partner.pk: obstacle("saknar_barnomsorg"),
        },
    )
    application_set_obstacles(
        application,
        actor=caseworker,
        obstacles={applicant.pk: obstacle("arbetar_deltid"), partner.pk: None},
    )

    rows = {r.person_id: r.obstacle.code for r in application.obstacles.all()}
    assert rows == {applicant.pk: "arbetar_deltid"}


def test_children_and_strangers_have_no_obstacle(family, caseworker):
    case, applicant, _, child = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    stranger = PersonFactory()
    for person in (child, stranger):
        with pytest.raises(CaseError, match="vuxna i hushållet"):
            application_set_obstacles(
                application, actor=caseworker, obstacles={person.pk: obstacle("pension")}
            )
    assert not ApplicationObstacle.objects.exists()


def test_a_retired_obstacle_cannot_be_chosen(family, caseworker):
    case, applicant, _, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    retired = obstacle("pension")
    retired.is_active = False
    retired.save()
    with pytest.raises(CaseError, match="används inte längre"):
        application_set_obstacles(application, actor=caseworker, obstacles={applicant.pk: retired})


def test_a_retired_obstacle_already_recorded_may_stay(family, caseworker):
    case, applicant, partner, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    pension = obstacle("pension")
    application_set_obstacles(application, actor=caseworker, obstacles={applicant.pk: pension})
    pension.is_active = False
    pension.save()

    # Saving the form again keeps it and records the partner's.
    application_set_obstacles(
        application,
        actor=caseworker,
        obstacles={applicant.pk: pension, partner.pk: obstacle("saknar_barnomsorg")},
    )

    rows = {r.person_id: r.obstacle.code for r in application.obstacles.all()}
    assert rows == {applicant.pk: "pension", partner.pk: "saknar_barnomsorg"}


def test_next_month_starts_with_last_months_obstacles(family, caseworker):
    case, applicant, partner, _ = family
    october = register(case, caseworker, applicant, date(2026, 10, 1))
    application_set_obstacles(
        october,
        actor=caseworker,
        obstacles={
            applicant.pk: obstacle("sjukskriven_vantar_sjukpenning"),
            partner.pk: obstacle("pension"),
        },
    )
    # The partner moves out at the end of October; the retired code is not carried.
    HouseholdMember.objects.filter(person=partner).update(valid_to=date(2026, 10, 31))

    november = register(case, caseworker, applicant, date(2026, 11, 1))

    rows = {r.person_id: r.obstacle.code for r in november.obstacles.all()}
    assert rows == {applicant.pk: "sjukskriven_vantar_sjukpenning"}


def test_caseworker_records_obstacles_on_the_application_page(client, family, caseworker):
    case, applicant, partner, child = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    url = reverse("application_detail", args=[case.pk, application.pk])
    client.force_login(caseworker)

    page = client.get(url).content.decode()
    assert "Försörjningshinder" in page
    assert "Inte angivet för" in page
    assert f'name="hinder_{applicant.pk}"' in page and f'name="hinder_{partner.pk}"' in page
    assert f'name="hinder_{child.pk}"' not in page

    chosen = obstacle("arbetslos_etableringsersattning")
    response = client.post(
        reverse("application_obstacles", args=[case.pk, application.pk]),
        {f"hinder_{applicant.pk}": chosen.pk, f"hinder_{partner.pk}": ""},
        follow=True,
    )
    assert "Försörjningshindren är sparade." in response.content.decode()
    assert application.obstacles.get().obstacle == chosen


def test_a_bad_choice_saves_nothing_and_keeps_the_form(client, family, caseworker):
    case, applicant, partner, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    client.force_login(caseworker)
    good = obstacle("saknar_barnomsorg")

    response = client.post(
        reverse("application_obstacles", args=[case.pk, application.pk]),
        {f"hinder_{applicant.pk}": "999999", f"hinder_{partner.pk}": good.pk},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Försörjningshindren är inte sparade" in body
    assert "Välj ett giltigt alternativ" in body
    assert f'<option value="{good.pk}" selected>' in body
    assert not ApplicationObstacle.objects.exists()


@pytest.mark.parametrize(
    ("role", "same_unit"),
    [
        (Role.CASEWORKER, True),  # a colleague may read the case, not change it
        (Role.CASEWORKER, False),
        (Role.RECEPTION, True),
        (Role.UNIT_MANAGER, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_others_cannot_record_obstacles(
    client, family, caseworker, make_user, other_unit, role, same_unit
):
    case, applicant, _, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    client.force_login(make_user(role, unit=caseworker.unit if same_unit else other_unit))

    response = client.post(
        reverse("application_obstacles", args=[case.pk, application.pk]),
        {f"hinder_{applicant.pk}": obstacle("pension").pk},
    )

    assert response.status_code in (403, 404)
    assert not ApplicationObstacle.objects.exists()


def test_the_unit_manager_may_record_obstacles(client, family, caseworker, unit_manager):
    case, applicant, _, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    client.force_login(unit_manager)

    client.post(
        reverse("application_obstacles", args=[case.pk, application.pk]),
        {f"hinder_{applicant.pk}": obstacle("pension").pk},
    )

    assert application.obstacles.get().recorded_by == unit_manager


def test_administrator_keeps_the_list_but_cannot_delete(client, administrator):
    client.force_login(administrator)
    changelist = client.get(reverse("admin:cases_supportobstacle_changelist"))
    assert changelist.status_code == 200
    assert "Saknar barnomsorg" in changelist.content.decode()
    pk = obstacle("pension").pk
    assert client.get(reverse("admin:cases_supportobstacle_change", args=[pk])).status_code == 200
    assert client.get(reverse("admin:cases_supportobstacle_delete", args=[pk])).status_code == 403


def test_a_colleague_reads_the_obstacles_without_a_form(client, family, caseworker, make_user):
    case, applicant, partner, _ = family
    application = register(case, caseworker, applicant, date(2026, 10, 1))
    application_set_obstacles(
        application, actor=caseworker, obstacles={applicant.pk: obstacle("saknar_barnomsorg")}
    )
    client.force_login(make_user(Role.CASEWORKER))  # same unit: may read, not change

    page = client.get(reverse("application_detail", args=[case.pk, application.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Saknar barnomsorg" in body and "Inte angivet" in body
    assert reverse("application_obstacles", args=[case.pk, application.pk]) not in body
    assert "Spara beräkningen" not in body
