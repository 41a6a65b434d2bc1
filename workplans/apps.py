"""Arbetsplan, introduktionsplan and jobbplan: activities, signatures, revisions.

Depends on ``cases`` only; plugs into it through its registries: deadline kinds, hooks
on the core's services, a panel on the case page and one on the caseworker's start page.
"""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = "Arbetsplaner"

    def ready(self):
        from cases.access import register_subject_unit
        from cases.extensions import Panel, register_case_panel, register_hook, register_start_panel
        from cases.roles import Role
        from workplans import deadlines, hooks, selectors  # noqa: F401 – kinds register on import
        from workplans.models.plans import ensure_plan_types

        # Plan types exist after every migrate and every test-database flush.
        post_migrate.connect(ensure_plan_types, sender=self)
        register_subject_unit("workplan", "workplans.WorkPlan", "case__unit_id")
        register_subject_unit(
            "workplan_activity", "workplans.Activity", "version__plan__case__unit_id"
        )
        register_hook("case_opened", hooks.on_case_opened)
        register_hook("first_visit_recorded", hooks.on_first_visit_recorded)
        register_hook("case_reassigned", hooks.on_case_reassigned)
        register_hook("case_closed", hooks.on_case_closed)
        register_hook("demo_loaded", hooks.on_demo_loaded)
        register_case_panel(
            Panel(
                name="workplans",
                template="workplans/_case_panel.html",
                context=selectors.case_panel_context,
                order=50,
            )
        )
        register_start_panel(
            Role.CASEWORKER,
            Panel(
                name="workplans_due",
                template="workplans/_start_panel.html",
                context=selectors.start_panel_context,
                order=50,
            ),
        )
