import pytest

from eservice.tests.idp import client_idp, eid  # noqa: F401 – fixtures


@pytest.fixture(autouse=True)
def norms_for_this_and_next_month(request):
    """The tests calculate this month and apply for the next one; on nyårsdagen (make
    test-clock) the new year has no riksnorm until loaded – a test copy of the latest."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        marker = request.node.get_closest_marker("django_db")
        if marker is None:
            return
    request.getfixturevalue("db")
    from django.utils import timezone

    from cases.models import NormYear
    from cases.tests.factories import copy_norm_year
    from eservice.services import next_month

    for year in {timezone.localdate().year, next_month().year}:
        if not NormYear.objects.filter(year=year).exists():
            latest = NormYear.objects.filter(year__lt=year).order_by("-year").first()
            if latest is not None:
                copy_norm_year(latest.year, year)
