from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = "Inloggning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_migrate

        from cases.extensions import Panel, register_start_panel
        from cases.roles import Role
        from signin import panels, services

        user_logged_in.connect(services.on_user_logged_in, dispatch_uid="signin_logged_in")
        user_logged_out.connect(services.on_user_logged_out, dispatch_uid="signin_logged_out")
        post_migrate.connect(services.sync_admin_permissions, sender=self)
        register_start_panel(
            Role.UNIT_MANAGER,
            Panel(
                name="unassigned_work",
                template="signin/_unassigned_panel.html",
                context=panels.unassigned_work,
                order=10,
            ),
        )
