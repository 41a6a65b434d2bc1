"""Admin registrations: staff users, units, the riksnorm tables and the lists that are
data (lagrum, delegation, closing reasons, försörjningshinder) – administrators only, see
config.admin."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from cases.admin_versions import VersionCheckedAdmin, VersionCheckedForm
from cases.models import (
    ApplicationItem,
    ClosingReason,
    DelegationOrder,
    DelegationRule,
    LegalBasis,
    LegalBasisOutcome,
    SupportObstacle,
    Unit,
    User,
)
from cases.models.decisions import PROCEDURAL_KINDS
from cases.models.norms import (
    COMMON_COST_MAX_PERSONS,
    NormCommonCost,
    NormPersonalCost,
    NormYear,
    PersonalCostCategory,
)
from cases.norms import NormError, norm_table
from cases.resources import NormCommonCostResource, NormPersonalCostResource, NormYearResource
from cases.roles import Role
from cases.spreadsheets import UploadRefused, check_upload, csv_bytes, xlsx_bytes

UNIT_ROLES = {Role.RECEPTION.value, Role.CASEWORKER.value, Role.UNIT_MANAGER.value}


class StaffUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups") or []
        if any(group.name in UNIT_ROLES for group in groups) and not cleaned.get("unit"):
            self.add_error(
                "unit", _("Reception, handläggare och enhetschefer måste tillhöra en enhet.")
            )
        return cleaned


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    list_display = ("username", "first_name", "last_name", "unit", "roles", "is_active")
    list_filter = ("unit", "groups", "is_active")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "phone", "title")}),
        (_("Enhet och roll"), {"fields": ("unit", "groups", "is_active")}),
        (_("Tider"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return ", ".join(
            sorted(str(Role(g.name).label) for g in obj.groups.all() if g.name in Role)
        )

    def has_delete_permission(self, request, obj=None):
        # Staff who have read case data are referenced by the access log: deactivate.
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "board_name", "is_active")
    fieldsets = (
        (None, {"fields": ("name", "code", "is_active", "on_duty")}),
        (
            _("Nämnden i beslutsbrev (tomt = kommunens inställning)"),
            {"fields": ("board_name", "postal_address", "email", "phone")},
        ),
    )
    prepopulated_fields = {"code": ("name",)}
    search_fields = ("name", "code")


# ------------------------------------------------------------------ lists that are data
# DOMAIN.md §3, §9: lagrum, the delegeringsordning, closing reasons and försörjningshinder
# change without code. Rows are referred to by decisions, cases and applications, so they
# are retired with "aktiv"/"gäller till" rather than deleted.


class RetireInsteadOfDeleteAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    """Two administrators editing the same row: the second save is refused
    (``cases.admin_versions``)."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClosingReason)
class ClosingReasonAdmin(RetireInsteadOfDeleteAdmin):
    list_display = ("label", "code", "is_active", "ordering")
    list_editable = ("ordering",)
    list_filter = ("is_active",)


@admin.register(SupportObstacle)
class SupportObstacleAdmin(RetireInsteadOfDeleteAdmin):
    list_display = ("label", "group", "code", "is_active", "ordering")
    list_editable = ("ordering",)
    list_filter = ("is_active", "group")


class LegalBasisForm(VersionCheckedForm):
    # A JSON list in the database; chosen here from the kinds an item can be.
    allowed_kinds = forms.MultipleChoiceField(
        label=_("Avser"),
        choices=ApplicationItem.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = LegalBasis
        fields = (
            "code",
            "law",
            "reference",
            "description",
            "valid_from",
            "valid_to",
            "allowed_kinds",
            "is_default",
            "usage_note",
            "reduces_livelihood",
            "calculation_reference",
            "immediate_effect_reference",
            "repayment_rule",
            "repayment_reference",
            "execution_reporting",
        )


class LegalBasisOutcomeInline(admin.TabularInline):
    """The outcomes a basis allows, each with its appeal route (SoL 35 kap. 1 §)."""

    model = LegalBasisOutcome
    extra = 0


@admin.register(LegalBasis)
class LegalBasisAdmin(RetireInsteadOfDeleteAdmin):
    form = LegalBasisForm
    inlines = [LegalBasisOutcomeInline]
    list_display = ("reference", "law", "description", "valid_from", "valid_to", "is_default")
    list_filter = ("law",)


class DelegationRuleForm(VersionCheckedForm):
    # Stored as plain values; offered here as the choices they must be.
    item_kind = forms.ChoiceField(
        label=_("Avser"),
        # Items applied for, and the decisions in an appeal (avvisning, omprövning).
        choices=[*ApplicationItem.Kind.choices, *PROCEDURAL_KINDS.items()],
    )
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)

    class Meta:
        model = DelegationRule
        fields = ("point", "item_kind", "outcome", "role", "max_amount", "is_active")


