"""Delgivning: when a decision counts as served (lag 2010:1932; DOMAIN.md §5).

The appeal period (FL 44 §) runs from the day the person received the decision. A
posting date alone is not that day. Förenklad delgivning (delgivningslagen 22–29 §§) is
the one way a sending fixes it: the person is deemed served when two weeks have passed
since the letter was sent, provided a control notice (kontrollmeddelande) was sent no
later than the first working day after the letter; a notice sent later means that
förenklad delgivning did not take place. Pure functions on dates – the service that
records delgivning is ``cases.services.serving``.
"""

from datetime import date, timedelta

from cases.workdays import add_working_days

# Delgivningslagen: deemed served when two weeks have passed since the sending.
SIMPLIFIED_DEEMED_AFTER = timedelta(weeks=2)


def control_notice_due(sent_on: date) -> date:
    """The last day for the control notice: the first working day after the letter was
    sent (a letter sent Tue 22 Dec 2026 → Wed 23 Dec; one sent Wed 23 Dec → Mon 28 Dec,
    after julafton, juldagen, annandag jul and the Sunday)."""
    return add_working_days(sent_on, 1)


def simplified_deemed_served_on(sent_on: date, control_notice_on: date | None) -> date | None:
    """The day förenklad delgivning deems the person served, or None when it did not
    happen (no control notice, one before the letter, or one after the first working day
    after the sending). The deemed day is not moved off a holiday: lag 1930:173 moves
    the last day of a period for an action, not the day a service takes effect."""
    if control_notice_on is None:
        return None
    if not sent_on <= control_notice_on <= control_notice_due(sent_on):
        return None
    return sent_on + SIMPLIFIED_DEEMED_AFTER
