"""Demo data for `make run`: two units and one user per role (password ``vagen-demo``).

Idempotent: running it again changes nothing. Later capabilities add clients and cases
here, with Skatteverket's test personnummer only (DOMAIN.md §7).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from cases.models import Unit, User
from cases.roles import Role

DEMO_PASSWORD = "vagen-demo"  # noqa: S105 – published in the README, demo only

DEMO_UNITS = (("nord", "Nord"), ("syd", "Syd"))


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    unit_code: str | None
    title: str


DEMO_USERS = (
    DemoUser("anna.reception", "Anna", "Lind", Role.RECEPTION, "nord", "Receptionist"),
    DemoUser("erik.handlaggare", "Erik", "Holm", Role.CASEWORKER, "nord", "Socialsekreterare"),
    DemoUser("sara.handlaggare", "Sara", "Nilsson", Role.CASEWORKER, "nord", "Socialsekreterare"),
    DemoUser("omar.handlaggare", "Omar", "Haddad", Role.CASEWORKER, "syd", "Socialsekreterare"),
    DemoUser("maria.enhetschef", "Maria", "Berg", Role.UNIT_MANAGER, "nord", "Enhetschef"),
    DemoUser("admin", "Adam", "Ek", Role.ADMINISTRATOR, None, "Systemförvaltare"),
)


@transaction.atomic
def load_demo() -> None:
    units = {
        code: Unit.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEMO_UNITS
    }
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    for spec in DEMO_USERS:
        user, created = User.objects.select_related(None).update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@kommun.example",
                "title": spec.title,
                "unit": units[spec.unit_code] if spec.unit_code else None,
                "is_active": True,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([groups[spec.role]])
