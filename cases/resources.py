"""Import and export of the riksnorm tables (django-import-export), for the admin.

A new year arrives every 1 January (DOMAIN.md §4). The administrator exports last
year's three tables, enters the new amounts and imports them in order: the year
(``NormYearResource``), then its personal and common costs, which name their year by
number. Rows are matched on their natural keys – (year), (year, category),
(year, persons) – so importing the same file twice changes nothing, and every row is
validated by the model (whole kronor, categories, 1–7 persons) before anything is saved.
Import a new year with ``is_active`` = 0 and switch it on once it is checked.
"""

from django.db.models import F
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from cases.models import NormCommonCost, NormPersonalCost, NormYear, PersonalCostCategory


class CategoryWidget(widgets.Widget):
    """Exports the category code (``child_0``); imports the code or the Swedish label
    (``Barn 0 år``), so a file typed from the förordning's table also works."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for category in PersonalCostCategory:
            if text in (category.value, str(category.label)):
                return category.value
        raise ValueError(_("Okänd kategori: %(value)s.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value or ""


class RaisesNormVersion:
    """Every imported row raises its year's version (``cases.admin_versions``): a form
    or a preview made against the table before the import is refused."""

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        year_id = instance.pk if isinstance(instance, NormYear) else instance.norm_year_id
        NormYear.objects.filter(pk=year_id).update(version=F("version") + 1)


class NormYearResource(RaisesNormVersion, resources.ModelResource):
    class Meta:
        model = NormYear
        fields = ("year", "common_cost_per_extra_person", "prisbasbelopp", "source", "is_active")
        import_id_fields = ("year",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class NormPersonalCostResource(RaisesNormVersion, resources.ModelResource):
    norm_year = fields.Field(
        attribute="norm_year",
        column_name="year",
        widget=widgets.ForeignKeyWidget(NormYear, field="year"),
    )
    category = fields.Field(attribute="category", column_name="category", widget=CategoryWidget())

    class Meta:
        model = NormPersonalCost
        fields = ("norm_year", "category", "amount", "amount_lunch_away")
        import_id_fields = ("norm_year", "category")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("norm_year")


class NormCommonCostResource(RaisesNormVersion, resources.ModelResource):
    norm_year = fields.Field(
        attribute="norm_year",
        column_name="year",
        widget=widgets.ForeignKeyWidget(NormYear, field="year"),
    )

    class Meta:
        model = NormCommonCost
        fields = ("norm_year", "persons", "amount")
        import_id_fields = ("norm_year", "persons")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("norm_year")
