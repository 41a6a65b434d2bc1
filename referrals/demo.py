"""Demo data for referrals: providers of every kind with their services, and – in the
demo cases of ``cases.demo`` – referrals in every state, a kartläggning and a
three-party meeting. Runs on the core's "demo_loaded" hook; idempotent: providers are
kept up to date by name, and the referrals are made once (dates stay as first loaded).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case, Person
from cases.workdays import STOCKHOLM, add_working_days, is_working_day
from referrals.models import AgreedStep, Provider, ProviderService, Referral

Kind = Provider.Kind

# name, kind, answer within (working days), follow up every (days), address, services
DEMO_PROVIDERS = (
    (
        "Arbetsförmedlingen",
        Kind.STATE_AGENCY,
        10,
        90,
        "Arbetsförmedlingen, lokalkontoret\nBox 100\n123 45 Exempelby",
        ("Inskrivning och gemensam planering", "Rusta och matcha", "Arbetsmarknadsutbildning"),
    ),
    (
        "Försäkringskassan",
        Kind.STATE_AGENCY,
        15,
        90,
        "Försäkringskassan\n123 46 Exempelby",
        ("Samordning av rehabilitering", "Bedömning av rätt till sjukpenning"),
    ),
    (
        "Jobbklubben",
        Kind.MUNICIPAL,
        5,
        30,  # the jobbklubb lesson (Burlöv 2013, sources/002): follow up often
        "Jobbklubben, Arbetsmarknadsenheten\nStorgatan 1\n123 45 Exempelby",
        ("Jobbklubb – stöd i arbetssökandet", "CV och intervjuträning"),
    ),
    (
        "Arbetsmarknadsenheten",
        Kind.MUNICIPAL,
        5,
        60,
        "Arbetsmarknadsenheten\nStorgatan 1\n123 45 Exempelby",
        ("Praktik med handledning", "Extratjänst"),
    ),
    (
        "Budget- och skuldrådgivningen",
        Kind.MUNICIPAL,
        10,
        90,
        "Budget- och skuldrådgivningen\nRådhuset\n123 45 Exempelby",
        ("Budgetrådgivning", "Stöd inför skuldsanering"),
    ),
    (
        "Vuxenutbildningen – Komvux och SFI",
        Kind.EDUCATION,
        10,
        120,
        "Vuxenutbildningen\nSkolvägen 3\n123 47 Exempelby",
        ("SFI – svenska för invandrare", "Komvux grundläggande nivå", "Yrkesutbildning"),
    ),
    (
        "Vårdcentralen Exempelby",
        Kind.REGION,
        15,
        90,
        "Vårdcentralen Exempelby\nHälsogatan 2\n123 48 Exempelby",
        ("Bedömning av arbetsförmåga",),
    ),
    (
        "Returbutiken Nya steg",
        Kind.SOCIAL_ENTERPRISE,
        None,
        60,
        "Returbutiken Nya steg\nIndustrivägen 7\n123 49 Exempelby",
        ("Arbetsträning",),
    ),
    (
        "Frivilligcentralen",
        Kind.NON_PROFIT,
        None,
        90,
        "",
        ("Språkcafé och mentor",),
    ),
    (
        "Rekryteringsbyrån Jobbvägen",
        Kind.OTHER,
        5,
        60,
        "Rekryteringsbyrån Jobbvägen\nTorget 4\n123 45 Exempelby",
        ("Matchning mot lediga jobb",),
    ),
    (
        "Samordningsförbundet Exempelby",
        Kind.COORDINATION,
        10,
        60,
        "Samordningsförbundet Exempelby\nBox 200\n123 45 Exempelby",
        ("Insatsstöd (FIA)",),
    ),
)


def _load_providers() -> dict[str, ProviderService]:
    services = {}
    for name, kind, answer_days, follow_up_days, address, offered in DEMO_PROVIDERS:
        provider, _ = Provider.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "response_days": answer_days,
                "follow_up_days": follow_up_days,
                "address": address,
                "contact_name": "Mottagningen",
                "email": f"remiss@{kind.replace('_', '-')}.example",
                "is_active": True,
            },
        )
        for service_name in offered:
            services[f"{name}: {service_name}"], _ = ProviderService.objects.update_or_create(
                provider=provider, name=service_name, defaults={"is_active": True}
            )
    return services


@transaction.atomic
def load_referrals_demo(**kwargs) -> None:
    services = _load_providers()
    if Referral.objects.exists():
        return
    _demo_referrals(services)


def _case_of(first: str, last: str) -> Case | None:
    person = Person.objects.filter(first_name=first, last_name=last).first()
    if person is None:
        return None
    return (
        Case.objects.filter(household__memberships__person=person)
        .exclude(status=Case.Status.CLOSED)
        .select_related("caseworker", "unit", "household")
        .first()
    )


def _days_ago(case: Case, days: int) -> date:
    """``days`` before today, but not before the case was opened."""
    return max(timezone.localdate() - timedelta(days=days), case.opened_on)


def _working_days_ago(case: Case, days: int) -> date:
    return max(add_working_days(timezone.localdate(), -days), case.opened_on)


def _soon_after(day: date, working_days: int) -> date:
    """``working_days`` after ``day``, but not after today."""
    return min(add_working_days(day, working_days), timezone.localdate())


def _demo_referrals(services) -> None:
    from referrals.services import (
        StepInput,
        mapping_save,
        referral_accept,
        referral_create,
        referral_decline,
        referral_end,
        referral_follow_up_record,
        referral_start,
        referral_withdraw,
        three_party_meeting_record,
    )

    def send(case, person, service, *, reason, request, days_ago, shared, mapping=None):
        return referral_create(
            actor=case.caseworker,
            case=case,
            person=person,
            service=services[service],
            reason=reason,
            request=request,
            shared_fields=shared,
            mapping=mapping,
            sent_on=_working_days_ago(case, days_ago),
        )

    maja_case = _case_of("Maja", "Demosson")
    if maja_case is not None:
        maja = Person.objects.get(first_name="Maja", last_name="Demosson")
        erik = maja_case.caseworker
        mapping = mapping_save(
            actor=erik,
            case=maja_case,
            person=maja,
            based_on_version=0,
            answers={
                "made_on": _days_ago(maja_case, 20),
                "education_level": "upper_secondary",
                "education": "Barn- och fritidsprogrammet, gymnasiet i Exempelby.",
                "work_experience": "Sommarjobb inom hemtjänsten, deltid i butik i två år.",
                "swedish_level": "native",
                "other_languages": "Engelska",
                "health": "Mår bra, men ryggen gör att tunga lyft är svåra.",
                "obstacles": "Saknar körkort.",
                "own_goals": "Arbeta som barnskötare.",
                "help_wanted": "Hjälp att hitta praktik i förskola och att skriva CV.",
                "employment_service_status": "registered",
                "employment_service_contact": "Inskriven sedan i våras, ingen planering ännu.",
                "other_contacts": "",
                "assessment": "Praktik inom förskola via Arbetsförmedlingen.",
            },
        )
        send(  # SENT, answer clock running
            maja_case,
            maja,
            "Arbetsförmedlingen: Inskrivning och gemensam planering",
            reason="Vill arbeta som barnskötare och behöver praktik och hjälp med CV.",
            request="Gemensam planering mot praktik i förskola; trepartssamtal önskas.",
            days_ago=2,
            shared=["identity", "contact", "reason", "education", "work_experience", "goals"],
            mapping=mapping,
        )

    tolvan_case = _case_of("Tolvan", "Tolvansson")
    if tolvan_case is not None:
        tolvan = Person.objects.get(personnummer="191212121212")
        stay = send(  # STARTED long ago at the jobbklubb, never followed up: flagged
            tolvan_case,
            tolvan,
            "Jobbklubben: Jobbklubb – stöd i arbetssökandet",
            reason="Arbetssökande sedan länge, behöver struktur i sökandet.",
            request="Plats i jobbklubben, fyra förmiddagar i veckan.",
            days_ago=55,
            shared=["identity", "reason"],
        )
        referral_accept(stay, actor=tolvan_case.caseworker, on=stay.sent_on)
        referral_start(stay, actor=tolvan_case.caseworker, on=stay.sent_on)

    ali_case = _case_of("Ali", "Exempel")
    if ali_case is not None:
        ali = Person.objects.get(personnummer="199006022397")
        sfi = send(
            ali_case,
            ali,
            "Vuxenutbildningen – Komvux och SFI: SFI – svenska för invandrare",
            reason="Behöver svenska för att kunna söka arbete inom sitt yrke.",
            request="Plats på SFI, kurs C.",
            days_ago=20,
            shared=["identity", "language", "reason"],
        )
        referral_accept(sfi, actor=ali_case.caseworker, on=_soon_after(sfi.sent_on, 4))
        send(  # SENT long ago, the answer is overdue
            ali_case,
            ali,
            "Arbetsförmedlingen: Rusta och matcha",
            reason="Utbildad elektriker i hemlandet, behöver väg in i yrket.",
            request="Bedömning av yrkeskunskaper och matchning mot elbranschen.",
            days_ago=15,
            shared=["identity", "reason"],
        )

    omid_case = _case_of("Omid", "Testar")
    if omid_case is not None:
        omid = Person.objects.get(first_name="Omid", last_name="Testar")
        sara = omid_case.caseworker
        declined = send(
            omid_case,
            omid,
            "Budget- och skuldrådgivningen: Stöd inför skuldsanering",
            reason="Skulder hos Kronofogden som hindrar en egen bostad.",
            request="Stöd inför ansökan om skuldsanering.",
            days_ago=30,
            shared=["identity", "contact", "reason"],
        )
        referral_decline(
            declined,
            actor=sara,
            on=_soon_after(declined.sent_on, 3),
            reason="Kö till hösten; ny remiss när skulderna är sammanställda.",
        )
        praktik = send(
            omid_case,
            omid,
            "Arbetsmarknadsenheten: Praktik med handledning",
            reason="Vill pröva lagerarbete.",
            request="Praktik på lager med handledare, tre månader.",
            days_ago=50,
            shared=["identity", "reason"],
        )
        referral_accept(praktik, actor=sara, on=praktik.sent_on)
        referral_start(praktik, actor=sara, on=_soon_after(praktik.sent_on, 2))
        referral_follow_up_record(
            praktik,
            actor=sara,
            on=_soon_after(praktik.sent_on, 12),
            note="Trivs, handledaren nöjd.",
        )
        referral_end(
            praktik,
            actor=sara,
            outcome=Referral.Outcome.WORK,
            on=max(_working_days_ago(omid_case, 3), _soon_after(praktik.sent_on, 12)),
            note="Anställd på lagret med nystartsjobb.",
        )
        af = send(
            omid_case,
            omid,
            "Arbetsförmedlingen: Inskrivning och gemensam planering",
            reason="Gemensam planering inför anställningen.",
            request="Inskrivning och trepartssamtal.",
            days_ago=25,
            shared=["identity", "reason"],
        )
        referral_accept(af, actor=sara, on=af.sent_on)
        af = referral_start(af, actor=sara, on=af.sent_on)
        held_on = _working_days_ago(omid_case, 5)
        if not is_working_day(held_on):
            held_on = add_working_days(held_on, -1)
        held_at = datetime.combine(held_on, time(10, 0), tzinfo=STOCKHOLM)
        if held_at <= timezone.now() and held_on >= af.started_on:
            three_party_meeting_record(
                actor=sara,
                case=omid_case,
                provider=af.provider,
                participant_name="Kim Arbetsförmedlare",
                participant_title="arbetsförmedlare",
                held_at=held_at,
                notes="Gemensam planering: Omid söker lagerjobb, Arbetsförmedlingen "
                "erbjuder truckkort.",
                referral=af,
                steps=[
                    StepInput(
                        what="Truckkortsutbildning",
                        responsible=AgreedStep.Responsible.PROVIDER,
                        becomes=AgreedStep.Becomes.ACTIVITY,
                        due_on=timezone.localdate() + timedelta(days=30),
                    ),
                    StepInput(
                        what="Budgetrådgivning inför första lönen",
                        responsible=AgreedStep.Responsible.CASEWORKER,
                        becomes=AgreedStep.Becomes.REFERRAL,
                        service=services["Budget- och skuldrådgivningen: Budgetrådgivning"],
                    ),
                ],
            )

    karin_case = _case_of("Karin", "Exempeldotter")
    if karin_case is not None:
        karin = Person.objects.get(first_name="Karin", last_name="Exempeldotter")
        fk = send(  # STARTED recently: the follow-up clock is running
            karin_case,
            karin,
            "Försäkringskassan: Samordning av rehabilitering",
            reason="Långvarig sjukdom, oklar arbetsförmåga.",
            request="Samordnad bedömning av arbetsförmågan.",
            days_ago=12,
            shared=["identity", "reason"],
        )
        referral_accept(fk, actor=karin_case.caseworker, on=fk.sent_on)
        referral_start(fk, actor=karin_case.caseworker, on=_soon_after(fk.sent_on, 2))

    johan_case = _case_of("Johan", "Provare")
    if johan_case is not None:
        johan = Person.objects.get(first_name="Johan", last_name="Provare")
        withdrawn = send(
            johan_case,
            johan,
            "Returbutiken Nya steg: Arbetsträning",
            reason="Behöver komma igång med dagliga rutiner.",
            request="Arbetsträning 50 procent.",
            days_ago=8,
            shared=["identity"],
        )
        referral_withdraw(
            withdrawn,
            actor=johan_case.caseworker,
            note="Johan har fått ett vikariat.",
            on=_working_days_ago(johan_case, 1),
        )

    nils_case = _case_of("Nils", "Syd")
    if nils_case is not None:
        nils = Person.objects.get(first_name="Nils", last_name="Syd")
        send(
            nils_case,
            nils,
            "Samordningsförbundet Exempelby: Insatsstöd (FIA)",
            reason="Lång tid utan arbete, behöver samordnat stöd.",
            request="Plats i FIA.",
            days_ago=1,
            shared=["identity", "reason"],
        )
