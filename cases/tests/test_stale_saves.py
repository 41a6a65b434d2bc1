"""Two people open the same edit form and both save: the second save is refused with a
Swedish message, the form comes back with what they typed, and the first save stands
(issue 14: "every edit form refuses a stale save"). Saving again after the refusal –
having compared – goes through.

The admin's lists that are data (closing reasons, försörjningshinder, lagrum, the
delegation order), the norm tables (the year with its inlines, a cost row on its own,
an import confirmed after the table changed), households (a member added, a membership
ended) and persons."""

import io
import os
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    ClosingReason,
    DelegationRule,
    HouseholdMember,
    LegalBasis,
    NormCommonCost,
    NormPersonalCost,
    NormYear,
    SupportObstacle,
)
from cases.services.people import household_create, household_member_add
from cases.tests.factories import PersonFactory
from cases.tests.html import admin_post_data

pytestmark = pytest.mark.django_db

STALE = "Någon annan har sparat ändringar här medan du skrev"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_text(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ------------------------------------------------------------------ admin change forms


def closing_reason():
    return ClosingReason.objects.first() or ClosingReason.objects.create(
        code="flyttat", label="Flyttat"
    )


def support_obstacle():
    return SupportObstacle.objects.first() or SupportObstacle.objects.create(
        code="ovrigt", label="Övrigt", group="other"
    )


def legal_basis():
    return LegalBasis.objects.first()


def delegation_rule():
    return DelegationRule.objects.first() or DelegationRule.objects.create(
        item_kind="livelihood", outcome="grant", role="caseworker", max_amount=10000
    )


def personal_cost():
    return NormPersonalCost.objects.get(norm_year__year=2026, category="adult_single")


def common_cost():
    return NormCommonCost.objects.get(norm_year__year=2026, persons=1)


ADMIN_FORMS = [
    # (url name, the row, field, the first one's value, the second one's value)
    ("admin:cases_closingreason_change", closing_reason, "label", "Flyttat (A)", "Flyttat (B)"),
    ("admin:cases_supportobstacle_change", support_obstacle, "label", "Hinder A", "Hinder B"),
    ("admin:cases_legalbasis_change", legal_basis, "description", "Innebörd A", "Innebörd B"),
    ("admin:cases_delegationrule_change", delegation_rule, "max_amount", "11000", "12000"),
    ("admin:cases_normpersonalcost_change", personal_cost, "amount", "5000", "5100"),
    ("admin:cases_normcommoncost_change", common_cost, "amount", "1400", "1500"),
]


@pytest.mark.parametrize(
    ("url_name", "row", "field", "first", "second"),
    ADMIN_FORMS,
    ids=[spec[0].split("_")[1] for spec in ADMIN_FORMS],
)
def test_admin_refuses_the_second_of_two_saves(administrator, url_name, row, field, first, second):
    obj = row()
    url = reverse(url_name, args=[obj.pk])
    alice, bertil = logged_in(administrator), logged_in(administrator)
    alice_data = admin_post_data(alice.get(url))
    bertil_data = admin_post_data(bertil.get(url))

    assert alice.post(url, {**alice_data, field: first}).status_code == 302
    refused = bertil.post(url, {**bertil_data, field: second})

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert STALE in " ".join(form.non_field_errors())
    assert str(form[field].value()) == second  # what was typed is kept
    obj.refresh_from_db()
    assert str(getattr(obj, field)).removesuffix(".00") == first.removesuffix(".00")
    # The refusal names what is saved now, to compare with.
    assert first.removesuffix(".00") in " ".join(form.non_field_errors())

    # Having compared, saving again goes through.
    again = bertil.post(url, admin_post_data(refused))
    assert again.status_code == 302
    obj.refresh_from_db()
    assert str(getattr(obj, field)).removesuffix(".00") == second.removesuffix(".00")


def test_norm_year_form_with_its_tables_refuses_a_stale_save(administrator):
    norm_year = NormYear.objects.get(year=2026)
    url = reverse("admin:cases_normyear_change", args=[norm_year.pk])
    alice, bertil = logged_in(administrator), logged_in(administrator)
    alice_data = admin_post_data(alice.get(url))
    bertil_data = admin_post_data(bertil.get(url))
    row = next(
        key.removesuffix("-category")
        for key, value in bertil_data.items()
        if key.startswith("personal_costs-") and value == "adult_single"
    )

    # Alice changes only an inline row; Bertil only the year's source.
    assert alice.post(url, {**alice_data, f"{row}-amount": "5300"}).status_code == 302
    refused = bertil.post(url, {**bertil_data, "source": "SFS 2025:9999"})

    assert refused.status_code == 200
    assert STALE in " ".join(refused.context["adminform"].form.non_field_errors())
    assert refused.context["adminform"].form["source"].value() == "SFS 2025:9999"
    norm_year.refresh_from_db()
    assert norm_year.source != "SFS 2025:9999"
    # Bertil's form still carried the old 5220 for the row: saving it would have undone
    # Alice's change.
    assert norm_year.personal_costs.get(category="adult_single").amount == 5300


def test_a_cost_row_saved_on_its_own_makes_the_year_form_stale(administrator):
    norm_year = NormYear.objects.get(year=2026)
    year_url = reverse("admin:cases_normyear_change", args=[norm_year.pk])
    cost = personal_cost()
    cost_url = reverse("admin:cases_normpersonalcost_change", args=[cost.pk])
    alice, bertil = logged_in(administrator), logged_in(administrator)
    bertil_data = admin_post_data(bertil.get(year_url))

    alice_data = admin_post_data(alice.get(cost_url))
    assert alice.post(cost_url, {**alice_data, "amount": "5400"}).status_code == 302
    refused = bertil.post(year_url, bertil_data)

    assert refused.status_code == 200
    cost.refresh_from_db()
    assert cost.amount == 5400


# ------------------------------------------------------------------ norm import


def norm_csv(amount: int) -> io.BytesIO:
    upload = io.BytesIO(
        f"year,category,amount,amount_lunch_away\r\n2026,adult_single,{amount},\r\n".encode()
    )
    upload.name = "personliga-2026.csv"
    return upload


def test_an_import_is_refused_when_the_year_changed_since_the_preview(administrator):
    import_url = reverse("admin:cases_normpersonalcost_import")
    confirm_url = reverse("admin:cases_normpersonalcost_process_import")
    cost = personal_cost()
    alice, bertil = logged_in(administrator), logged_in(administrator)

    preview = alice.post(import_url, {"format": "0", "import_file": norm_csv(5600)})
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    confirm_data = {bound.html_name: bound.value() or "" for bound in confirm}

    # Meanwhile Bertil changes the year's table (another row than the file's).
    child = NormPersonalCost.objects.get(norm_year__year=2026, category="child_0")
    child_url = reverse("admin:cases_normpersonalcost_change", args=[child.pk])
    child_data = admin_post_data(bertil.get(child_url))
    assert bertil.post(child_url, {**child_data, "amount": "2500"}).status_code == 302

    refused = alice.post(confirm_url, confirm_data)

    assert refused.status_code == 200
    assert "Riksnormen har ändrats sedan förhandsgranskningen" in messages_text(refused)
    cost.refresh_from_db()
    assert cost.amount == 3940  # nothing imported
    # The preview is shown again against the table as it is now, ready to confirm.
    again = refused.context["confirm_form"]
    assert again is not None
    # The same uploaded file: nothing has to be chosen again.
    assert again.initial["import_file_name"] == os.path.basename(confirm_data["import_file_name"])
    response = alice.post(confirm_url, {b.html_name: b.value() or "" for b in again})
    assert response.status_code == 302
    cost.refresh_from_db()
    assert cost.amount == 5600
    child.refresh_from_db()
    assert child.amount == 2500


def test_an_unchanged_year_imports_after_the_preview(administrator):
    client = logged_in(administrator)
    preview = client.post(
        reverse("admin:cases_normpersonalcost_import"),
        {"format": "0", "import_file": norm_csv(5700)},
    )
    confirm = preview.context["confirm_form"]
    version = NormYear.objects.get(year=2026).version
    response = client.post(
        reverse("admin:cases_normpersonalcost_process_import"),
        {bound.html_name: bound.value() or "" for bound in confirm},
    )
    assert response.status_code == 302
    assert personal_cost().amount == 5700
    assert NormYear.objects.get(year=2026).version > version  # the import changed the table


# ------------------------------------------------------------------ households


@pytest.fixture
def household(caseworker):
    applicant = PersonFactory(first_name="Sara", unit=caseworker.unit)
    household = household_create(
        applicant=applicant, unit=caseworker.unit, valid_from=date(2026, 1, 1), actor=caseworker
    )
    household_member_add(
        household,
        person=PersonFactory(first_name="Olle", unit=caseworker.unit),
        role=HouseholdMember.Role.OTHER_ADULT,
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    return household


def test_ending_a_membership_from_a_stale_page_is_refused(caseworker, household):
    applicant = household.memberships.get(role="applicant").person
    olle = household.memberships.get(person__first_name="Olle")
    page = reverse("person_detail", args=[applicant.pk])
    url = reverse("household_end_member", args=[applicant.pk, olle.pk])
    alice, bertil = logged_in(caseworker), logged_in(caseworker)
    version = re.search(r'name="version" value="(\d+)"', alice.get(page).content.decode()).group(1)
    assert bertil.get(page).status_code == 200

    assert alice.post(url, {"valid_to": "2026-06-30", "version": version}).status_code == 302
    refused = bertil.post(url, {"valid_to": "2026-09-30", "version": version})

    assert refused.status_code == 200
    text = page_text(refused)
    assert "Någon annan har ändrat hushållet medan du skrev" in text
    assert 'value="2026-09-30"' in text  # what was typed is kept
    assert "ingår till och med 2026-06-30" in text  # beside the household as it is now
    olle.refresh_from_db()
    assert olle.valid_to == date(2026, 6, 30)


def test_adding_a_member_from_a_stale_page_is_refused_and_keeps_the_typing(caseworker, household):
    applicant = household.memberships.get(role="applicant").person
    page = reverse("person_detail", args=[applicant.pk])
    url = reverse("household_add_member", args=[applicant.pk, household.pk])
    alice, bertil = logged_in(caseworker), logged_in(caseworker)
    version = re.search(r'name="version" value="(\d+)"', alice.get(page).content.decode()).group(1)
    start = (timezone.localdate() - timedelta(days=3)).isoformat()
    olle = household.memberships.get(person__first_name="Olle")
    newborn = {
        "first_name": "Lilla",
        "last_name": "Bebis",
        "birth_date": start,
        "role": "child",
        "valid_from": start,
        "version": version,
    }

    ended = alice.post(
        reverse("household_end_member", args=[applicant.pk, olle.pk]),
        {"valid_to": start, "version": version},
    )
    assert ended.status_code == 302
    refused = bertil.post(url, newborn)

    assert refused.status_code == 200
    assert "Någon annan har ändrat hushållet medan du skrev" in page_text(refused)
    form = refused.context["form"]
    assert form["first_name"].value() == "Lilla"
    assert not HouseholdMember.objects.filter(person__first_name="Lilla").exists()
    from cases.models import Person

    assert not Person.objects.filter(first_name="Lilla").exists()  # no orphan person

    resent = bertil.post(url, {**newborn, "version": form["version"].value()})
    assert resent.status_code == 302
    assert household.memberships.filter(person__first_name="Lilla").count() == 1


# ------------------------------------------------------------------ persons


def test_a_refused_person_save_can_be_saved_again_after_comparing(caseworker, household):
    person = household.memberships.get(role="applicant").person
    url = reverse("person_edit", args=[person.pk])
    alice, bertil = logged_in(caseworker), logged_in(caseworker)
    from cases.tests.html import form_post_data

    alice_data = form_post_data(alice.get(url).context["form"])
    bertil_data = form_post_data(bertil.get(url).context["form"])

    assert alice.post(url, {**alice_data, "phone": "070-111 11 11"}).status_code == 302
    refused = bertil.post(url, {**bertil_data, "city": "Norrköping"})
    assert refused.status_code == 200
    assert "Någon annan har ändrat personen" in page_text(refused)
    assert refused.context["form"]["city"].value() == "Norrköping"

    again = bertil.post(url, form_post_data(refused.context["form"]))
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.city == "Norrköping"
