"""Plan pages: create a plan, the editor (htmx autosave), making it ready, signing,
revising, comparing versions, the PDF, follow-ups. Everything in a plan is authorised
through its case: ``_plan`` passes the one gate (cases.permissions.get_case_for_user,
404 for missing and forbidden alike) and every view is access-logged."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.access import SUBJECT_UNIT_ATTR, logs_access
from cases.access_rules import can_change_case
from cases.models import Person
from cases.permissions import get_case_for_user
from workplans import selectors
from workplans.comparison import compare_versions
from workplans.editor import Editor, editor_for
from workplans.forms import (
    CompareForm,
    FollowUpActivityForm,
    FollowUpForm,
    PlanCreateForm,
    RevisionForm,
    SignatureForm,
)
from workplans.models import Activity, Party, PlanVersion, Signature, WorkPlan
from workplans.services import (
    StalePlan,
    WorkPlanError,
    activity_add,
    activity_remove,
    follow_up_record,
    plan_discard,
    plan_draft_save,
    plan_make_ready,
    plan_reopen,
    plan_revise,
    workplan_create,
    workplan_sign,
)
from workplans.services.plans import adults_in, missing_for_signing


def _plan(request, pk, perm: str = "view_case") -> WorkPlan:
    plan = WorkPlan.objects.select_related("plan_type", "person").filter(pk=pk).first()
    if plan is None:
        raise Http404
    plan.case = get_case_for_user(request.user, plan.case_id, perm)
    setattr(request, SUBJECT_UNIT_ATTR, plan.case.unit)
    return plan


def _with_plan(version: PlanVersion | None, plan: WorkPlan) -> PlanVersion | None:
    if version is not None:
        version.plan = plan  # the authorised plan and case: no second lookup
    return version


def _working(plan: WorkPlan) -> PlanVersion | None:
    return _with_plan(PlanVersion.objects.filter(plan=plan).open().first(), plan)


def plan_url(plan: WorkPlan, anchor: str = "") -> str:
    return reverse("workplans:plan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def case_url(plan: WorkPlan) -> str:
    return reverse("case_detail", args=[plan.case_id]) + "#arbetsplan"


def _page(request, plan: WorkPlan, *, version=None, editor=None, status=200, **extra):
    versions = selectors.plan_versions(plan)
    for each in versions:
        each.plan = plan
    if version is None:
        number = request.GET.get("version", "")
        if number.isdigit():
            version = next((v for v in versions if v.number == int(number)), None)
            if version is None:
                raise Http404
        else:
            version = (
                next((v for v in versions if v.is_open), None)
                or next((v for v in versions if v.status == PlanVersion.Status.SIGNED), None)
                or versions[0]
            )
    can_change = can_change_case(request.user, plan.case) and not plan.case.is_closed
    page = selectors.version_page(version)
    working = next((v for v in versions if v.is_open), None)
    signed = next((v for v in versions if v.status == PlanVersion.Status.SIGNED), None)
    context = {
        "plan": plan,
        "case": plan.case,
        "versions": versions,
        "version": version,
        "working": working,
        "signed": signed,
        "can_change": can_change,
        **page,
    }
    if can_change and version.is_draft and editor is None:
        editor = editor_for(version, activities=page["activities"])
    context["editor"] = editor if can_change and version.is_draft else None
    if version.is_draft:
        context["missing"] = missing_for_signing(version)
    if can_change and version.status == PlanVersion.Status.AWAITING:
        signed_parties = {s.party for s in page["signatures"]}
        context["sign_forms"] = extra.pop("sign_forms", None) or [
            (party, label, SignatureForm(prefix=party))
            for party, label in Party.choices
            if party not in signed_parties
        ]
    if can_change and version.status == PlanVersion.Status.SIGNED:
        context["follow_up_form"] = extra.pop("follow_up_form", None) or FollowUpForm()
        context["follow_up_rows"] = extra.pop("follow_up_rows", None) or [
            (
                activity,
                FollowUpActivityForm(
                    prefix=f"a{activity.pk}",
                    initial={"status": activity.followed_status or activity.status},
                ),
            )
            for activity in page["activities"]
        ]
        context["follow_up_deadlines"] = selectors.open_follow_up_deadlines(version)
        if working is None:
            context["revision_form"] = extra.pop("revision_form", None) or RevisionForm()
    context.update(extra)
    return render(request, "workplans/plan_detail.html", context, status=status)


@logs_access("case", id_kwarg="case_pk")
@require_POST
def plan_create(request, case_pk):
    case = get_case_for_user(request.user, case_pk, "change_case")
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    form = PlanCreateForm(request.POST, adults=adults_in(case))
    if not form.is_valid():
        messages.error(request, "Välj typ av plan och vem planen gäller.")
        return redirect(reverse("case_detail", args=[case.pk]) + "#arbetsplan")
    try:
        plan = workplan_create(
            case,
            actor=request.user,
            plan_type=form.cleaned_data["plan_type"],
            person=Person.objects.get(pk=form.cleaned_data["person"]),
        )
    except WorkPlanError as error:
        messages.error(request, str(error))
        return redirect(reverse("case_detail", args=[case.pk]) + "#arbetsplan")
    messages.success(
        request, f"{plan.plan_type.label} är påbörjad. Utkastet sparas medan du skriver."
    )
    return redirect(case_url(plan))


@logs_access("workplan")
@require_GET
def plan_detail(request, pk):
    return _page(request, _plan(request, pk))


def _save(request, plan: WorkPlan, version: PlanVersion, editor: Editor, action: str) -> None:
    """Save the posted draft, then do ``action``. Raises WorkPlanError."""
    plan_draft_save(
        version,
        actor=request.user,
        content=editor.content_changes(),
        activities=editor.activity_changes(),
        base_edit_version=editor.base_edit_version,
        editor=editor.token,
    )
    if action == "add":
        activity_add(plan, actor=request.user, editor=editor.token)
    elif action.startswith("remove:") and action[7:].isdigit():
        activity = Activity.objects.filter(pk=int(action[7:]), version=version).first()
        if activity is None:
            raise StalePlan
        activity_remove(activity, actor=request.user, editor=editor.token)
    elif action == "ready":
        plan_make_ready(version, actor=request.user, editor=editor.token)


def _status(request, *, saved_at=None, errors=(), stale=False, status=200):
    return render(
        request,
        "workplans/_save_status.html",
        {"saved_at": saved_at, "errors": errors, "stale": stale},
        status=status,
    )


@logs_access("workplan")
@require_POST
def plan_autosave(request, pk):
    """htmx: save the draft as it is typed; answers with the save status only, so the
    form – and the caret – stay as they are."""
    plan = _plan(request, pk, "change_case")
    version = _working(plan)
    if version is None:
        return _status(request, errors=["Planen har inget utkast att spara."])
    editor = editor_for(version, data=request.POST)
    if not editor.is_valid():
        return _status(request, errors=["Inte sparat än:", *editor.error_summary()])
    try:
        _save(request, plan, version, editor, "save")
    except WorkPlanError as error:
        return _status(request, errors=[str(error)], stale=isinstance(error, StalePlan))
    return _status(request, saved_at=timezone.now())


@logs_access("workplan")
@require_POST
def plan_save(request, pk):
    """Save the draft (a plain submit, or htmx for adding and removing activities), then
    add or remove an activity or make the plan ready for signing. Whatever fails, the
    input stays on the page with the reason."""
    plan = _plan(request, pk, "change_case")
    version = _working(plan)
    action = request.POST.get("action", "save")
    back = request.POST.get("back", "case")
    if version is None:
        messages.error(request, "Planen har inget utkast att spara.")
        return redirect(plan_url(plan))
    editor = editor_for(version, data=request.POST)
    error = None
    if not editor.is_valid():
        error = "Kontrollera de markerade fälten – inget är sparat än."
    else:
        try:
            _save(request, plan, version, editor, action)
        except WorkPlanError as exc:
            error = str(exc)
    if error is None:
        if action == "ready":
            messages.success(
                request, "Planen är klar för underskrift. Skriv ut den och låt båda skriva under."
            )
            target = plan_url(plan)
            if request.htmx:
                return HttpResponse(headers={"HX-Redirect": target})
            return redirect(target)
        fresh = _working(plan)
        if request.htmx and fresh is not None:
            return render(
                request,
                "workplans/_editor.html",
                {
                    "editor": editor_for(fresh, token=editor.token, focus_last=action == "add"),
                    "back": back,
                    "referrals": selectors.resolve_referrals(
                        a.referral_id for a in fresh.activities.all()
                    ),
                    "saved_at": timezone.now(),
                },
            )
        messages.success(request, "Utkastet är sparat.")
        return redirect(case_url(plan) if back == "case" else plan_url(plan, "planen"))
    if request.htmx:
        response = _status(request, errors=[error, *editor.error_summary()])
        response["HX-Retarget"] = f"#{editor.prefix}-status"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, error)
    return _page(request, plan, version=version, editor=editor, save_errors=editor.error_summary())


@logs_access("workplan")
@require_POST
def plan_reopen_view(request, pk):
    plan = _plan(request, pk, "change_case")
    version = _working(plan)
    try:
        if version is None:
            raise WorkPlanError("Planen har ingen version som väntar på underskrifter.")
        plan_reopen(version, actor=request.user)
    except WorkPlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Planen är ett utkast igen. Underskrifter som redan fanns gäller inte längre."
        )
    return redirect(plan_url(plan))


@logs_access("workplan")
@require_POST
def plan_discard_view(request, pk):
    plan = _plan(request, pk, "change_case")
    version = _working(plan)
    try:
        if version is None:
            raise WorkPlanError("Det finns ingen version att kassera.")
        plan_discard(version, actor=request.user)
    except WorkPlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {version.number} är kasserad.")
    return redirect(plan_url(plan))


@logs_access("workplan")
@require_POST
def plan_sign(request, pk):
    """Record one party's signature (in person, on paper, with the scanned copy)."""
    plan = _plan(request, pk, "change_case")
    version = _working(plan)
    party = request.POST.get("party", "")
    if version is None or party not in Party.values:
        messages.error(request, "Planen väntar inte på någon underskrift.")
        return redirect(plan_url(plan))
    form = SignatureForm(request.POST, request.FILES, prefix=party)
    error = None
    if not form.is_valid():
        error = "Kontrollera uppgifterna om underskriften."
    else:
        try:
            workplan_sign(
                version,
                actor=request.user,
                party=party,
                method=form.cleaned_data["method"],
                signed_on=form.cleaned_data["signed_on"],
                scanned_copy=form.cleaned_data["scanned_copy"],
            )
        except WorkPlanError as exc:
            error = str(exc)
            form.add_error(None, error)
    if error is None:
        version.refresh_from_db()
        if version.status == PlanVersion.Status.SIGNED:
            messages.success(
                request, f"Båda har skrivit under. Version {version.number} gäller från och med nu."
            )
        else:
            messages.success(request, f"{Party(party).label}s underskrift är registrerad.")
        return redirect(plan_url(plan))
    messages.error(request, error)
    signed_parties = set(
        version.signatures.filter(voided_at__isnull=True).values_list("party", flat=True)
    )
    sign_forms = [
        (p, label, form if p == party else SignatureForm(prefix=p))
        for p, label in Party.choices
        if p not in signed_parties
    ]
    return _page(request, plan, version=version, sign_forms=sign_forms)


