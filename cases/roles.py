"""The staff roles (DESIGN.md "Roles and access"), held as Django groups.

The nämnd secretary (nämndsekreterare) prepares the nämnd's agenda: the anmälan av
delegationsbeslut (KL 6 kap. 40 §) and the reports of decisions not executed (SoL
2025:400 34 kap.) for the nämnd of their unit – lists without client data, never a case."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role is a group of the same name. Order here is the precedence for a user in
    several groups (e.g. a unit manager who also handles cases lands on "Min enhet")."""

    ADMINISTRATOR = "administrator", _("Administratör")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    CASEWORKER = "caseworker", _("Handläggare")
    BOARD_SECRETARY = "board_secretary", _("Nämndsekreterare")
    RECEPTION = "reception", _("Reception")


ROLE_PRECEDENCE: tuple[Role, ...] = tuple(Role)

# The start page each role lands on after login.
START_PAGE_URL_NAMES: dict[Role, str] = {
    Role.RECEPTION: "reception_start",
    Role.CASEWORKER: "caseworker_start",
    Role.UNIT_MANAGER: "unit_manager_start",
    Role.ADMINISTRATOR: "administrator_start",
    Role.BOARD_SECRETARY: "board_start",
}

# Model permissions the administrator group holds in the admin site: people who work
# here and how they are organised – no case content (DESIGN.md).
ADMINISTRATOR_MODEL_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("cases", "user"),
    ("cases", "unit"),
    ("auth", "group"),
    ("axes", "accessattempt"),  # to see and lift login lockouts
    ("cases", "legalbasis"),  # lagrum as data
    ("cases", "legalbasisoutcome"),  # the outcomes each lagrum allows, with appeal route
    ("cases", "delegationrule"),  # the delegeringsordning
    ("cases", "delegationorder"),  # when the nämnd adopted it (KL 6 kap. 37 §)
    ("cases", "closingreason"),
    ("cases", "supportobstacle"),  # försörjningshinder (DOMAIN.md §9)
    # The riksnorm, loaded per year (DOMAIN.md §4).
    ("cases", "normyear"),
    ("cases", "normpersonalcost"),
    ("cases", "normcommoncost"),
)


def sync_role_groups(**kwargs) -> None:
    """Create the role groups and give the administrator group its model permissions.

    Idempotent; connected to post_migrate so a fresh database (or a flushed test
    database) always has them.
    """
    from django.contrib.auth.models import Group, Permission

    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    admin_perms = Permission.objects.filter(
        models.Q(
            *[
                models.Q(content_type__app_label=app, content_type__model=model)
                for app, model in ADMINISTRATOR_MODEL_PERMISSIONS
            ],
            _connector=models.Q.OR,
        )
    )
    groups[Role.ADMINISTRATOR].permissions.add(*admin_perms)
