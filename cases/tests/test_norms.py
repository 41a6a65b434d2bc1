"""The riksnorm tables (DOMAIN.md §4) and ``cases.norms.monthly_riksnorm``.

The expected figures are typed in from DOMAIN.md §4 (the förordning's tables), never
read back from the data migration, so a wrong figure in the migration fails here.
"""

import importlib
from decimal import Decimal

import pytest
import tablib
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.management.sql import emit_post_migrate_signal
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import NormCommonCost, NormPersonalCost, NormYear, PersonalCostCategory
from cases.norms import (
    NormError,
    child_category,
    format_kronor,
    monthly_riksnorm,
    norm_table,
    riksnorm_lines,
)
from cases.resources import NormCommonCostResource, NormPersonalCostResource, NormYearResource
from cases.roles import ADMINISTRATOR_MODEL_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

C = PersonalCostCategory

# DOMAIN.md §4, kronor per month: (amount, amount when lunch is not eaten at home 5 d/w).
PERSONAL = {
    2025: {
        C.CHILD_0: (2720, 2540),
        C.CHILD_1_2: (3030, 2780),
        C.CHILD_3: (2700, 2480),
        C.CHILD_4_6: (3030, 2700),
        C.CHILD_7_10: (3790, None),
        C.CHILD_11_14: (4350, None),
        C.CHILD_15_18: (4920, None),
        C.CHILD_19_20: (4960, None),
        C.ADULT_SINGLE: (3910, None),
        C.ADULT_COUPLE: (7050, None),
    },
    2026: {
        C.CHILD_0: (2740, 2560),
        C.CHILD_1_2: (3060, 2800),
        C.CHILD_3: (2720, 2500),
        C.CHILD_4_6: (3060, 2720),
        C.CHILD_7_10: (3820, None),
        C.CHILD_11_14: (4390, None),
        C.CHILD_15_18: (4960, None),
        C.CHILD_19_20: (5000, None),
        C.ADULT_SINGLE: (3940, None),
        C.ADULT_COUPLE: (7100, None),
    },
}
COMMON = {
    2025: {1: 1270, 2: 1400, 3: 1770, 4: 2010, 5: 2310, 6: 2620, 7: 2810},
    2026: {1: 1280, 2: 1410, 3: 1790, 4: 2030, 5: 2330, 6: 2640, 7: 2830},
}
EXTRA_PERSON = 190
PRISBASBELOPP = {2025: 58800, 2026: 59200}

# Every age 0–20 and the row it falls in.
AGE_BANDS = {
    0: C.CHILD_0,
    1: C.CHILD_1_2,
    2: C.CHILD_1_2,
    3: C.CHILD_3,
    4: C.CHILD_4_6,
    5: C.CHILD_4_6,
    6: C.CHILD_4_6,
    7: C.CHILD_7_10,
    10: C.CHILD_7_10,
    11: C.CHILD_11_14,
    14: C.CHILD_11_14,
    15: C.CHILD_15_18,
    18: C.CHILD_15_18,
    19: C.CHILD_19_20,
    20: C.CHILD_19_20,
}
AGE_BANDS.update({8: C.CHILD_7_10, 9: C.CHILD_7_10, 12: C.CHILD_11_14, 13: C.CHILD_11_14})
AGE_BANDS.update({16: C.CHILD_15_18, 17: C.CHILD_15_18})


def common(year: int, persons: int) -> int:
    if persons <= 7:
        return COMMON[year][persons]
    return COMMON[year][7] + (persons - 7) * EXTRA_PERSON


# ------------------------------------------------------------------ the loaded rows


@pytest.mark.parametrize(
    ("year", "category", "amount", "lunch_away"),
    [
        (year, category, amount, lunch_away)
        for year, rows in PERSONAL.items()
        for category, (amount, lunch_away) in rows.items()
    ],
)
def test_every_personal_cost_row_is_loaded(year, category, amount, lunch_away):
    row = NormPersonalCost.objects.get(norm_year__year=year, category=category)
    assert row.amount == Decimal(amount)
    assert row.amount_lunch_away == (None if lunch_away is None else Decimal(lunch_away))

    table = norm_table(year)
    assert table.personal_amount(category) == amount
    if lunch_away is not None:
        assert table.personal_amount(category, lunch_away=True) == lunch_away


@pytest.mark.parametrize(
    ("year", "persons", "amount"),
    [(year, persons, amount) for year, rows in COMMON.items() for persons, amount in rows.items()],
)
def test_every_common_cost_row_is_loaded(year, persons, amount):
    assert NormCommonCost.objects.get(norm_year__year=year, persons=persons).amount == amount
    assert norm_table(year).common_amount(persons) == amount


