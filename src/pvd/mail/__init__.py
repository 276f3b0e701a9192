"""Send e-mails once per key (reminders, digests): the one loop every "never twice" mail uses.

A caller builds its messages (anything with ``key``, ``to``, ``subject``, ``body``; optionally
``html`` and ``headers``) and names its *ledger*: the model whose unique key field records what was
sent, and the other fields of a record. :func:`send_once` then

- skips the keys already recorded (counted in ``already_sent``);
- in a dry run, lists what would go and records nothing;
- otherwise records each message and sends it in one transaction (an INSERT, then the send): a
  failed send raises and rolls its record back (the message goes on the next run); a key
  recorded meanwhile by another run fails the INSERT on the unique key before anything is sent:
  counted as already sent, never sent twice.

Below the apps (``.importlinter``): it imports no app, only Django's mail and database layers.
E-mails go through Django's mail framework (console by default, SMTP with ``PVD_EMAIL_HOST``),
one connection for the whole run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, models, transaction


class Mail(Protocol):
    key: str
    to: str | Sequence[str]
    subject: str
    body: str


M = TypeVar("M", bound=Mail)


@dataclass(frozen=True)
class Ledger(Generic[M]):
    """Where the sent messages are recorded: ``model`` with a unique ``key_field``; ``fields``
    gives the other columns of a message's record (recipient, sending time, links)."""

    model: type[models.Model]
    fields: Callable[[M], dict[str, Any]]
    key_field: str = "cle"

    def recorded(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):  # bounded IN lists (SQLite's variables limit)
            chunk = keys[i : i + 500]
            found.update(
                self.model.objects.filter(**{f"{self.key_field}__in": chunk}).values_list(
                    self.key_field, flat=True
                )
            )
        return found

    def create(self, message: M) -> None:
        """Record ``message`` (IntegrityError when its key is recorded already)."""
        self.model.objects.create(**{self.key_field: message.key}, **self.fields(message))


@dataclass
class Outcome(Generic[M]):
    sent: list[M] = field(default_factory=list)  # or, in a dry run, what would be sent
    already_sent: int = 0


def recipients(to: str | Sequence[str]) -> list[str]:
    return [to] if isinstance(to, str) else list(to)


def email_of(message: Mail, connection=None) -> EmailMultiAlternatives:
    """The e-mail of ``message``: plain text, with its HTML alternative and headers if any."""
    mail = EmailMultiAlternatives(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        recipients(message.to),
        headers=dict(getattr(message, "headers", None) or {}),
        connection=connection,
    )
    html = getattr(message, "html", "")
    if html:
        mail.attach_alternative(html, "text/html")
    return mail


def send_once(messages: Iterable[M], ledger: Ledger[M], *, dry_run: bool = False) -> Outcome[M]:
    """Send each message whose key ``ledger`` has not recorded, recording it in the same
    transaction; a dry run lists them and records nothing."""
    messages = list(messages)
    outcome: Outcome[M] = Outcome()
    done = ledger.recorded([m.key for m in messages])
    pending = []
    for m in messages:
        if m.key in done:
            outcome.already_sent += 1
        else:
            pending.append(m)
    if dry_run:
        outcome.sent.extend(pending)
        return outcome
    if not pending:
        return outcome
    with get_connection() as connection:  # one SMTP session for the run
        for m in pending:
            try:
                with transaction.atomic():
                    ledger.create(m)
                    # An exception rolls the record back: the message goes on the next run.
                    email_of(m, connection).send()
            except IntegrityError:
                if not ledger.recorded([m.key]):  # another constraint: a real error
                    raise
                outcome.already_sent += 1  # sent meanwhile by another run
                continue
            outcome.sent.append(m)
    return outcome
