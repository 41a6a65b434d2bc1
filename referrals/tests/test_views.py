"""The referral pages through the test client: sending, answering, starting, following
up and ending; errors shown on the form with the input kept; the lists."""

from datetime import date

import pytest
from django.urls import reverse

from referrals.models import Referral
from referrals.services import referral_accept, referral_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, caseworker):
    client.force_login(caseworker)
    return client


def test_send_a_referral_from_the_case(logged_in, case, person, service, caseworker):
    url = reverse("referrals:referral_new", args=[case.pk])
    page = logged_in.get(url).content.decode()
    assert '<optgroup label="Arbetsförmedlingen">' in page

    response = logged_in.post(
        url,
        {
            "person": person.pk,
            "service": service.pk,
            "reason": "Vill ha praktik",
            "request": "Inskrivning",
            "sent_on": "2025-03-03",
            "shared_fields": ["identity", "reason"],
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert referral.shared_fields == ["identity", "reason"]
    assert referral.created_by == caseworker


def test_a_refused_referral_keeps_the_input(logged_in, case, person, service):
    response = logged_in.post(
        reverse("referrals:referral_new", args=[case.pk]),
        {
            "person": person.pk,
            "service": service.pk,
            "reason": "Min långa anledning som inte får försvinna",
            "request": "Inskrivning",
            "sent_on": "2025-03-03",
            "shared_fields": ["identity", "health"],  # needs a kartläggning
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Uppgifter ur kartläggningen kan bara lämnas ut" in page
    assert "Min långa anledning som inte får försvinna" in page
    assert not Referral.objects.exists()


def post_move(client, referral, to, **fields):
    data = {"to": to, f"{to}-version": referral.version}
    data.update({f"{to}-{key}": value for key, value in fields.items()})
    return client.post(reverse("referrals:referral_move", args=[referral.pk]), data)


def test_the_way_through_the_pages(logged_in, referral):
    assert post_move(logged_in, referral, "accepted", on="2025-03-05").status_code == 302
    referral.refresh_from_db()
    assert post_move(logged_in, referral, "started", on="2025-03-06").status_code == 302
    referral.refresh_from_db()
    response = logged_in.post(
        reverse("referrals:referral_follow_up", args=[referral.pk]),
        {
            "uppfoljning-on": "2025-03-20",
            "uppfoljning-note": "Går bra",
            "uppfoljning-version": referral.version,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    response = post_move(logged_in, referral, "ended", on="2025-04-01", outcome="work", note="Jobb")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.outcome, referral.last_follow_up_on) == (
        "ended",
        "work",
        date(2025, 3, 20),
    )
    page = logged_in.get(reverse("referrals:referral_detail", args=[referral.pk])).content
    assert "Avslutad</span> – Arbete" in page.decode()


def test_a_move_the_table_forbids_is_refused_on_the_page(logged_in, referral):
    response = post_move(logged_in, referral, "started", on="2025-03-05")
    assert response.status_code == 200
    assert "kan inte bli ”Påbörjad”" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == "sent"


def test_a_decline_without_reason_keeps_the_date(logged_in, referral):
    response = post_move(logged_in, referral, "declined", on="2025-03-07", note="")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="declined-on" value="2025-03-07"' in page
    assert "<details open>" in page
    referral.refresh_from_db()
    assert referral.state == "sent"


def test_a_stale_form_is_refused_with_a_message(logged_in, referral, caseworker):
    shown = referral.version
    referral_accept(referral, actor=caseworker, on=date(2025, 3, 4))
    response = logged_in.post(
        reverse("referrals:referral_move", args=[referral.pk]),
        {
            "to": "withdrawn",
            "withdrawn-on": "2025-03-05",
            "withdrawn-note": "x",
            "withdrawn-version": shown,
        },
    )
    assert "har ändrats av någon annan" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == "accepted"


def test_my_open_referrals_most_urgent_first(logged_in, make_referral, caseworker, service):
    late = make_referral(sent_on=date(2025, 3, 3))
    later = make_referral(sent_on=date(2025, 3, 10))
    stay = make_referral(sent_on=date(2025, 1, 10))
    referral_accept(stay, actor=caseworker, on=date(2025, 1, 13))
    referral_start(stay, actor=caseworker, on=date(2025, 1, 14))  # follow-up due 13 Feb
    page = logged_in.get(reverse("referrals:my_referrals")).content.decode()
    rows = [page.index(f'href="/remisser/{r.pk}/"') for r in (stay, late, later)]
    assert rows == sorted(rows)
    assert "Lång vistelse utan uppföljning" in page


def test_the_unit_view_counts_by_provider_and_state(
    client, unit_manager, make_referral, caseworker
):
    make_referral()
    stay = make_referral()
    referral_accept(stay, actor=caseworker, on=date(2025, 3, 4))
    referral_start(stay, actor=caseworker, on=date(2025, 3, 5))
    client.force_login(unit_manager)
    url = reverse("referrals:unit_referrals")
    page = client.get(url).content.decode()
    assert 'aria-label="1 skickad hos Arbetsförmedlingen"' in page
    assert 'aria-label="1 påbörjad hos Arbetsförmedlingen"' in page
    assert 'aria-label="1 flaggade hos Arbetsförmedlingen"' in page
    flagged = client.get(url, {"flaggade": "1"}).content.decode()
    flagged = flagged.split("<main", 1)[1]  # the list itself, not the menu's "Remisser" link
    assert flagged.count('href="/remisser/') == 1 and f'href="/remisser/{stay.pk}/"' in flagged


def test_the_start_page_shows_my_open_referrals(logged_in, referral):
    page = logged_in.get(reverse("caseworker_start")).content.decode()
    assert "Mina öppna remisser" in page
    assert f'href="/remisser/{referral.pk}/"' in page


def test_the_case_page_shows_referrals_mappings_and_meetings(logged_in, case, referral, mapping):
    page = logged_in.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Remisser och kartläggning" in page
    assert "Arbetsförmedlingen – Inskrivning och gemensam planering" in page
    assert "version 1" in page and "Ny version av kartläggningen" in page
