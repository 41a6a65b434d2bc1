"""The link from an activity to a referral (remiss) in the referrals app.

``Activity.referral_id`` is a plain integer, not a foreign key, so that either app can
land first and neither imports the other. The referrals app registers a resolver in its
AppConfig.ready():

    from workplans.links import register_referral_resolver
    register_referral_resolver(lambda ids: {r.pk: (str(r), r.get_absolute_url()) for r in …})

A resolver takes the referral ids shown on a page and returns ``{id: (label, url)}`` in
a fixed number of queries. Without one, an activity shows "Remiss nr N".
To create a linked activity, the referrals app calls ``workplans.services.activity_add(
plan, actor=…, what=…, responsible=…, referral_id=referral.pk)``.
"""

from collections.abc import Callable, Iterable

ReferralResolver = Callable[[list[int]], dict[int, tuple[str, str]]]

_RESOLVERS: list[ReferralResolver] = []


def register_referral_resolver(resolver: ReferralResolver) -> None:
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def resolve_referrals(ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    """``{id: (label, url)}`` for the given referral ids (unknown ids are left out)."""
    wanted = sorted({i for i in ids if i is not None})
    found: dict[int, tuple[str, str]] = {}
    if not wanted:
        return found
    for resolver in _RESOLVERS:
        found.update(resolver(wanted))
    return found


def referral_label(referral_id: int, resolved: dict[int, tuple[str, str]]) -> tuple[str, str]:
    return resolved.get(referral_id, (f"Remiss nr {referral_id}", ""))
