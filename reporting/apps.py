from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Uppföljning"

    def ready(self) -> None:
        from cases.extensions import register_hook
        from cases.figures import FIGURES_CHANGED
        from reporting.aggregates import mark_dirty

        # The core's services report changed facts; the stored monthly figures of those
        # months are marked for recomputation (issue 20).
        register_hook(FIGURES_CHANGED, mark_dirty)
