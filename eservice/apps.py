from django.apps import AppConfig


class EserviceConfig(AppConfig):
    name = "eservice"
    verbose_name = "Min ansökan (e-tjänst)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.access import register_subject_unit
        from cases.extensions import Panel, register_case_panel
        from eservice import staff_views

        register_case_panel(
            Panel(
                name="eservice",
                template="eservice/staff/_case_panel.html",
                context=staff_views.case_panel_context,
                order=40,
                rows=staff_views.case_panel_rows,
            )
        )
        register_subject_unit("eapplication", "eservice.EApplication", "case__unit_id")
        register_subject_unit("attachment", "eservice.Attachment", "eapplication__case__unit_id")
