"""Issue 15 (part B), as a caseworker meets it: delgivning with its dates (delgivningslagen
2010:1932, förenklad delgivning over Christmas), the avvisningsbeslut and the
omprövningsbeslut as decisions with letters (FL 37–39, 45 §§), kommunikation before an
adverse decision (FL 25 §) and the notice in the person's language (FL 13 §)."""

import re
from datetime import date, datetime, time
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import language_notices
from cases.models import Appeal, AppealDismissal, Decision, DelegationRule, LegalBasis
from cases.services import decisions as svc
from cases.services.communication import Communication
from cases.serving import control_notice_due, simplified_deemed_served_on
from cases.tests.factories import PersonFactory
from cases.tests.test_decisions import calculated_application, communicated, draft, pdf_text
from cases.workdays import STOCKHOLM


def at(day: date):
    """The clock on ``day`` at noon in Stockholm (dates in the tests are in the future of
    the decision and must be "today or earlier" when recorded)."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=STOCKHOLM), tick=False)


def final_decision(caseworker, *, decided_on: date, outcome="granted", applicant=None):
    application = calculated_application(caseworker, applicant=applicant)
    decision = svc.decision_submit(
        draft(application, caseworker, outcome=outcome), actor=caseworker
    )
    Decision.objects.filter(pk=decision.pk).update(decided_on=decided_on)
    decision.refresh_from_db()
    return decision


# --- 1. delgivning -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        (date(2026, 12, 22), date(2026, 12, 23)),  # Tue → Wed, a working day
        (date(2026, 12, 23), date(2026, 12, 28)),  # Wed → Mon: julafton, juldagen, annandag, Sun
        (date(2026, 12, 30), date(2027, 1, 4)),  # Wed → Mon: nyårsafton, nyårsdagen, weekend
    ],
)
def test_the_control_notice_is_due_the_first_working_day_after_sending(sent, due):
    assert control_notice_due(sent) == due


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "notice", "served", "last_day"),
    [
        # The control notice the next day: deemed served two weeks after, three weeks on.
        (date(2026, 12, 22), date(2026, 12, 23), date(2027, 1, 5), date(2027, 1, 26)),
        # Sent the day before julafton: Monday 28 December is the first working day after.
        (date(2026, 12, 23), date(2026, 12, 28), date(2027, 1, 6), date(2027, 1, 27)),
        # Deemed served 16 Dec; three weeks end on trettondedag jul → Thursday 7 January.
        (date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 16), date(2027, 1, 7)),
    ],
)
def test_simplified_service_across_the_holidays(caseworker, sent, notice, served, last_day):
    decision = final_decision(caseworker, decided_on=sent)

    with at(date(2027, 2, 15)):
        decision = svc.decision_serve(
            decision,
            actor=caseworker,
            how="simplified",
            sent_on=sent,
            control_notice_on=notice,
            simplified_informed=True,
        )
        in_time = svc.appeal_register(decision, actor=caseworker, received_on=last_day)
        late = svc.appeal_register(
            decision, actor=caseworker, received_on=date.fromordinal(last_day.toordinal() + 1)
        )

    assert decision.served_on == served and not decision.simplified_service_failed
    assert (in_time.last_day, in_time.is_timely, in_time.timeliness_uncertain) == (
        last_day,
        True,
        False,
    )
    assert (late.is_timely, late.timeliness_uncertain) == (False, False)


@pytest.mark.django_db
def test_a_control_notice_after_christmas_for_a_letter_sent_on_the_22nd_is_too_late(
    client, caseworker
):
    """Sent Tue 22 Dec: the working day after is Wed 23 Dec, so a control notice on Mon
    28 Dec means förenklad delgivning did not happen – the day of service is unknown and
    an appeal in February is not proposed for avvisning."""
    decision = final_decision(caseworker, decided_on=date(2026, 12, 22))

    with at(date(2027, 2, 15)):
        decision = svc.decision_serve(
            decision,
            actor=caseworker,
            how="simplified",
            sent_on=date(2026, 12, 22),
            control_notice_on=date(2026, 12, 28),
            simplified_informed=True,
        )
        appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2027, 2, 10))
        client.force_login(caseworker)
        page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()

    assert decision.served_on is None and decision.simplified_service_failed
    assert simplified_deemed_served_on(date(2026, 12, 22), date(2026, 12, 28)) is None
    assert (appeal.is_timely, appeal.timeliness_uncertain, appeal.last_day) == (True, True, None)
    assert "Förenklad delgivning har inte skett" in page and "2026-12-23" in page
    with pytest.raises(svc.DecisionError, match="osäker"):
        svc.appeal_dismiss(appeal, actor=caseworker)


@pytest.mark.django_db
def test_a_posting_date_alone_makes_the_last_day_uncertain_never_avvisning(client, caseworker):
    """The caseworker knows only that the letter went by post on 1 September. Before, that
    date was taken as the day of service and an appeal of 23 September was 'late'."""
    decision = final_decision(caseworker, decided_on=date(2026, 9, 1))

    with at(date(2026, 9, 23)):
        decision = svc.decision_serve(
            decision, actor=caseworker, how="letter", sent_on=date(2026, 9, 1)
        )
        appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 9, 23))
        client.force_login(caseworker)
        page = client.get(reverse("appeal_detail", args=[appeal.pk])).content.decode()

    assert decision.served_on is None and decision.service_date_uncertain
    assert (appeal.is_timely, appeal.timeliness_uncertain, appeal.last_day) == (True, True, None)
    assert "Osäker" in page and "föreslås inte för avvisning" in page
    assert "För sent" not in page
    assert "tisdag 22 september 2026" in page  # the earliest the last day can be
    with pytest.raises(svc.DecisionError, match="osäker"):
        svc.appeal_dismiss(appeal, actor=caseworker)
    assert not AppealDismissal.objects.exists()


@pytest.mark.django_db
def test_a_known_receipt_starts_the_period_and_judges_the_open_appeal_again(caseworker):
    decision = final_decision(caseworker, decided_on=date(2026, 9, 1))
    with at(date(2026, 10, 1)):
        decision = svc.decision_serve(
            decision, actor=caseworker, how="letter", sent_on=date(2026, 9, 1)
        )
        appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 9, 28))
        assert appeal.timeliness_uncertain

        # The delivery receipt shows the person got the letter on Friday 4 September.
        decision = svc.decision_serve(
            decision,
            actor=caseworker,
            how="letter",
            sent_on=date(2026, 9, 1),
            received_on=date(2026, 9, 4),
        )
        on_the_day = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 9, 25))

    appeal.refresh_from_db()
    assert decision.served_on == date(2026, 9, 4)
    assert (on_the_day.last_day, on_the_day.is_timely) == (date(2026, 9, 25), True)
    assert (appeal.last_day, appeal.is_timely, appeal.timeliness_uncertain) == (
        date(2026, 9, 25),
        False,
        False,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "how": "simplified",
                "sent_on": date(2026, 9, 1),
                "control_notice_on": date(2026, 9, 2),
            },
            "delgivningslagen 22 §",
        ),
        ({"how": "simplified", "sent_on": date(2026, 9, 1)}, "kontrollmeddelandet"),
        (
            {"how": "letter", "sent_on": date(2026, 9, 4), "received_on": date(2026, 9, 2)},
            "innan det skickades",
        ),
        ({"how": "in_person", "sent_on": date(2026, 9, 2)}, "lämnades över"),
        ({"how": "letter"}, "när beslutet skickades"),
        ({"how": "letter", "sent_on": date(2026, 8, 30)}, "beslutsdagen"),
    ],
)
def test_impossible_delgivning_is_refused(caseworker, kwargs, message):
    decision = final_decision(caseworker, decided_on=date(2026, 9, 1))
    with at(date(2026, 10, 1)), pytest.raises(svc.DecisionError, match=message):
        svc.decision_serve(decision, actor=caseworker, **kwargs)


@pytest.mark.django_db
def test_the_serve_form_records_a_simplified_service(client, caseworker):
    decision = final_decision(caseworker, decided_on=date(2026, 12, 22))
    with at(date(2027, 1, 10)):
        client.force_login(caseworker)  # the idle timeout would log out a session from before
        client.post(
            reverse("decision_serve", args=[decision.pk]),
            {
                "how": "simplified",
                "sent_on": "2026-12-22",
                "control_notice_on": "2026-12-23",
                "simplified_informed": "on",
            },
        )
    decision.refresh_from_db()
    assert (decision.served_how, decision.served_on) == ("simplified", date(2027, 1, 5))


# --- 2. avvisning and omprövning are decisions ------------------------------------------


def served_on_paper(caseworker, decision, received: date):
    with at(received):
        return svc.decision_serve(
            decision, actor=caseworker, how="letter", sent_on=received, received_on=received
        )


@pytest.mark.django_db
def test_a_late_appeal_is_dismissed_by_a_decision_with_its_own_letter(client, caseworker):
    decision = final_decision(caseworker, decided_on=date(2026, 9, 1))
    decision = served_on_paper(caseworker, decision, date(2026, 9, 1))
    with at(date(2026, 11, 2)):
        appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 11, 2))
        assert not appeal.is_timely
        appeal = svc.appeal_dismiss(appeal, actor=caseworker)

    dismissal = AppealDismissal.objects.get(appeal=appeal)
    assert appeal.status == Appeal.Status.DISMISSED
    assert (dismissal.decided_by, dismissal.decided_on) == (caseworker, date(2026, 11, 2))
    assert bytes(dismissal.pdf).startswith(b"%PDF") and len(dismissal.sha256) == 64
    text = pdf_text(bytes(dismissal.pdf))
    for expected in (
        "Beslut om avvisning av överklagande",
        "Vi avvisar ditt överklagande eftersom det har kommit in för sent",
        "förvaltningslagen 45 §",
        "22 september 2026",  # the last day
        decision.reference,
        dismissal.reference,
        # its own besvärshänvisning: the avvisningsbeslut is appealed by förvaltningsbesvär
        "Hur du överklagar beslutet om avvisning",
        "inom tre veckor från den dag du fick del av detta beslut",
    ):
        assert expected in text, expected

    client.force_login(caseworker)
    letter = client.get(reverse("appeal_dismissal_letter", args=[appeal.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert bytes(letter.content) == bytes(dismissal.pdf)
    page = client.get(reverse("appeal_detail", args=[appeal.pk])).content.decode()
    assert "Beslutskedjan" in page and dismissal.reference in page
    decision_page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert f"avvisningsbeslut {dismissal.reference}" in decision_page


@pytest.mark.django_db
def test_an_appeal_that_reached_the_court_in_time_is_not_dismissed(caseworker):
    """FL 45 § 2 st.: sent to förvaltningsrätten on time, passed on to us after the last
    day – it is not late."""
    decision = final_decision(caseworker, decided_on=date(2026, 9, 1))
    decision = served_on_paper(caseworker, decision, date(2026, 9, 1))
    with at(date(2026, 10, 1)):
        appeal = svc.appeal_register(
            decision,
            actor=caseworker,
            received_on=date(2026, 9, 29),
            court_received_on=date(2026, 9, 21),
        )
        assert (appeal.last_day, appeal.is_timely) == (date(2026, 9, 22), True)
        with pytest.raises(svc.DecisionError):
            svc.appeal_dismiss(appeal, actor=caseworker)
        svc.appeal_forward(appeal, actor=caseworker, forwarded_on=date(2026, 10, 1))
    assert not AppealDismissal.objects.exists()


@pytest.mark.django_db
def test_avvisning_needs_delegation(caseworker, unit_manager):
    DelegationRule.objects.filter(item_kind="appeal_dismissal", role="caseworker").delete()
    decision = final_decision(caseworker, decided_on=date(2026, 9, 1))
    decision = served_on_paper(caseworker, decision, date(2026, 9, 1))
    with at(date(2026, 11, 2)):
        appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 11, 2))
        with pytest.raises(svc.DecisionError, match="delegation"):
            svc.appeal_dismiss(appeal, actor=caseworker)
        svc.appeal_dismiss(appeal, actor=unit_manager)
    assert AppealDismissal.objects.get().decided_by == unit_manager


@pytest.mark.django_db
def test_an_omprovning_that_changes_the_decision_is_a_new_decision_with_a_letter(
    client, caseworker
):
    with at(date(2026, 11, 2)):  # kommunicerat and decided that day
        original = final_decision(caseworker, decided_on=date(2026, 11, 2), outcome="refused")
    original = served_on_paper(caseworker, original, date(2026, 11, 3))
    with at(date(2026, 11, 10)):
        appeal = svc.appeal_register(original, actor=caseworker, received_on=date(2026, 11, 10))
        client.force_login(caseworker)
        response = client.post(
            reverse("appeal_action", args=[appeal.pk, "omprova"]),
            {"changed": "1", "note": "Hyran var felräknad."},
        )
        new = Decision.objects.get(reconsiders=appeal)
        assert response.url == reverse("decision_edit", args=[new.pk])
        assert (new.kind, new.replaces, new.status) == ("reconsideration", original, "draft")

        new = svc.decision_save_draft(
            original.application,
            actor=caseworker,
            decision=new,
            items=[
                svc.ItemInput(
                    "livelihood",
                    "granted",
                    Decimal(4000),
                    Decimal(4000),
                    LegalBasis.objects.get(code="sol2025-12-1"),
                )
            ],
            motivering="Vid omprövningen har hyran räknats rätt.",
        )
        new = svc.decision_submit(new, actor=caseworker)

    appeal.refresh_from_db()
    assert new.is_final and svc.letter_pdf(new.letter)
    assert (appeal.status, appeal.reconsidered_changed) == (Appeal.Status.RECONSIDERED, True)
    text = pdf_text(svc.letter_pdf(new.letter))
    for expected in (
        "Beslut efter omprövning",
        f"Du har överklagat vårt beslut {original.reference}",
        "förvaltningslagen 37–39 §§",
        "4 000,00 kr",
        "inom tre veckor från den dag du fick del av beslutet",  # its besvärshänvisning
    ):
        assert expected in text, expected
    client.force_login(caseworker)
    page = client.get(reverse("appeal_detail", args=[appeal.pk])).content.decode()
    assert "Omprövningsbeslut" in page and new.reference in page and original.reference in page
    with at(date(2026, 11, 12)):
        assert svc.appeal_forward(appeal, actor=caseworker, forwarded_on=date(2026, 11, 12))


@pytest.mark.django_db
def test_no_omprovning_once_the_appeal_is_forwarded(caseworker):
    """FL 39 §: the draft started before the appeal went to the court cannot be decided
    after it."""
    with at(date(2026, 11, 2)):
        original = final_decision(caseworker, decided_on=date(2026, 11, 2), outcome="refused")
    original = served_on_paper(caseworker, original, date(2026, 11, 3))
    with at(date(2026, 11, 10)):
        appeal = svc.appeal_register(original, actor=caseworker, received_on=date(2026, 11, 10))
        svc.appeal_reconsider(appeal, actor=caseworker, changed=True, note="Ny uppgift.")
        new = Decision.objects.get(reconsiders=appeal)
        svc.appeal_forward(appeal, actor=caseworker, forwarded_on=date(2026, 11, 10))
        with pytest.raises(svc.DecisionError, match="39 §"):
            svc.decision_submit(new, actor=caseworker)


# --- 3. kommunikation ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "basis"),
    # A 12:5 reduction is a delvis bifall (a bifall under 12:5 is refused as not in law).
    [("refused", "sol2025-12-1"), ("partly", "sol2025-12-1"), ("partly", "sol2025-12-5")],
)
def test_an_adverse_decision_needs_kommunikation_first(caseworker, outcome, basis):
    application = calculated_application(caseworker)
    decision = draft(
        application,
        caseworker,
        outcome=outcome,
        basis=basis,
        amount=None if outcome == "refused" else Decimal(1000),
        communication=Communication(),
    )
    with pytest.raises(svc.DecisionError, match="förvaltningslagen 25 §"):
        svc.decision_submit(decision, actor=caseworker)

    decision = draft(
        application,
        caseworker,
        outcome=outcome,
        basis=basis,
        amount=None if outcome == "refused" else Decimal(1000),
        decision=decision,
        communication=communicated(note="Hyresavtalet från hyresvärden."),
    )
    decision = svc.decision_submit(decision, actor=caseworker)
    assert decision.is_final
    assert (decision.communication_method, decision.communication_oral_offered) == ("letter", True)
    assert "Innan vi beslutade fick du den" in pdf_text(svc.letter_pdf(decision.letter))


@pytest.mark.django_db
def test_kommunikation_not_needed_is_recorded_with_its_ground(client, caseworker):
    application = calculated_application(caseworker)
    decision = draft(
        application,
        caseworker,
        outcome="refused",
        communication=Communication(exemption="own_information"),
    )
    decision = svc.decision_submit(decision, actor=caseworker)
    client.force_login(caseworker)
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert decision.is_final and "Inte kommunicerat" in page
    assert "uppgifter som personen själv lämnat" in page


@pytest.mark.django_db
def test_kommunikation_without_telling_of_the_oral_right_is_refused(caseworker):
    application = calculated_application(caseworker)
    decision = draft(
        application, caseworker, outcome="refused", communication=communicated(oral_offered=False)
    )
    with pytest.raises(svc.DecisionError, match="14 kap. 8 §"):
        svc.decision_submit(decision, actor=caseworker)


@pytest.mark.django_db
def test_the_decision_form_asks_for_kommunikation_and_the_submit_refuses_without(
    client, caseworker
):
    application = calculated_application(caseworker)
    client.force_login(caseworker)
    form = {
        "post-TOTAL_FORMS": "1",
        "post-INITIAL_FORMS": "0",
        "post-MIN_NUM_FORMS": "1",
        "post-0-kind": "livelihood",
        "post-0-outcome": "refused",
        "post-0-granted_amount": "0",
        "post-0-legal_basis": LegalBasis.objects.get(code="sol2025-12-1").pk,
        "motivering": "Inkomsterna räcker.",
    }
    page = client.get(reverse("decision_new", args=[application.case_id, application.pk]))
    assert "Kommunicering (förvaltningslagen 25 §)" in page.content.decode()
    client.post(reverse("decision_new", args=[application.case_id, application.pk]), form)
    decision = Decision.objects.get()
    refused = client.post(
        reverse("decision_submit", args=[decision.pk]), {"version": decision.version}, follow=True
    )
    assert "förvaltningslagen 25 §" in refused.content.decode()
    decision.refresh_from_db()
    assert decision.status == "draft"

    edited = client.post(
        reverse("decision_edit", args=[decision.pk]),
        {
            **form,
            "post-INITIAL_FORMS": "1",  # the edit page renders its saved item as initial
            "version": decision.version,
            "communicated_on": str(timezone.localdate()),
            "communication_method": "meeting",
            "communication_oral_offered": "on",
        },
    )
    assert edited.status_code == 302, re.findall(
        r"(?s)form-errors.{0,600}|field__error.{0,200}", edited.content.decode()
    )
    decision.refresh_from_db()
    client.post(reverse("decision_submit", args=[decision.pk]), {"version": decision.version})
    decision.refresh_from_db()
    assert decision.is_final and decision.communication_method == "meeting"


# --- 4. language and interpreter ---------------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "code"),
    [
        ("arabiska, behöver tolk", "ar"),
        ("Arabic", "ar"),
        ("ar", "ar"),
        ("Somaliska", "so"),
        ("tigrinska", "ti"),
        ("Tigrinya", "ti"),
        ("dari/persiska", "prs"),
        ("farsi", "fa"),
        ("Persiska (farsi)", "fa"),
        ("ukrainska", "uk"),
        ("English", "en"),
        ("serbiska", "bs-hr-sr"),
        ("Bosnian", "bs-hr-sr"),
        ("hr", "bs-hr-sr"),
        ("svenska", None),
        ("Svenska, engelska", None),
        ("", None),
        ("kurdiska", None),
    ],
)
def test_the_recorded_language_is_mapped_to_a_notice(recorded, code):
    notice = language_notices.notice_for(recorded)
    assert (notice.code if notice else None) == code


def test_the_catalogues_cover_the_languages_and_say_what_they_must():
    notices = language_notices.catalogue()
    assert {"ar", "so", "ti", "prs", "fa", "uk", "en", "bs-hr-sr"} <= set(notices)
    for notice in notices.values():
        assert "{kommun}" in notice.text and "{telefon}" in notice.call, notice.code
        assert notice.needs_review  # until a certified translator has read it
    assert {n.dir for n in notices.values() if n.code in ("ar", "fa", "prs")} == {"rtl"}
    readme = (language_notices.CATALOGUE_DIR / "README.md").read_text(encoding="utf-8")
    assert "certified translator" in readme


def test_a_municipality_corrects_a_notice_in_its_own_folder(settings, tmp_path):
    shipped = (language_notices.CATALOGUE_DIR / "en.toml").read_text(encoding="utf-8")
    (tmp_path / "en.toml").write_text(
        shipped.replace("Important information", "Corrected information"), encoding="utf-8"
    )
    settings.VAGEN_LETTER_NOTICE_DIR = str(tmp_path)
    assert language_notices.notice_for("engelska").heading.startswith("Corrected")
    settings.VAGEN_LETTER_NOTICE_DIR = ""
    assert language_notices.notice_for("engelska").heading.startswith("Important")


@pytest.mark.django_db
def test_the_letter_carries_a_notice_in_the_persons_language(client, caseworker):
    applicant = PersonFactory(
        first_name="Amal",
        birth_date=date(1985, 3, 3),
        preferred_language="arabiska, behöver tolk",
        needs_interpreter=True,
    )
    application = calculated_application(caseworker, applicant=applicant)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)

    html = decision.letter.html
    assert 'lang="ar" dir="rtl"' in html
    assert "معلومات مهمة عن هذه الرسالة" in html
    assert '<bdi dir="ltr">0123-45 67 00</bdi>' in html
    assert "Information på arabiska" in html
    assert decision.letter.language_notice == "ar"
    assert "Information på arabiska" in pdf_text(svc.letter_pdf(decision.letter))
    client.force_login(caseworker)
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "Meddelande på arabiska bredvid den svenska texten" in page
    assert "Amal behöver tolk" in page


@pytest.mark.django_db
def test_a_swedish_speaker_gets_no_notice_and_an_unknown_language_is_flagged(client, caseworker):
    swedish = calculated_application(caseworker)  # preferred_language empty
    decision = svc.decision_submit(draft(swedish, caseworker), actor=caseworker)
    assert "letter-language-notice" not in decision.letter.html
    assert decision.letter.language_notice == ""

    kurdish = PersonFactory(birth_date=date(1980, 1, 1), preferred_language="kurdiska (sorani)")
    other = svc.decision_submit(
        draft(calculated_application(caseworker, applicant=kurdish), caseworker), actor=caseworker
    )
    client.force_login(caseworker)
    page = client.get(reverse("decision_detail", args=[other.pk])).content.decode()
    assert "Inget meddelande finns på kurdiska (sorani)" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "font"), [("tigrinja", b"Ethiopic"), ("persiska", b"Arabic")])
def test_ethiopic_and_arabic_script_are_set_in_the_vendored_fonts(caseworker, language, font):
    """Tigrinya in Noto Sans Ethiopic, Persian in Noto Naskh Arabic – embedded from the
    project's static files, so no glyph falls back to a missing box."""
    import re

    from cases.tests.test_pdf import pdf_objects

    person = PersonFactory(birth_date=date(1980, 1, 1), preferred_language=language)
    decision = svc.decision_submit(
        draft(calculated_application(caseworker, applicant=person), caseworker), actor=caseworker
    )
    pdf = svc.letter_pdf(decision.letter)
    fonts = set(re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", b"".join(pdf_objects(pdf).values())))
    assert any(font in name for name in fonts), fonts
    if language == "tigrinja":  # left to right: the text extracts in reading order
        assert language_notices.notice_for(language).heading in pdf_text(pdf)


@pytest.mark.django_db
def test_the_interpreter_need_is_shown_where_meetings_are_booked(client, caseworker):
    person = PersonFactory(
        first_name="Semhar",
        birth_date=date(1990, 1, 1),
        preferred_language="tigrinja",
        needs_interpreter=True,
    )
    application = calculated_application(caseworker, applicant=person)
    client.force_login(caseworker)
    page = client.get(reverse("case_detail", args=[application.case_id])).content.decode()
    assert "Semhar behöver tolk – tigrinja. Boka tolk till mötet." in page
