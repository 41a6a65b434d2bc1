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


@transaction.atomic
def unit_motivering_template_set(unit: Unit, text: str, *, actor: User) -> Unit:
    """The unit's motivering template for routine months (cases.services.motivering);
    only known {placeholders} are accepted. Empty = the built-in text."""
    from cases.services.motivering import check_template

    text = text.strip()
    unknown = check_template(text)
    if unknown:
        raise ValueError(", ".join(unknown))
    Unit.objects.filter(pk=unit.pk).update(motivering_template=text)
    unit.motivering_template = text
    return unit
