"""Units: settings the unit manager controls."""

from django.db import transaction

from cases.models import Unit, User


@transaction.atomic
def unit_on_duty_set(unit: Unit, caseworker: User | None, *, actor: User) -> Unit:
    """Who takes acute needs (DOMAIN.md §2.1). The caseworker must be in the unit."""
    if caseworker is not None and caseworker.unit_id != unit.pk:
        raise ValueError("on-duty caseworker must belong to the unit")
    Unit.objects.filter(pk=unit.pk).update(on_duty=caseworker)
    unit.on_duty = caseworker
    return unit