@pytest.mark.parametrize("year", [2025, 2026])
def test_year_rows_are_complete_and_active(year):
    norm_year = NormYear.objects.get(year=year)
    assert norm_year.is_active
    assert norm_year.prisbasbelopp == PRISBASBELOPP[year]
    assert norm_year.common_cost_per_extra_person == EXTRA_PERSON
    assert norm_year.source
    assert norm_year.personal_costs.count() == 10
    assert norm_year.common_costs.count() == 7


# ------------------------------------------------------------- the published totals


def test_published_totals_2026():
    assert monthly_riksnorm(2026, adults=1) == 5220  # 3 940 + 1 280
    assert monthly_riksnorm(2026, adults=2) == 8510  # 7 100 + 1 410


def test_totals_2025():
    assert monthly_riksnorm(2025, adults=1) == 3910 + 1270
    assert monthly_riksnorm(2025, adults=2) == 7050 + 1400


def test_returns_int():
    assert type(monthly_riksnorm(2026, adults=1, child_ages=[4])) is int


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("age", range(21))
def test_each_child_age_falls_in_its_band(year, age):
    expected = (
        PERSONAL[year][C.ADULT_SINGLE][0] + PERSONAL[year][AGE_BANDS[age]][0] + common(year, 2)
    )
    assert child_category(age) == AGE_BANDS[age]
    assert monthly_riksnorm(year, adults=1, child_ages=[age]) == expected


@pytest.mark.parametrize(
    ("year", "persons", "adults"),
    [
        (year, persons, adults)
        for year in (2025, 2026)
        for persons in range(1, 10)
        for adults in (1, 2)
        if adults <= persons
    ],
)
def test_households_of_one_to_nine_persons(year, persons, adults):
    children = persons - adults
    adult_row = C.ADULT_SINGLE if adults == 1 else C.ADULT_COUPLE
    expected = (
        PERSONAL[year][adult_row][0]
        + children * PERSONAL[year][C.CHILD_7_10][0]
        + common(year, persons)
    )
    assert monthly_riksnorm(year, adults=adults, child_ages=[8] * children) == expected


def test_above_seven_persons_each_further_person_adds_190():
    # 2026: 7 persons 2 830, 8 → 3 020, 9 → 3 210, 12 → 3 780.
    table = norm_table(2026)
    assert [table.common_amount(n) for n in (7, 8, 9, 12)] == [2830, 3020, 3210, 3780]


def test_mixed_ages_couple_2026():
    ages = [0, 2, 3, 5, 9, 12, 17, 20]
    expected = 7100 + 2740 + 3060 + 2720 + 3060 + 3820 + 4390 + 4960 + 5000 + (2830 + 3 * 190)
    assert monthly_riksnorm(2026, adults=2, child_ages=ages) == expected
    assert monthly_riksnorm(2026, adults=2, child_ages=tuple(ages)) == expected


def test_sambo_is_cheaper_than_two_single_adults():
    # The couple's row is not twice the single row, and a couple is one household.
    assert monthly_riksnorm(2026, adults=2) == 8510
    assert monthly_riksnorm(2026, adults=2) < 2 * monthly_riksnorm(2026, adults=1)


def test_riksnorm_lines_are_itemised():
    lines = riksnorm_lines(2026, adults=2, child_ages=[4, 16])

    assert [line.amount for line in lines] == [7100, 3060, 4960, 2030]
    assert "Sammanboende" in lines[0].note
    assert lines[1].label == "Personliga kostnader – barn 4 år"
    assert lines[1].note == "Barn 4–6 år"
    assert lines[3].label == "Gemensamma hushållskostnader"
    assert lines[3].note == "Hushåll med 4 personer"
    assert sum(line.amount for line in lines) == monthly_riksnorm(
        2026, adults=2, child_ages=[4, 16]
    )


def test_lunch_away_lowers_only_ages_0_to_6():
    table = norm_table(2026)
    assert table.personal_amount(C.CHILD_1_2, lunch_away=True) == 2800
    line = table.personal_line(C.CHILD_0, lunch_away=True)
    assert line.amount == 2560
    assert "lunch" in line.note
    with pytest.raises(NormError, match="0–6 år"):
        table.personal_amount(C.CHILD_7_10, lunch_away=True)
    with pytest.raises(NormError, match="0–6 år"):
        table.personal_amount(C.ADULT_SINGLE, lunch_away=True)


def test_share_of_common_costs_for_a_separate_adult():
    # An adult who applies alone in a home of three: 1 790 × 1/3 = 596,666… → 596,67.
    line = norm_table(2026).common_line(3, persons_included=1)
    assert line.amount == Decimal("596.67")
    assert "1/3" in line.note
    assert "1\u00a0790\u00a0kr" in line.note