@logs_access("workplan")
@require_POST
def plan_revise_view(request, pk):
    plan = _plan(request, pk, "change_case")
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Skriv varför planen revideras.")
        return _page(request, plan, revision_form=form)
    try:
        revision = plan_revise(plan, actor=request.user, reason=form.cleaned_data["reason"])
    except WorkPlanError as error:
        messages.error(request, str(error))
        return redirect(plan_url(plan))
    messages.success(
        request,
        f"Version {revision.number} är ett utkast. Version {revision.number - 1} gäller tills "
        "den nya är underskriven av båda.",
    )
    return redirect(plan_url(plan, "planen"))


@logs_access("workplan")
@require_POST
def follow_up_add(request, pk):
    plan = _plan(request, pk, "change_case")
    version = _with_plan(
        PlanVersion.objects.filter(plan=plan, status=PlanVersion.Status.SIGNED).first(), plan
    )
    if version is None:
        messages.error(request, "Bara planen som gäller kan följas upp.")
        return redirect(plan_url(plan))
    form = FollowUpForm(request.POST)
    activities = list(selectors.activities_with_status(version.activities.all()))
    rows = [(a, FollowUpActivityForm(request.POST, prefix=f"a{a.pk}")) for a in activities]
    error = None
    if not (form.is_valid() and all(f.is_valid() for _a, f in rows)):
        error = "Kontrollera uppföljningen – inget är sparat än."
    else:
        try:
            follow_up_record(
                version,
                actor=request.user,
                statuses={
                    a.pk: (f.cleaned_data["status"], f.cleaned_data["comment"]) for a, f in rows
                },
                **form.cleaned_data,
            )
        except WorkPlanError as exc:
            error = str(exc)
    if error is None:
        messages.success(request, "Uppföljningen är registrerad.")
        return redirect(plan_url(plan, "uppfoljning"))
    messages.error(request, error)
    return _page(request, plan, version=version, follow_up_form=form, follow_up_rows=rows)


