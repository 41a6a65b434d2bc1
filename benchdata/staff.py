"""The benchmark's units and staff: a unit manager, a receptionist and 10–15 caseworkers
per unit. Few rows, so the ORM; kept across resets (the append-only access log may
refer to them) and reused by username."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group

from benchdata import UNIT_CODE_PREFIX
from benchdata.texts import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES
from cases.models import Unit, User
from cases.roles import Role

CASEWORKERS_PER_UNIT = (10, 15)


@dataclass
class UnitStaff:
    unit: Unit
    manager: User
    reception: User
    caseworkers: list[User]
    # Part-time and new colleagues carry fewer cases than others.
    weights: list[float] = field(default_factory=list)

    def pick(self, rng: random.Random) -> User:
        return rng.choices(self.caseworkers, self.weights)[0]


def unit_code(number: int) -> str:
    return f"{UNIT_CODE_PREFIX}{number:02d}"


def ensure_staff(units: int, rng: random.Random) -> list[UnitStaff]:
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    result = []
    for number in range(1, units + 1):
        unit, _ = Unit.objects.update_or_create(
            code=unit_code(number),
            defaults={"name": f"Bänkenheten {number:02d}", "is_active": True},
        )
        prefix = f"bench{number:02d}"
        manager = _user(f"{prefix}-chef", unit, groups[Role.UNIT_MANAGER], "Enhetschef", rng)
        reception = _user(f"{prefix}-reception", unit, groups[Role.RECEPTION], "Receptionist", rng)
        count = rng.randint(*CASEWORKERS_PER_UNIT)
        caseworkers = [
            _user(f"{prefix}-hl{j:02d}", unit, groups[Role.CASEWORKER], "Socialsekreterare", rng)
            for j in range(1, count + 1)
        ]
        # Caseworkers of an earlier, larger run stay (the access log may name them) but
        # no longer work here.
        User.objects.filter(unit=unit, username__startswith=f"{prefix}-hl").exclude(
            pk__in=[u.pk for u in caseworkers]
        ).update(is_active=False)
        weights = [rng.choice((0.6, 1.0, 1.0, 1.0, 1.2)) for _ in caseworkers]
        result.append(UnitStaff(unit, manager, reception, caseworkers, weights))
    return result


def _user(username: str, unit: Unit, group: Group, title: str, rng: random.Random) -> User:
    first = rng.choice(rng.choice((FIRST_NAMES_FEMALE, FIRST_NAMES_MALE)))
    user, created = User.objects.select_related(None).get_or_create(
        username=username,
        defaults={
            "unit": unit,
            "first_name": first,
            "last_name": rng.choice(LAST_NAMES),
            "email": f"{username}@bench.example",
            "title": title,
        },
    )
    if created:
        user.set_unusable_password()  # benchmarks sign in with force_login
        user.save(update_fields=["password"])
    elif not user.is_active or user.unit_id != unit.pk:
        user.is_active, user.unit = True, unit
        user.save(update_fields=["is_active", "unit"])
    user.groups.set([group])
    return user
