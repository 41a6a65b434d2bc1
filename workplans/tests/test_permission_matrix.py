"""Every URL in ``workplans`` against every kind of user: only people with access to
the case see its plans, only those who may change the case change them. A URL without
an entry here fails the test."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import AccessLog
from cases.roles import Role
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.matrix import OK, expect, outcomes
from workplans import urls
from workplans.services import plan_revise
from workplans.tests.conftest import signed_plan

READ = expect(own=OK, colleague=OK, manager=OK)  # colleagues read (UNIT_COLLEAGUES_CAN_READ)
WRITE = expect(own=OK, manager=OK)

PLAN = lambda w: [w["plan"].pk]  # noqa: E731
ENTRIES = {
    "plan_create": ("post", lambda w: [w["case"].pk], WRITE, {}),
    "plan_detail": ("get", PLAN, READ, None),
    "plan_autosave": ("post", PLAN, WRITE, {}),
    "plan_save": ("post", PLAN, WRITE, {}),
    "plan_reopen": ("post", PLAN, WRITE, {}),
    "plan_discard": ("post", PLAN, WRITE, {}),
    "plan_sign": ("post", PLAN, WRITE, {"party": "client"}),
    "plan_revise": ("post", PLAN, WRITE, {}),
    "follow_up_add": ("post", PLAN, WRITE, {}),
    "plan_compare": ("get", PLAN, READ, None),
    "plan_pdf": ("get", lambda w: [w["plan"].pk, 1], READ, None),
    "signature_copy": ("get", lambda w: [w["plan"].pk, w["signature"].pk], READ, None),
    "activity_open": ("get", lambda w: [w["activity"].pk], READ, None),
}


def test_every_workplans_url_has_an_entry():
    names = {p.name for p in urls.urlpatterns if p.name}
    missing = names - set(ENTRIES)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


@pytest.fixture
def world(db, make_user, unit, other_unit):
    own = make_user(Role.CASEWORKER)
    case = CaseFactory(caseworker=own, applicant=PersonFactory(birth_date=date(1985, 5, 5)))
    plan = signed_plan(case, own)
    v1 = plan.versions.get()
    plan_revise(plan, actor=own, reason="Ny situation")
    users = {
        "own": own,
        "colleague": make_user(Role.CASEWORKER),
        "other_unit": make_user(Role.CASEWORKER, unit=other_unit),
        "manager": make_user(Role.UNIT_MANAGER),
        "other_manager": make_user(Role.UNIT_MANAGER, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
        "deactivated": make_user(Role.CASEWORKER),
    }
    return {
        "users": users,
        "case": case,
        "plan": plan,
        "signature": v1.signatures.first(),
        "activity": v1.activities.first(),
    }


@pytest.mark.parametrize("url_name", sorted(ENTRIES))
def test_permission_matrix(client, world, url_name):
    method, args, expected, data = ENTRIES[url_name]
    url = reverse(f"workplans:{url_name}", args=args(world))
    got = outcomes(client, world["users"], url, method, data)
    assert got == expected


def test_every_plan_view_writes_the_access_log(client, world):
    plan = world["plan"]
    client.force_login(world["users"]["other_unit"])
    assert client.get(reverse("workplans:plan_detail", args=[plan.pk])).status_code == 404
    client.force_login(world["users"]["colleague"])
    assert client.get(reverse("workplans:plan_detail", args=[plan.pk])).status_code == 200

    rows = list(
        AccessLog.objects.filter(subject_type="workplan", subject_id=str(plan.pk))
        .order_by("pk")
        .values_list("username", "outcome", "subject_unit")
    )
    # The denied attempt names the plan's unit too, so that unit's manager sees another
    # unit's user trying (issue 13: the access log serves the owning unit).
    assert rows == [
        (world["users"]["other_unit"].username, "denied", world["case"].unit_id),
        (world["users"]["colleague"].username, "allowed", world["case"].unit_id),
    ]


def test_a_missing_plan_and_a_forbidden_plan_look_the_same(client, world):
    client.force_login(world["users"]["other_unit"])
    forbidden = client.get(reverse("workplans:plan_detail", args=[world["plan"].pk]))
    missing = client.get(reverse("workplans:plan_detail", args=[world["plan"].pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404


def test_plans_of_a_protected_case_need_an_explicit_grant(client, make_user):
    from guardian.shortcuts import assign_perm

    own = make_user(Role.CASEWORKER)
    case = CaseFactory(caseworker=own, applicant=PersonFactory(protected=True))
    plan = signed_plan(case, own)
    colleague, manager = make_user(Role.CASEWORKER), make_user(Role.UNIT_MANAGER)
    url = reverse("workplans:plan_detail", args=[plan.pk])
    pdf = reverse("workplans:plan_pdf", args=[plan.pk, 1])

    for user, expected in ((own, 200), (colleague, 404), (manager, 404)):
        client.force_login(user)
        assert client.get(url).status_code == expected
        assert client.get(pdf).status_code == expected

    assign_perm("cases.view_case", manager, case)
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_a_colleague_reads_but_cannot_change(client, world):
    plan = world["plan"]
    client.force_login(world["users"]["colleague"])
    page = client.get(reverse("workplans:plan_detail", args=[plan.pk])).content.decode()
    assert "Klar för underskrift" not in page
    assert "Lägg till aktivitet" not in page
    response = client.post(
        reverse("workplans:plan_save", args=[plan.pk]), {f"plan{plan.pk}-next_step": "Ändrat"}
    )
    assert response.status_code == 404
    assert plan.versions.get(number=2).next_step == "Skriva in sig hos Arbetsförmedlingen."
