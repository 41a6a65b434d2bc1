"""Idempotent creates: a form that a double click (or a browser resending) can post
twice carries a key made when the form was rendered; the row it creates stores the key
under a unique constraint, so the same post made again – one after the other or twenty
at once – returns the row the first one made instead of a second one.

The key is a random UUID in a hidden field. Its scope is the row's owner (the case and
author of a journal note, the staff member who registered a first contact, …), so a key
cannot reach another user's row. A form posted without a key (an old page, a script)
still works and is simply not deduplicated.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


class IdempotencyKeyField(forms.UUIDField):
    """Hidden; a fresh key every time an unbound form is rendered, the posted one kept
    when a form with errors is shown again (nothing was saved, so it is still unused)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def idempotency_key_model_field() -> models.UUIDField:
    return models.UUIDField(null=True, blank=True, editable=False)


def made_with(existing: "models.QuerySet[M]", key: uuid.UUID | None) -> M | None:
    """The row the same post already made, if any: a service returns it before checking
    anything that the first post changed (a step already turned into a referral, a
    booked meeting already held)."""
    return existing.filter(idempotency_key=key).first() if key is not None else None


def create_once(
    existing: "models.QuerySet[M]", key: uuid.UUID | None, create: Callable[[], M]
) -> tuple[M, bool]:
    """Run ``create`` unless a row with ``key`` exists in ``existing`` (the owner's rows);
    returns (row, created). Call inside the service's transaction.

    Two posts at once: both miss the row, both insert; the unique constraint makes the
    second wait for the first's commit and then fail, its savepoint is rolled back and
    the row the first one committed is returned (READ COMMITTED sees it)."""
    if key is None:
        return create(), True
    row = existing.filter(idempotency_key=key).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        row = existing.filter(idempotency_key=key).first()
        if row is None:
            raise
        return row, False
