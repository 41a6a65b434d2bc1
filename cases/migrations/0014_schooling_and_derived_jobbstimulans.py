"""Issue 22 (SoL 12 kap. 8–9 §§): schooling per young person and month; jobbstimulans
derived from each person's history instead of a month count stored on the application.

No data is rewritten. ``Application.consecutive_months`` was an input to the old
household-wide count (months of the case with a calculated result above 0); it is
dropped, not converted – it could be recomputed from the case's own applications, and
it is not the fact 12:8 asks for. The stored calculations (``Application.calculation``,
stored form version 1) are historical records and stay exactly as they are:
``cases.calculation.Calculation.from_dict`` still reads version 1, and only new
calculations (version 2) use the derived statuses.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_legal_bases_as_rules"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="application",
            name="consecutive_months",
        ),
        migrations.CreateModel(
            name="ApplicationSchooling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "in_school",
                    models.BooleanField(
                        verbose_name="går i grundskola, gymnasieskola eller jämförlig grundutbildning"
                    ),
                ),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="schooling",
                        to="cases.application",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.person",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "skolgång i ansökan",
                "verbose_name_plural": "skolgång i ansökningar",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("application", "person"),
                        name="application_schooling_once_per_person",
                    )
                ],
            },
        ),
    ]