def test_format_kronor():
    assert format_kronor(Decimal("1790")) == "1\u00a0790\u00a0kr"
    assert format_kronor(Decimal("596.666")) == "596,67\u00a0kr"
    assert format_kronor(59200) == "59\u00a0200\u00a0kr"


# -------------------------------------------------------------------- invalid input


def test_unknown_year_is_refused_in_swedish():
    with pytest.raises(ValueError, match=r"^Riksnorm för 2031 finns inte inlagd\.$"):
        monthly_riksnorm(2031, adults=1)


def test_inactive_year_is_not_used():
    NormYear.objects.filter(year=2026).update(is_active=False)
    with pytest.raises(ValueError, match="Riksnorm för 2026 finns inte inlagd"):
        monthly_riksnorm(2026, adults=1)


def test_incomplete_year_says_what_is_missing():
    NormPersonalCost.objects.filter(norm_year__year=2026, category=C.CHILD_3).delete()
    NormCommonCost.objects.filter(norm_year__year=2026, persons=5).delete()
    with pytest.raises(ValueError, match="inte komplett") as error:
        monthly_riksnorm(2026, adults=1)
    assert "Barn 3 år" in str(error.value)
    assert "5 pers." in str(error.value)


@pytest.mark.parametrize("adults", [0, 3, -1, True, 1.0, "1", None])
def test_adults_must_be_one_or_two(adults):
    with pytest.raises(ValueError, match="vuxna"):
        monthly_riksnorm(2026, adults=adults)


@pytest.mark.parametrize("ages", [[-1], [21], [4, 30], [2.5], ["3"], [True], [None], "12"])
def test_child_ages_must_be_whole_years_0_to_20(ages):
    with pytest.raises(ValueError, match="[Åå]lder|åldrar"):
        monthly_riksnorm(2026, adults=1, child_ages=ages)


def test_invalid_input_is_refused_before_reading_the_tables(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValueError):
        monthly_riksnorm(2026, adults=1, child_ages=[21])


def test_one_year_costs_three_queries(django_assert_num_queries):
    with django_assert_num_queries(3):
        monthly_riksnorm(2026, adults=2, child_ages=list(range(21)))


# ------------------------------------------------------------------- model guards


def test_lunch_away_amount_only_for_young_children_in_the_database():
    row = NormPersonalCost.objects.get(norm_year__year=2026, category=C.CHILD_7_10)
    row.amount_lunch_away = Decimal(3000)
    with pytest.raises(ValidationError):
        row.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        row.save()


def test_common_costs_only_for_one_to_seven_persons():
    norm_year = NormYear.objects.get(year=2026)
    with transaction.atomic(), pytest.raises(IntegrityError):
        NormCommonCost.objects.create(norm_year=norm_year, persons=8, amount=3020)


def test_amounts_are_whole_kronor():
    row = NormCommonCost.objects.get(norm_year__year=2026, persons=1)
    row.amount = Decimal("1280.50")
    with pytest.raises(ValidationError, match="hela kronor"):
        row.full_clean()
    row.save()  # a row saved past the form is still refused when the norm is read
    with pytest.raises(ValueError, match="ören"):
        monthly_riksnorm(2026, adults=1)


# ------------------------------------------------- data migration and flushed tables


def _migration():
    return importlib.import_module("cases.migrations.0004_norms")


def test_data_migration_is_reversible():
    class Editor:
        class connection:  # noqa: N801 – stands in for schema_editor.connection
            alias = "default"

    migration = _migration()
    migration.unload_norms(global_apps, Editor)
    assert not NormYear.objects.filter(year__in=[2025, 2026]).exists()
    assert not NormPersonalCost.objects.exists()

    migration.load_norms(global_apps, Editor)
    assert monthly_riksnorm(2026, adults=1) == 5220
    assert monthly_riksnorm(2025, adults=2) == 8450


def test_published_norms_come_back_after_a_flush():
    # A flush (every transactional test) empties the tables; post_migrate refills them,
    # as it does the role groups, so a reused test database still has the norm.
    NormYear.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert monthly_riksnorm(2026, adults=2) == 8510


def test_post_migrate_leaves_existing_years_alone():
    NormYear.objects.filter(year=2025).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not NormYear.objects.filter(year=2025).exists()


# ------------------------------------------------------------ admin and import


def test_administrators_hold_the_norm_permissions(administrator):
    for model in ("normyear", "normpersonalcost", "normcommoncost"):
        assert ("cases", model) in ADMINISTRATOR_MODEL_PERMISSIONS
        for action in ("view", "add", "change", "delete"):
            assert administrator.has_perm(f"cases.{action}_{model}")


