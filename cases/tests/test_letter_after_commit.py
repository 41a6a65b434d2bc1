"""The decision letter off the request path (issue 20): its HTML – what it says – is fixed
in the decision's transaction, the PDF is laid out from that HTML by a task after the
commit, or by the first reader who comes before the task. Against PostgreSQL and the
real Redis broker."""

import hashlib

import pytest
import redis
from django.urls import reverse

from cases.models import DecisionLetter
from cases.services import decisions as svc
from cases.tasks import render_decision_letter
from cases.tests.factories import PersonFactory
from cases.tests.letters import applied_case, decide, item, letter_text
from cases.tests.test_decisions import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    yield client
    client.delete("celery")


def granted(caseworker, **kwargs):
    application = applied_case(caseworker, **kwargs)
    return application, [item("livelihood", "granted", application.result, "sol2025-12-1")]


def test_finalising_fixes_the_text_and_queues_the_layout_after_the_commit(
    caseworker, broker, monkeypatch, django_capture_on_commit_callbacks
):
    import cases.pdf

    def no_layout(*args, **kwargs):
        raise AssertionError("WeasyPrint ran while the decision was being finalised")

    monkeypatch.setattr(cases.pdf, "pdf_from_html", no_layout)
    application, items = granted(caseworker)
    with django_capture_on_commit_callbacks() as callbacks:
        decision = decide(application, caseworker, items)
        assert broker.llen("celery") == 0  # nothing published inside the transaction
    letter = DecisionLetter.objects.get(decision=decision)
    assert letter.pdf is None and letter.sha256 == ""
    assert "Hur du överklagar" in letter_text(letter.html)

    for callback in callbacks:
        callback()
    assert broker.llen("celery") == 1
    assert b"cases.tasks.render_decision_letter" in broker.lindex("celery", 0)


def test_the_task_lays_out_the_stored_html_once(caseworker):
    application, items = granted(caseworker)
    decision = decide(application, caseworker, items)
    letter = DecisionLetter.objects.get(decision=decision)

    assert render_decision_letter(letter.pk) > 0
    letter.refresh_from_db()
    first = bytes(letter.pdf)
    assert first.startswith(b"%PDF") and letter.sha256 == hashlib.sha256(first).hexdigest()

    render_decision_letter(letter.pk)  # a retried or repeated task changes nothing
    letter.refresh_from_db()
    assert bytes(letter.pdf) == first
    assert render_decision_letter(10**9) == 0  # a letter that is gone: nothing to do


def test_a_reader_before_the_task_gets_the_letter_the_task_then_keeps(client, caseworker):
    application, items = granted(caseworker)
    decision = decide(application, caseworker, items)
    client.force_login(caseworker)

    response = client.get(reverse("decision_letter", args=[decision.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

    render_decision_letter(decision.letter.pk)  # the task comes afterwards
    letter = DecisionLetter.objects.get(decision=decision)
    assert bytes(letter.pdf) == response.content
    assert client.get(reverse("decision_letter", args=[decision.pk])).content == response.content


def test_the_letter_says_what_was_decided_even_if_the_person_changes_before_the_layout(
    caseworker,
):
    """The letter is the decision's, with the address it was sent to: a change of name
    or address registered seconds later, before the PDF is laid out, is not in it."""
    application, items = granted(caseworker)
    applicant = application.applicant
    applicant.street_address = "Storgatan 1"
    applicant.save()
    decision = decide(application, caseworker, items)

    applicant.street_address = "Nya vägen 99"
    applicant.save()
    text = pdf_text(svc.letter_pdf(DecisionLetter.objects.get(decision=decision)))
    assert "Storgatan 1" in text and "Nya vägen 99" not in text


def test_the_safety_net_lays_out_what_a_lost_message_left(caseworker, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from config.celery_app import app

    assert (
        app.conf.beat_schedule["lay-out-pending-decision-letters"]["task"]
        == "cases.tasks.lay_out_pending_decision_letters"
    )
    application, items = granted(caseworker)
    decision = decide(application, caseworker, items)
    # Just made: its own task is on the way – the safety net leaves it.
    assert svc.pending_letters_lay_out() == 0

    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert svc.pending_letters_lay_out() == 1
    letter = DecisionLetter.objects.get(decision=decision)
    assert bytes(letter.pdf).startswith(b"%PDF")
    assert svc.pending_letters_lay_out() == 0  # once


def test_one_letter_that_cannot_be_laid_out_does_not_hold_up_the_rest(
    caseworker, time_machine, caplog
):
    from datetime import timedelta

    from django.utils import timezone

    broken_application, broken_items = granted(caseworker, applicant=PersonFactory())
    broken = decide(broken_application, caseworker, broken_items)
    # A stored HTML that asks for a resource the layout refuses (cases.pdf's fetcher).
    DecisionLetter.objects.filter(decision=broken).update(
        html='<html><body><img src="https://elsewhere.invalid/x.png"></body></html>'
    )
    application, items = granted(caseworker)
    fine = decide(application, caseworker, items)

    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert svc.pending_letters_lay_out() == 1
    assert DecisionLetter.objects.get(decision=fine).pdf is not None
    assert DecisionLetter.objects.get(decision=broken).pdf is None
    assert "decision letter layout failed" in caplog.text
