"""Issue 20's cheaper case page answers exactly as before: queries compiled once per
process (cases.compiled, the gate's visibility SQL) see a change of unit, role, grant or
protection on the very next request of the same process; form widgets
(config.form_renderer) and form fields (the ``form_field`` tag) render the same markup
as the Django templates they replaced."""

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from guardian.shortcuts import remove_perm

from cases.compiled import CompiledQuery
from cases.forms_casework import JournalNoteForm
from cases.models import Case, HouseholdMember, Person
from cases.roles import Role
from cases.tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def status(client, user, case) -> int:
    client.force_login(user)
    return client.get(reverse("case_detail", args=[case.pk])).status_code


def test_the_gate_sees_a_move_to_another_unit_at_once(client, make_user, other_unit):
    case = CaseFactory(caseworker=make_user(Role.CASEWORKER))
    colleague = make_user(Role.CASEWORKER)
    assert status(client, colleague, case) == 200  # a colleague in the unit reads

    colleague.unit = other_unit
    colleague.save()
    assert status(client, colleague, case) == 404

    colleague.unit = case.unit
    colleague.save()
    assert status(client, colleague, case) == 200


def test_the_gate_sees_a_lost_role_at_once(client, make_user):
    case = CaseFactory(caseworker=make_user(Role.CASEWORKER))
    manager = make_user(Role.UNIT_MANAGER)
    assert status(client, manager, case) == 200

    manager.groups.remove(Group.objects.get(name=Role.UNIT_MANAGER))
    assert status(client, manager, case) == 404


def test_the_gate_sees_a_revoked_grant_and_a_new_protection_at_once(client, make_user):
    from cases.services.people import household_member_add

    owner = make_user(Role.CASEWORKER)
    case = CaseFactory(caseworker=owner)
    colleague = make_user(Role.CASEWORKER)
    assert status(client, colleague, case) == 200

    # A protected identity joins the household: the unit's colleagues lose the case, its
    # caseworker (explicit grant) keeps it.
    household_member_add(
        case.household,
        person=PersonFactory(protected=True),
        role=HouseholdMember.Role.CHILD,
        valid_from=case.opened_on,
        actor=owner,
    )
    assert status(client, colleague, case) == 404
    assert status(client, owner, case) == 200

    remove_perm("cases.view_case", owner, case)
    remove_perm("cases.change_case", owner, case)
    assert status(client, owner, case) == 404


def test_the_gate_refuses_an_inactive_user(client, make_user):
    case = CaseFactory(caseworker=make_user(Role.CASEWORKER))
    colleague = make_user(Role.CASEWORKER)
    assert status(client, colleague, case) == 200
    colleague.is_active = False
    colleague.save()
    # Signed out at once: the next request goes to the sign-in page, not the case.
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_compiled_query_binds_each_call_its_own_values(make_user):
    first = CaseFactory(caseworker=make_user(Role.CASEWORKER))
    second = CaseFactory(caseworker=make_user(Role.CASEWORKER))
    query = CompiledQuery(lambda pk: Case.objects.filter(pk=pk).values("pk", "unit_id"), 1)

    assert query.first(first.pk) == {"pk": first.pk, "unit_id": first.unit_id}
    assert query.first(second.pk) == {"pk": second.pk, "unit_id": second.unit_id}
    assert query.first(-1) is None


def test_a_compiled_query_refuses_a_stand_in_it_cannot_place():
    twice = CompiledQuery(lambda pk: Person.objects.filter(pk=pk) | Person.objects.filter(pk=pk), 1)
    with pytest.raises(ValueError, match="appears 2 times"):
        twice.first(1)
    never = CompiledQuery(lambda pk: Person.objects.filter(pk=1), 1)
    with pytest.raises(ValueError, match="appears 0 times"):
        never.first(1)


class _Widgets(forms.Form):
    text = forms.CharField(label="Text", max_length=20, help_text="Hjälp")
    when = forms.DateField(label="Dag")
    kind = forms.ChoiceField(label="Slag", choices=[("a", "Ett <a>"), ("b", "Två & tre")])
    many = forms.MultipleChoiceField(
        label="Flera", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )
    yes = forms.BooleanField(label="Ja", required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def markup(html) -> str:
    """The markup with each run of whitespace as one space and none between tags (the
    two engines' templates lay their lines out differently; a browser renders and reads
    both the same)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize(
    "form",
    [
        _Widgets(),
        _Widgets(data={"text": "<script>x</script>", "kind": "b", "many": ["y"], "yes": "on"}),
        JournalNoteForm(initial={"idempotency_key": "5c0ffee5-0000-4000-8000-000000000000"}),
    ],
    ids=["blank", "bound-with-errors", "journal-note"],
)
def test_widgets_render_the_same_markup_as_with_django_templates(form):
    from config.form_renderer import WidgetRenderer

    django_form = form.__class__(data=form.data or None, initial=form.initial)
    django_form.renderer = DjangoTemplates()
    form.renderer = WidgetRenderer()
    for name in form.fields:
        ours, theirs = form[name], django_form[name]
        assert markup(ours) == markup(theirs), name
        assert markup(ours.errors) == markup(theirs.errors), name
    assert "&lt;script&gt;" in str(form) or not form.is_bound


def test_the_admin_forms_render_with_their_django_templates(client, administrator, caseworker):
    client.force_login(administrator)
    response = client.get(reverse("admin:cases_user_change", args=[caseworker.pk]))
    assert response.status_code == 200
    assert b'name="unit"' in response.content
    assert b"related-widget-wrapper" in response.content


# templates/includes/field.html as it was before the ``form_field`` tag replaced it.
FIELD_TEMPLATE_BEFORE = (Path(__file__).parent / "field_template_before.html").read_text()


class _Fields(forms.Form):
    name = forms.CharField(label="Namn <b>", help_text="Som i folkbokföringen & så")
    optional = forms.CharField(label="Valfri", required=False)
    agree = forms.BooleanField(label="Jag intygar", help_text="Kryssa i")
    maybe = forms.BooleanField(label="Kanske", required=False)
    kind = forms.ChoiceField(label="Slag", choices=[("a", "A"), ("b", "B")])

    def clean(self):
        raise forms.ValidationError("Hela formuläret <fel>")


@pytest.mark.parametrize("data", [None, {"name": "", "kind": "x"}, {"name": "<i>Eva</i>"}])
def test_the_field_tag_renders_what_the_field_template_did(data):
    from django.template import Context, Template

    form = _Fields(data=data)
    before = Template(FIELD_TEMPLATE_BEFORE)
    after = Template('{% include "includes/field.html" %}')
    for name in form.fields:
        context = Context({"field": form[name]})
        assert after.render(context) == before.render(context), name
