"""Demo plans for `make run` (registered on the core's "demo_loaded" hook): a signed
plan with a follow-up, a revised plan whose new version waits for signatures, one
waiting for the client's signature, drafts, and an overdue plan deadline.

Idempotent: nothing is added when plans exist. Dates are relative to today where the
story needs it (the overdue case); signatures are recorded today through the services,
since a signature cannot be older than the plan it signs.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Meeting, Person, User
from cases.workdays import STOCKHOLM
from workplans.models import PlanType, Responsible, WorkPlan

# A one-page PDF standing in for the scanned, signed paper.
DEMO_SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _case(first: str, last: str) -> Case | None:
    return (
        Case.objects.filter(
            household__memberships__person__first_name=first,
            household__memberships__person__last_name=last,
            household__memberships__role="applicant",
        )
        .exclude(status=Case.Status.CLOSED)
        .select_related("household", "unit", "caseworker")
        .first()
    )


def _first_visit(case: Case, actor: User, day) -> None:
    """A held first visit (nybesök): starts the plan clock from that day."""
    from cases.services.casework import meeting_plan, meeting_record

    if case.first_visit_on:
        return
    day = min(day, timezone.localdate() - timedelta(days=1))
    meeting = meeting_plan(
        case,
        actor=actor,
        kind=Meeting.Kind.FIRST_VISIT,
        planned_at=datetime.combine(day, time(10, 0), tzinfo=STOCKHOLM),
    )
    meeting_record(meeting, actor=actor, state=Meeting.State.HELD, client_attended=True)
    case.refresh_from_db()


def _plan(case: Case, actor: User, code: str, content: dict, activities: list[dict]):
    from workplans.services import activity_add, plan_draft_save, workplan_create

    plan = workplan_create(
        case,
        actor=actor,
        plan_type=PlanType.objects.get(code=code),
        person=case.household.memberships.get(role="applicant").person,
    )
    version = plan.versions.get()
    plan_draft_save(version, actor=actor, content=content)
    for activity in activities:
        activity_add(plan, actor=actor, **activity)
    return plan


def _ready(plan: WorkPlan, actor: User):
    from workplans.services import plan_make_ready

    return plan_make_ready(plan.versions.open().get(), actor=actor)


def _sign(plan: WorkPlan, actor: User, *, parties=("client", "caseworker")) -> None:
    from workplans.services import workplan_sign

    version = plan.versions.open().get()
    for i, party in enumerate(parties):
        workplan_sign(
            version,
            actor=actor,
            party=party,
            method="in_person",
            signed_on=timezone.localdate(),
            scanned_copy=ContentFile(DEMO_SCAN, name="underskriven-plan.pdf") if i == 0 else None,
        )


@transaction.atomic
def load_workplans_demo(**kwargs) -> None:
    from workplans.services import follow_up_record, plan_draft_save, plan_revise

    if WorkPlan.objects.exists() or not Case.objects.exists():
        return
    today = timezone.localdate()
    erik = User.objects.get(username="erik.handlaggare")
    sara = User.objects.get(username="sara.handlaggare")
    omar = User.objects.get(username="omar.handlaggare")
    soon = today + timedelta(days=21)

    # Signed, with a follow-up.
    case = _case("Tolvan", "Tolvansson")
    if case:
        _first_visit(case, erik, case.opened_on + timedelta(days=2))
        plan = _plan(
            case,
            erik,
            "arbetsplan",
            {
                "next_step": "Skriva in sig hos Arbetsförmedlingen den här veckan.",
                "client_view": "Tolvan vill tillbaka till lagerarbete, gärna på deltid först.",
                "family_situation": "Bor med Greta, som har pension. Inga barn i hushållet.",
            },
            [
                {
                    "what": "Skriva in sig hos Arbetsförmedlingen",
                    "responsible": Responsible.CLIENT,
                    "starts_on": today,
                    "ends_on": today + timedelta(days=7),
                    "follow_up_on": today + timedelta(days=14),
                },
                {
                    "what": "Söka minst fem jobb i veckan",
                    "responsible": Responsible.CLIENT,
                    "starts_on": today,
                    "follow_up_on": soon,
                },
                {
                    "what": "Truckkort genom rustande insats",
                    "responsible": Responsible.ARBETSFORMEDLINGEN,
                    "responsible_note": "Arbetsförmedlingen, Nord",
                    "follow_up_on": today + timedelta(days=60),
                },
            ],
        )
        _ready(plan, erik)
        _sign(plan, erik)
        version = plan.versions.get(status="signed")
        first = version.activities.order_by("position").first()
        follow_up_record(
            version,
            actor=erik,
            held_on=today,
            participants="Tolvan Tolvansson, Erik Holm",
            note="Inskrivningen är gjord.",
            client_view="Nöjd med att det kommit igång.",
            statuses={first.pk: ("done", "Inskriven hos Arbetsförmedlingen.")},
        )

    # Revised: version 1 in force, version 2 waiting for both signatures.
    case = _case("Ali", "Exempel")
    if case:
        _first_visit(case, erik, case.opened_on + timedelta(days=2))
        plan = _plan(
            case,
            erik,
            "arbetsplan",
            {
                "next_step": "Ansöka om plats på SFI.",
                "client_view": "Ali vill lära sig svenska snabbt och sedan arbeta som elektriker.",
                "family_situation": "Ensamstående med två barn, Sam och Noor.",
                "children_perspective": "Barnen har plats i förskola och skola nära hemmet; "
                "studietiderna planeras efter hämtning och lämning.",
            },
            [
                {
                    "what": "Ansöka om SFI",
                    "responsible": Responsible.CLIENT,
                    "follow_up_on": today + timedelta(days=10),
                },
                {
                    "what": "Validering av elektrikerutbildning",
                    "responsible": Responsible.ARBETSFORMEDLINGEN,
                    "follow_up_on": today + timedelta(days=45),
                },
            ],
        )
        _ready(plan, erik)
        _sign(plan, erik)
        revision = plan_revise(
            plan, actor=erik, reason="Ali har fått plats på SFI från nästa månad."
        )
        plan_draft_save(
            revision,
            actor=erik,
            content={"next_step": "Börja på SFI, kvällskurs, och meddela schemat."},
        )
        _ready(plan, erik)

    # Waiting for the client's signature (the caseworker has signed).
    case = _case("Karin", "Exempeldotter")
    if case:
        _first_visit(case, sara, case.opened_on + timedelta(days=2))
        plan = _plan(
            case,
            sara,
            "arbetsplan",
            {
                "next_step": "Möte med Försäkringskassan om sjukersättningen.",
                "client_view": "Karin orkar inte arbeta heltid och vill få det utrett.",
                "family_situation": "Bor ensam.",
            },
            [
                {
                    "what": "Trepartssamtal med Försäkringskassan",
                    "responsible": Responsible.CASEWORKER,
                    "follow_up_on": soon,
                }
            ],
        )
        _ready(plan, sara)
        _sign(plan, sara, parties=("caseworker",))

    # Drafts.
    case = _case("Maja", "Demosson")
    if case:
        _first_visit(case, erik, case.opened_on + timedelta(days=2))
        _plan(
            case,
            erik,
            "arbetsplan",
            {"client_view": "Maja vill utöka sina timmar i butiken."},
            [{"what": "Prata med arbetsgivaren om fler timmar", "responsible": Responsible.CLIENT}],
        )
    case = _case("Amina", "Sydsson")
    if case:
        _first_visit(case, omar, case.opened_on + timedelta(days=2))
        _plan(
            case,
            omar,
            "introduktionsplan",
            {"family_situation": "Amina och Yusuf kom till kommunen i våras."},
            [{"what": "Samhällsorientering", "responsible": Responsible.ADULT_EDUCATION}],
        )

    _overdue_case(erik, today)


def _overdue_case(erik: User, today) -> None:
    """A case whose first visit was four months ago and has only a draft: the plan
    deadline has passed (the sweep escalates it to the unit manager)."""
    from cases.services.casework import case_open
    from cases.services.people import household_create, person_save

    unit = erik.unit
    if unit is None:
        return
    opened = today - timedelta(days=125)
    person = person_save(
        Person(first_name="Pia", last_name="Väntesson", birth_date=date(1991, 3, 14)),
        actor=erik,
    )
    household = household_create(applicant=person, unit=unit, valid_from=opened, actor=erik)
    case = case_open(actor=erik, household=household, unit=unit, caseworker=erik, opened_on=opened)
    _first_visit(case, erik, opened + timedelta(days=2))
    _plan(
        case,
        erik,
        "arbetsplan",
        {"client_view": "Pia vill börja studera till undersköterska."},
        [],
    )
