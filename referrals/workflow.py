"""The referral's states and the only moves between them (STYLE.md: an explicit table,
enforced in ``referrals.services``; every move is recorded as a ``ReferralEvent``).

    sent ──▶ accepted ──▶ started ──▶ ended (with an outcome)
      │          │
      ├──▶ declined          (the provider says no)
      └──────────┴──▶ withdrawn   (the caseworker takes the referral back)

The issue's path (sent → accepted / declined → started → ended) plus *withdrawn*, so a
referral that will never start does not stay open for ever (DOMAIN.md §2.9: nobody is
left "between chairs", and nothing waits on a clock that no longer means anything).
"""

from referrals.models import Referral

State = Referral.State

TRANSITIONS: dict[str, frozenset[str]] = {
    State.SENT: frozenset({State.ACCEPTED, State.DECLINED, State.WITHDRAWN}),
    State.ACCEPTED: frozenset({State.STARTED, State.WITHDRAWN}),
    State.STARTED: frozenset({State.ENDED}),
    State.DECLINED: frozenset(),
    State.ENDED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# Still going somewhere: on "my open referrals" and counted as open.
OPEN_STATES: frozenset[str] = frozenset({State.SENT, State.ACCEPTED, State.STARTED})

# The verbs on the buttons, per target state.
ACTION_LABELS: dict[str, str] = {
    State.ACCEPTED: "Antagen av insatsgivaren",
    State.DECLINED: "Avböjd av insatsgivaren",
    State.STARTED: "Insatsen har påbörjats",
    State.ENDED: "Avsluta med resultat",
    State.WITHDRAWN: "Återkalla remissen",
}


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def next_states(state: str) -> list[str]:
    """Allowed targets in the order of the State choices (for the page's buttons)."""
    allowed = TRANSITIONS.get(state, frozenset())
    return [value for value in State.values if value in allowed]
