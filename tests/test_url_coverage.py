"""Every URL pattern of the project is in a permission matrix (issue 13): a new view
without its row of expected answers per role and relation fails here."""

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin has its own permission system (administrators only, model
# permissions in cases.roles); login and logout are public by design.
# The two OpenID Connect steps are public by protocol: the start redirects to the IdP
# (404 without one), the callback accepts only the state of this session's start
# (signin/tests/test_sso.py).
NOT_IN_A_MATRIX = {"login", "logout", "oidc_authentication_init", "oidc_authentication_callback"}


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_a_permission_matrix():
    from cases.tests.test_permission_matrix import ENTRIES as CASES

    # The e-service (issue 19): its own matrix with the citizen relations; every staff
    # URL above also has the "citizen" relation (cases.tests.matrix.RELATIONS).
    from eservice.tests.test_permission_matrix import ENTRIES as ESERVICE
    from referrals.tests.test_permission_matrix import ENTRIES as REFERRALS
    from reporting.tests.test_permission_matrix import ENTRIES as REPORTING
    from signin.tests.test_permission_matrix import ENTRIES as SIGNIN
    from workplans.tests.test_permission_matrix import ENTRIES as WORKPLANS

    covered = (
        set(CASES)
        | {f"referrals:{name}" for name in REFERRALS}
        | {f"reporting:{name}" for name in REPORTING}
        | {f"workplans:{name}" for name in WORKPLANS}
        | {f"signin:{name}" for name in SIGNIN}
        | set(ESERVICE)
    )
    every = set(_names(get_resolver().url_patterns))
    missing = every - covered - NOT_IN_A_MATRIX
    assert not missing, f"URL patterns outside every permission matrix: {sorted(missing)}"
    assert len(every) > 100  # the walk really found the project's URLs
