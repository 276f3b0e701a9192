"""The network's permissions in the one table (:mod:`pvd.access`): the predicates of
:mod:`pvd.network.permissions` (directory, peers, practices) and
:mod:`pvd.network.permissions_events` (the club's events) registered under ``network.*`` names,
so that ``access.has``/``require``, the ``{% allowed %}`` tag and the table's documentation know
them. The pages, the API and the services check these names; the predicate functions are only
the rules' bodies (one place each).
"""

from __future__ import annotations

from pvd import access
from pvd.network import permissions as practices
from pvd.network import permissions_events as events

REFUSAL = "Vous n'avez pas les droits pour cette action du réseau."

# name -> (function, how it is called: "user" ignores the object, "object" passes it,
# "keywords" passes a mapping of the function's keyword arguments)
RULES = {
    "network.is_programme_member": (practices.is_programme_member, "user"),
    "network.edit_profile": (practices.can_edit_profile, "object"),
    "network.see_peers": (practices.can_see_peers, "user"),
    "network.publish_practice": (practices.can_publish_practice, "object"),
    "network.edit_practice": (practices.can_edit_practice, "object"),
    "network.submit_practice": (practices.can_submit_practice, "object"),
    "network.review_practice": (practices.can_review_practice, "object"),
    "network.delete_practice": (practices.can_delete_practice, "object"),
    "network.restore_practice": (practices.can_restore_practice, "object"),
    "network.view_practice": (practices.can_view_practice, "object"),
    "network.create_event": (events.can_create_event, "keywords"),
    "network.organise_events": (events.can_organise, "user"),
    "network.manage_event": (events.can_manage_event, "object"),
    "network.edit_event": (events.can_edit_event, "object"),
    "network.remove_registrant": (events.can_remove_registrant, "object"),
    "network.see_event": (events.can_see_event, "object"),
    "network.see_attendance": (events.can_see_attendance, "object"),
    "network.is_network_member": (events.is_network_member, "user"),
    "network.in_audience": (events.in_audience, "object"),
    "network.register_event": (events.can_register, "object"),
    "network.unregister_event": (events.can_unregister, "object"),
}


def _predicate(fn, call: str) -> access.Predicate:
    if call == "user":
        return access.Predicate(lambda user, obj: fn(user), fn.__name__)
    if call == "keywords":
        return access.Predicate(lambda user, obj: fn(user, **(obj or {})), fn.__name__)
    return access.Predicate(lambda user, obj: fn(user, obj), fn.__name__)


def register() -> None:
    for name, (fn, call) in RULES.items():
        reason = None
        if name == "network.register_event":
            # The registration's own refusal (deadline, cancelled, audience...) says why.
            reason = events.registration_refusal
        access.register(name, _predicate(fn, call), message=REFUSAL, reason=reason)
