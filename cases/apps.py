from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Ärenden"

    def ready(self):
        from cases.roles import sync_role_groups

        # The four role groups (and the administrator's model permissions) exist after
        # every migrate and every test-database flush.
        post_migrate.connect(sync_role_groups, sender=self)
        from cases.models.casework import ensure_closing_reasons

        post_migrate.connect(ensure_closing_reasons, sender=self)
        from cases.models.applications import ensure_support_obstacles

        post_migrate.connect(ensure_support_obstacles, sender=self)
        from cases.models.decisions import ensure_decision_data

        post_migrate.connect(ensure_decision_data, sender=self)
        # Deadline kinds of the core app register themselves on import.
        import cases.services.applications  # noqa: F401
        import cases.services.contacts  # noqa: F401
        import cases.services.recovery  # noqa: F401  (the återkrav three-year clock)
        from cases.extensions import Panel, register_case_panel
        from cases.views.recovery import case_panel_context, case_panel_rows

        register_case_panel(
            Panel(
                name="recoveries",
                template="cases/_recovery_panel.html",
                context=case_panel_context,
                order=80,
                rows=case_panel_rows,
            )
        )
        from cases.views.gallring import hold_panel_context, hold_panel_rows

        register_case_panel(
            Panel(
                name="retention_holds",
                template="cases/_retention_hold_panel.html",
                context=hold_panel_context,
                order=90,
                rows=hold_panel_rows,
            )
        )