def test_administrator_sees_a_year_with_both_tables(client, administrator):
    client.force_login(administrator)
    norm_year = NormYear.objects.get(year=2026)

    listing = client.get(reverse("admin:cases_normyear_changelist"))
    change = client.get(reverse("admin:cases_normyear_change", args=[norm_year.pk]))

    assert listing.status_code == 200
    assert "2026" in listing.content.decode()
    assert change.status_code == 200
    page = change.content.decode()
    assert "personal_costs-TOTAL_FORMS" in page
    assert "common_costs-TOTAL_FORMS" in page
    for url_name in (
        "admin:cases_normyear_import",
        "admin:cases_normpersonalcost_import",
        "admin:cases_normcommoncost_import",
    ):
        assert client.get(reverse(url_name)).status_code == 200


def test_saving_an_active_incomplete_year_warns(client, administrator):
    client.force_login(administrator)
    management = {
        f"{prefix}-{field}": value
        for prefix in ("personal_costs", "common_costs")
        for field, value in (("TOTAL_FORMS", 1), ("INITIAL_FORMS", 0), ("MAX_NUM_FORMS", 10))
    }
    response = client.post(
        reverse("admin:cases_normyear_add"),
        {
            "year": 2027,
            "is_active": "on",
            "source": "SFS 2026:1",
            "prisbasbelopp": "60000",
            "common_cost_per_extra_person": "200",
            **management,
            "personal_costs-0-category": "adult_single",
            "personal_costs-0-amount": "4000",
            "common_costs-0-persons": "1",
            "common_costs-0-amount": "1300",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "inte komplett" in response.content.decode()
    assert NormYear.objects.get(year=2027).personal_costs.get().amount == 4000
    with pytest.raises(ValueError, match="inte komplett"):
        monthly_riksnorm(2027, adults=1)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.UNIT_MANAGER, Role.RECEPTION])
def test_only_administrators_reach_the_norm_admin(client, make_user, role):
    client.force_login(make_user(role))
    for url_name in ("admin:cases_normyear_changelist", "admin:cases_normyear_import"):
        assert client.get(reverse(url_name), follow=True).status_code == 403


def _export(resource, **filters):
    return resource().export(resource().get_queryset().filter(**filters))


def test_a_new_year_is_imported_from_last_years_export():
    year_data = _export(NormYearResource, year=2026)
    personal = _export(NormPersonalCostResource, norm_year__year=2026)
    common_data = _export(NormCommonCostResource, norm_year__year=2026)
    assert set(personal.headers) == {"year", "category", "amount", "amount_lunch_away"}

    def to_2027(dataset, **changes):
        rows = []
        for row in dataset.dict:
            row = dict(row, year=2027)
            rows.append({**row, **{k: v for k, v in changes.items() if k in row}})
        return tablib.Dataset(*[list(r.values()) for r in rows], headers=list(rows[0]))

    new_year = to_2027(year_data, is_active=1, source="SFS 2026:999")
    new_personal = to_2027(personal)
    new_personal[-2] = (2027, "Ensamstående vuxen", "4000.00", "")  # label works too
    new_common = to_2027(common_data)

    for resource, dataset in (
        (NormYearResource, new_year),
        (NormPersonalCostResource, new_personal),
        (NormCommonCostResource, new_common),
    ):
        result = resource().import_data(dataset, dry_run=False, raise_errors=True)
        assert not result.has_validation_errors()

    assert monthly_riksnorm(2027, adults=1) == 4000 + 1280
    assert monthly_riksnorm(2026, adults=1) == 5220  # last year untouched

    # Importing the same file again changes nothing.
    again = NormPersonalCostResource().import_data(new_personal, dry_run=False)
    assert {row.import_type for row in again.rows} == {"skip"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((2026, "child_99", "100", ""), "Okänd kategori"),
        ((2026, "child_3", "2720.50", ""), "hela kronor"),
        ((2026, "adult_single", "3940", "3000"), "0–6 år"),
        ((2026, "child_3", "-5", ""), "0"),
    ],
)
def test_bad_import_rows_are_reported_and_nothing_is_saved(row, message):
    dataset = tablib.Dataset(row, headers=["year", "category", "amount", "amount_lunch_away"])
    result = NormPersonalCostResource().import_data(dataset, dry_run=False)

    assert result.has_errors() or result.has_validation_errors()
    errors = [str(e.error) for e in result.base_errors] + [
        str(error)
        for invalid in result.invalid_rows
        for messages in invalid.error_dict.values()
        for error in messages
    ]
    errors += [str(e.error) for _, row_errors in result.row_errors() for e in row_errors]
    assert any(message in error for error in errors), errors
    assert monthly_riksnorm(2026, adults=1) == 5220