@admin.register(DelegationRule)
class DelegationRuleAdmin(RetireInsteadOfDeleteAdmin):
    form = DelegationRuleForm
    list_display = ("point", "item_kind", "outcome", "role", "max_amount", "is_active")
    list_filter = ("is_active", "outcome", "role")


@admin.register(DelegationOrder)
class DelegationOrderAdmin(admin.ModelAdmin):
    """When the nämnd adopted its delegeringsordning (KL 6 kap. 37 §); the points are the
    delegation rules."""

    list_display = ("board_name", "adopted_on", "protocol_reference", "valid_from")


# ------------------------------------------------------------------ riksnorm tables
# DOMAIN.md §4: the norm changes every 1 January and is data. Stored calculations keep
# their own copy of the lines (cases.calculation.Calculation.to_dict), so correcting a
# year here never changes a calculation already made.


class CheckedImportForm(ImportForm):
    """The norm-table upload, checked before import-export parses it: a file that is a
    zip archive (whatever its name or chosen format says) gets the XLSX checks – inflated
    size and ratio of every entry – and any other the CSV ones (``cases.spreadsheets``)."""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None:
            is_zip = upload.read(4) == b"PK\x03\x04"
            upload.seek(0)
            try:
                check_upload(upload, "xlsx" if is_zip else "csv")
            except UploadRefused as error:
                self.add_error("import_file", str(error))
        return cleaned


class CspExportForm(SelectableFieldsExportForm):
    """import-export's export form, with the script that wires its "select all" box
    without the inline handler the Content-Security-Policy blocks."""

    @property
    def media(self):
        return super().media + forms.Media(js=("js/admin-export.js",))


class NormConfirmImportForm(ConfirmImportForm):
    """The preview's confirmation, with the version of every norm year as the preview
    saw them (``{"2026": 4, …}``)."""

    norm_versions = forms.CharField(widget=forms.HiddenInput, required=False)


class StaleNormImport(Exception):
    def __init__(self, form):
        super().__init__("a norm year changed since the preview")
        self.form = form


def norm_versions() -> dict[str, int]:
    return {str(year): version for year, version in NormYear.objects.values_list("year", "version")}


def dataset_years(dataset) -> set[str]:
    """The years a norm file names (all three tables have the column ``year``)."""
    if "year" not in (dataset.headers or []):
        return set()
    years = set()
    for value in dataset["year"]:
        try:
            years.add(str(int(str(value).strip())))
        except ValueError:
            continue  # reported by the import as the row's error
    return years


def norm_years_touch(*norm_year_ids) -> None:
    """A cost row changed: its year's table has a new version."""
    NormYear.objects.filter(pk__in=[pk for pk in norm_year_ids if pk]).update(
        version=F("version") + 1
    )


