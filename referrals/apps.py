"""Referrals (remisser) to other agencies, kartläggning and three-party meetings.

Depends on ``cases`` only; plugs into it through ``cases.extensions`` (case-page and
start-page panels, service hooks), the deadline registry and a guarded link to workplans."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The reference data an administrator keeps (DESIGN.md: administrators manage registers,
# no case content): providers and their services.
ADMINISTRATOR_MODELS: tuple[str, ...] = ("provider", "providerservice")


def sync_administrator_permissions(**kwargs) -> None:
    """post_migrate: the administrator group may manage providers and services in the
    admin site. Idempotent, like cases.roles.sync_role_groups."""
    from django.contrib.auth.models import Group, Permission

    from cases.roles import Role

    group, _created = Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="referrals", content_type__model__in=ADMINISTRATOR_MODELS
        )
    )


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Remisser"

    def ready(self):
        from cases.access import register_subject_unit
        from cases.extensions import register_hook
        from referrals import clocks, panels, workplan_link  # noqa: F401 – kinds register
        from referrals.demo import load_referrals_demo
        from referrals.services import referrals_close_with_case, referrals_follow_case

        post_migrate.connect(sync_administrator_permissions, sender=self)
        panels.register()
        register_subject_unit("referral", "referrals.Referral", "case__unit_id")
        register_subject_unit("mapping", "cases.Person", "unit_id")  # by person id
        register_hook("case_reassigned", referrals_follow_case)
        register_hook("case_closed", referrals_close_with_case)
        register_hook("demo_loaded", load_referrals_demo)
        workplan_link.register_with_workplans()
