"""Forms of the export and import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.roles import Role
from reporting.models_jobs import ExportImportJob


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad vill du exportera?"), widget=forms.RadioSelect)
    file_format = forms.ChoiceField(
        label=_("Filformat"),
        choices=ExportImportJob.Format.choices,
        initial=ExportImportJob.Format.XLSX,
        widget=forms.RadioSelect,
    )
    only_mine = forms.BooleanField(
        label=_("Bara ärenden där jag är ansvarig handläggare"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(ExportImportJob.Kind.EXPORT_CASES, _("Ärendelistan (de ärenden du får se)"))]
        if user.has_role(Role.UNIT_MANAGER):
            kinds.append((ExportImportJob.Kind.EXPORT_INDICATORS, _("Indikatorerna (12 månader)")))
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = ExportImportJob.Kind.EXPORT_CASES
        if not user.has_role(Role.CASEWORKER):
            del self.fields["only_mine"]


class PersonImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil från det tidigare systemet (CSV eller XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
