"""Test e-mail backends."""

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class WorkerKilledAfterSend(Exception):
    pass


class CrashAfterSendBackend(EmailBackend):
    """The SMTP server accepted the message, then the worker died before it could record
    that: the message is in the outbox, the task fails."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        raise WorkerKilledAfterSend(f"killed after sending {sent} message(s)")


def outbox():
    return getattr(mail, "outbox", [])
