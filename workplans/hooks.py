"""What the workplans app does when the core's services report an event
(cases.extensions.register_hook; called inside the service's transaction)."""

from workplans import deadlines


def on_case_opened(*, case, actor, **kwargs) -> None:
    deadlines.plan_deadline_start(case)


def on_first_visit_recorded(*, case, actor, **kwargs) -> None:
    """The first visit starts the plan clock (DOMAIN.md §2.2): count it again from then."""
    deadlines.plan_deadline_start(case)


def on_case_reassigned(*, case, actor, caseworker=None, **kwargs) -> None:
    # The plan deadline's subject is the case, so the core has moved it already.
    deadlines.follow_up_deadlines_reassign(case, caseworker or case.caseworker)


def on_case_closed(*, case, actor, **kwargs) -> None:
    from cases.deadlines import cancel_deadlines

    for kind in deadlines.PLAN_KINDS:
        cancel_deadlines(case, kind=kind)
    deadlines.follow_up_deadlines_cancel_for_case(case)


def on_demo_loaded(**kwargs) -> None:
    from workplans.demo import load_workplans_demo

    load_workplans_demo()
