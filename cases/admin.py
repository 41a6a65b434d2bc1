"""Admin registrations: staff users, units, the riksnorm tables and the lists that are
data (lagrum, delegation, closing reasons, försörjningshinder) – administrators only, see
config.admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm

from cases.models import (
    ApplicationItem,
    ClosingReason,
    DelegationRule,
    LegalBasis,
    LegalBasisOutcome,
    SupportObstacle,
    Unit,
    User,
)
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


class RetireInsteadOfDeleteAdmin(admin.ModelAdmin):
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


class LegalBasisForm(forms.ModelForm):
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


class DelegationRuleForm(forms.ModelForm):
    # Stored as plain values; offered here as the choices they must be.
    item_kind = forms.ChoiceField(label=_("Avser"), choices=ApplicationItem.Kind.choices)
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)

    class Meta:
        model = DelegationRule
        fields = ("item_kind", "outcome", "role", "max_amount", "is_active")


@admin.register(DelegationRule)
class DelegationRuleAdmin(RetireInsteadOfDeleteAdmin):
    form = DelegationRuleForm
    list_display = ("item_kind", "outcome", "role", "max_amount", "is_active")
    list_filter = ("is_active", "outcome", "role")


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


class NormImportPermissionMixin:
    """Importing rewrites norm rows: only for those who may add and change them (the
    import-export default lets anyone who sees the page import).

    Files: CSV and XLSX only; uploads are checked before parsing (``CheckedImportForm``)
    and exports are written by the one neutralising writer (``cases.spreadsheets``)."""

    formats = [CSV, XLSX]
    import_form_class = CheckedImportForm
    export_form_class = CspExportForm

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
class NormYearAdmin(NormImportPermissionMixin, ImportExportModelAdmin):
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


@admin.register(NormPersonalCost)
class NormPersonalCostAdmin(NormImportPermissionMixin, ImportExportModelAdmin):
    resource_classes = [NormPersonalCostResource]
    list_display = ("norm_year", "category", "amount", "amount_lunch_away")
    list_filter = ("norm_year__year", "category")
    list_select_related = ("norm_year",)


@admin.register(NormCommonCost)
class NormCommonCostAdmin(NormImportPermissionMixin, ImportExportModelAdmin):
    resource_classes = [NormCommonCostResource]
    list_display = ("norm_year", "persons", "amount")
    list_filter = ("norm_year__year",)
    list_select_related = ("norm_year",)