@logs_access("workplan")
@require_GET
def plan_compare(request, pk):
    """Two versions side by side: the text and the activities that changed."""
    plan = _plan(request, pk)
    versions = selectors.plan_versions(plan)
    numbers = sorted(v.number for v in versions)
    if len(numbers) < 2:
        messages.info(request, "Planen har bara en version.")
        return redirect(plan_url(plan))
    form = CompareForm(
        request.GET or None,
        numbers=numbers,
        initial={"fran": numbers[-2], "till": numbers[-1]},
    )
    old_number, new_number = numbers[-2], numbers[-1]
    if form.is_bound and form.is_valid():
        old_number, new_number = sorted((form.cleaned_data["fran"], form.cleaned_data["till"]))
    by_number = {v.number: v for v in versions}
    old, new = by_number[old_number], by_number[new_number]
    activities = list(Activity.objects.filter(version__plan=plan).order_by("position", "pk"))
    return render(
        request,
        "workplans/compare.html",
        {
            "plan": plan,
            "case": plan.case,
            "form": form,
            "comparison": compare_versions(old, new, activities),
        },
    )


@logs_access("workplan")
@require_GET
def plan_pdf(request, pk, number):
    """The version as a letter to print and sign: plain Swedish, large type, a signature
    block for each party and the content digest that ties the paper to this version."""
    from cases.pdf import render_pdf

    plan = _plan(request, pk)
    version = _with_plan(PlanVersion.objects.filter(plan=plan, number=number).first(), plan)
    if version is None:
        raise Http404
    page = selectors.version_page(version)
    members = list(plan.case.household.members_on(timezone.localdate()))
    children = [m.person for m in members if m.role == "child"]
    person = plan.person
    recipient = [person.full_name]
    if not person.is_protected and person.street_address:
        recipient += [person.street_address, f"{person.postal_code} {person.city}".strip()]
    pdf = render_pdf(
        "pdf/workplan.html",
        {
            "document_title": f"{plan.plan_type.label} version {version.number}",
            "plan": plan,
            "case": plan.case,
            "version": version,
            "children": children,
            "recipient_lines": recipient,
            "digest": version.content_digest(page["activities"]),
            "signature_by_party": {s.party: s for s in page["signatures"]},
            **page,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{plan.plan_type.code}-{plan.case.reference}-v{version.number}.pdf"'
    )
    return response


@logs_access("workplan")
@require_GET
def signature_copy(request, pk, signature_pk):
    """The scanned, signed paper – only through the plan's case."""
    plan = _plan(request, pk)
    signature = Signature.objects.filter(pk=signature_pk, version__plan=plan).first()
    if signature is None or not signature.scanned_copy:
        raise Http404
    try:
        handle = signature.scanned_copy.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = (signature.scanned_copy.name or "").rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=False,
        filename=f"underskrift-{plan.case.reference}-v{signature.version.number}.{suffix}",
    )


@logs_access("workplan_activity", id_kwarg="activity_pk")
@require_GET
def activity_open(request, activity_pk):
    """Where a follow-up reminder leads: the activity's plan, if the user may see it."""
    activity = Activity.objects.select_related("version__plan").filter(pk=activity_pk).first()
    if activity is None:
        raise Http404
    plan = _plan(request, activity.version.plan_id)
    return redirect(plan_url(plan, "uppfoljning"))
