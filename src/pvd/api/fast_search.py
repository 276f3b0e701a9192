"""The commune search answers a plain valid query without django-ninja's per-request work.

`GET /api/v1/communes/search?q=...&limit=...` is the API's hot path (issue 17: within 2x of a bare
FTS query). For it, ninja validates ``q`` and ``limit`` with a pydantic model and makes a
temporal response before calling the view: about a third of what the request costs above
Django's floor. When both parameters are already in their plain valid form (``q`` within its
length bounds, ``limit`` absent or written as digits within its bounds), this view calls the
operation's function directly; every other request (another method, a missing, empty, too long
or malformed parameter, ``limit=010``, ``limit= 5``...) goes to ninja's own view, so its answers
(422 with the same French messages, 405, 500) and the OpenAPI schema stay ninja's.

The bounds and the default are read from the operation's own parameter model (the ``Query``
declarations of :func:`pvd.api.territories.communes_search`), not written twice; the fast path
is left out when the operation has authentication, throttles or other parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern

ROUTE = "communes/search"
_DIGITS = re.compile(r"[1-9][0-9]{0,3}")  # a plain positive integer: "7", "50" (not "07", "+7", " 7")


def _bounds(field) -> dict:
    out = {}
    for item in field.metadata:
        for name in ("min_length", "max_length", "ge", "le"):
            if getattr(item, name, None) is not None:
                out[name] = getattr(item, name)
    return out


def plain_reader(operation) -> Callable | None:
    """``request.GET -> {"q": ..., "limit": ...}`` when both are in their plain valid form, else
    None; None (no fast path) when the operation is not the plain search this module knows."""
    if operation.auth_callbacks or operation.throttle_objects or operation.signature.response_arg:
        return None
    if "run" in vars(operation) or getattr(operation, "api", None) is None:
        return None  # a decorated run (its decorators would be skipped), or an unbound operation
    if len(operation.models) != 1 or operation.methods != ["GET"]:
        return None
    config = operation.models[0].model_config  # a setting that changes strings: ninja's only
    transforms = ("str_strip_whitespace", "str_to_lower", "str_to_upper", "str_min_length")
    if any(config.get(name) for name in (*transforms, "str_max_length", "strict")):
        return None
    fields = operation.models[0].model_fields
    if set(fields) != {"q", "limit"} or fields["q"].annotation is not str:
        return None
    if fields["limit"].annotation is not int or any(f.alias for f in fields.values()):
        return None
    q, limit = _bounds(fields["q"]), _bounds(fields["limit"])
    if set(q) != {"min_length", "max_length"} or set(limit) != {"ge", "le"}:
        return None
    q_min, q_max, low, high = q["min_length"], q["max_length"], limit["ge"], limit["le"]
    default = fields["limit"].default
    if not isinstance(default, int) or not fields["q"].is_required():
        return None

    def read(get) -> dict | None:
        text = get.get("q")
        if text is None or not q_min <= len(text) <= q_max:
            return None
        raw = get.get("limit")
        if raw is None:
            return {"q": text, "limit": default}
        if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
            return None
        return {"q": text, "limit": int(raw)}

    return read


def fast_view(operation, ninja_view: Callable, read: Callable) -> Callable:
    """The view of the search's URL: the operation's function for a plain valid GET, ninja's
    view for everything else; an exception goes to the API's handlers as in ninja."""
    api = operation.api
    function = operation.view_func

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        values = read(request.GET) if request.method == "GET" else None
        if values is None:
            return ninja_view(request, *args, **kwargs)
        try:
            return function(request, **values)
        except Exception as exc:  # noqa: BLE001 (what ninja's Operation.run does)
            return api.on_exception(request, exc)

    view.csrf_exempt = True  # as ninja's views
    view.ninja_view = ninja_view
    return view


def with_fast_search(urls: tuple, api, router) -> tuple:
    """ninja's ``api.urls`` with the search's URL answered by :func:`fast_view` (same route,
    name and namespace). The operation is the one ninja serves: ``router``'s, bound to ``api``
    (its own settings, its API's handlers); unchanged when it cannot be found."""
    patterns, app_name, namespace = urls
    bound = [b for b in getattr(api, "_get_bound_routers", list)() if b.template is router]
    path_view = bound[0].path_operations.get("/communes/search") if len(bound) == 1 else None
    operations = path_view.operations if path_view is not None else []
    read = plain_reader(operations[0]) if len(operations) == 1 else None
    if read is None:
        return urls
    out = []
    for p in patterns:
        if isinstance(p, URLPattern) and str(p.pattern) == ROUTE:
            callback = fast_view(operations[0], p.callback, read)
            p = URLPattern(p.pattern, callback, p.default_args, p.name)
        out.append(p)
    return out, app_name, namespace
