from django.apps import AppConfig


class BenchdataConfig(AppConfig):
    name = "benchdata"
    verbose_name = "Bänkdata"