class NormImportPermissionMixin:
    """Importing rewrites norm rows: only for those who may add and change them (the
    import-export default lets anyone who sees the page import).

    Files: CSV and XLSX only; uploads are checked before parsing (``CheckedImportForm``)
    and exports are written by the one neutralising writer (``cases.spreadsheets``).

    An import is confirmed against the tables its preview was computed on: the preview
    keeps the version of each norm year, and the confirmed import locks the years its
    file names and is refused if one of them changed (or appeared) since – the preview
    is then computed again against the tables as they are now and shown for a new
    confirmation (the uploaded file is kept, nothing has to be chosen again). A
    confirmation without the versions (an old page) is not checked."""

    formats = [CSV, XLSX]
    import_form_class = CheckedImportForm
    confirm_form_class = NormConfirmImportForm
    export_form_class = CspExportForm

    def import_action(self, request, **kwargs):
        # Taken before the preview's dry run: what the preview is computed against.
        request.norm_versions_seen = norm_versions()
        return super().import_action(request, **kwargs)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        seen = getattr(request, "norm_versions_seen", None)
        if import_form is not None and seen is not None:
            initial["norm_versions"] = json.dumps(seen)
        return initial

    def process_dataset(self, dataset, form, request, **kwargs):
        posted = form.cleaned_data.get("norm_versions") if form.is_bound else None
        if not isinstance(form, NormConfirmImportForm) or not posted:
            return super().process_dataset(dataset, form, request, **kwargs)
        seen = json.loads(posted)
        with transaction.atomic():
            years = dataset_years(dataset)
            now = {
                str(year): version
                for year, version in NormYear.objects.select_for_update()
                .filter(year__in=[int(y) for y in years])
                .values_list("year", "version")
            }
            if any(seen.get(year) != now.get(year) for year in years):
                raise StaleNormImport(form)
            return super().process_dataset(dataset, form, request, **kwargs)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except StaleNormImport as stale:
            return self._preview_again(request, stale.form)

    def _preview_again(self, request, confirm_form):
        """The same file previewed against the tables as they are now."""
        data = confirm_form.cleaned_data
        input_format = self.get_import_formats()[int(data["format"])](encoding=self.from_encoding)
        tmp_storage = self.get_tmp_storage_class()(
            name=data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        dataset = input_format.create_dataset(tmp_storage.read())
        seen = norm_versions()
        resource = self.choose_import_resource_class(confirm_form, request)(
            **self.get_import_resource_kwargs(request, form=confirm_form)
        )
        result = resource.import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            file_name=data["original_file_name"],
            user=request.user,
        )
        messages.error(
            request,
            _(
                "Riksnormen har ändrats sedan förhandsgranskningen. Importen är inte gjord – "
                "granska den nya förhandsgranskningen mot tabellerna som de är nu och "
                "bekräfta igen."
            ),
        )
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": _("Importera"),
                "opts": self.model._meta,
                "result": result,
                "import_error_display": self.import_error_display,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
            }
        )
        if not result.has_errors() and not result.has_validation_errors():
            context["confirm_form"] = self.get_confirm_form_class(request)(
                initial={
                    "import_file_name": data["import_file_name"],
                    "original_file_name": data["original_file_name"],
                    "format": data["format"],
                    "resource": data.get("resource", ""),
                    "norm_versions": json.dumps(seen),
                }
            )
        else:
            tmp_storage.remove()
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        kwargs.pop("encoding", None)
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        if isinstance(file_format, XLSX):
            return xlsx_bytes(data, header=data.headers)
        # import-export's CSV dialect, so an exported table can be imported again.
        return csv_bytes(data, header=data.headers, delimiter=",", decimal_separator=".")


class NormPersonalCostInline(admin.TabularInline):
    model = NormPersonalCost
    fields = ("category", "amount", "amount_lunch_away")
    extra = 0
    max_num = len(PersonalCostCategory)


class NormCommonCostInline(admin.TabularInline):
    model = NormCommonCost
    fields = ("persons", "amount")
    extra = 0
    max_num = COMMON_COST_MAX_PERSONS


@admin.register(NormYear)
class NormYearAdmin(VersionCheckedAdmin, NormImportPermissionMixin, ImportExportModelAdmin):
    """The year with both tables as inlines: the year's version guards the whole form."""

    resource_classes = [NormYearResource]
    list_display = (
        "year",
        "is_active",
        "is_complete",
        "prisbasbelopp",
        "common_cost_per_extra_person",
        "source",
    )
    list_filter = ("is_active",)
    fields = ("year", "is_active", "source", "prisbasbelopp", "common_cost_per_extra_person")
    inlines = [NormPersonalCostInline, NormCommonCostInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                personal_rows=Count("personal_costs", distinct=True),
                common_rows=Count("common_costs", distinct=True),
            )
        )

    @admin.display(description=_("komplett"), boolean=True)
    def is_complete(self, obj):
        return (
            getattr(obj, "personal_rows", None) == len(PersonalCostCategory)
            and getattr(obj, "common_rows", None) == COMMON_COST_MAX_PERSONS
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        norm_year = form.instance
        if norm_year.is_active:
            try:
                norm_table(norm_year.year)
            except NormError as error:
                # Saved anyway, so the rest can be entered; calculations for the year
                # refuse with the same message until the table is complete.
                messages.warning(request, str(error))


class NormCostForm(VersionCheckedForm):
    """A cost row edited on its own is guarded by its year's version (the table)."""

    @classmethod
    def version_holder(cls, instance):
        return instance.norm_year if instance.pk is not None else None


class NormCostAdmin(VersionCheckedAdmin, NormImportPermissionMixin, ImportExportModelAdmin):
    form = NormCostForm

    def save_model(self, request, obj, form, change):
        before = form.initial.get("norm_year")
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        norm_years_touch(before, obj.norm_year_id)


@admin.register(NormPersonalCost)
class NormPersonalCostAdmin(NormCostAdmin):
    resource_classes = [NormPersonalCostResource]
    list_display = ("norm_year", "category", "amount", "amount_lunch_away")
    list_filter = ("norm_year__year", "category")
    list_select_related = ("norm_year",)


@admin.register(NormCommonCost)
class NormCommonCostAdmin(NormCostAdmin):
    resource_classes = [NormCommonCostResource]
    list_display = ("norm_year", "persons", "amount")
    list_filter = ("norm_year__year",)
    list_select_related = ("norm_year",)
