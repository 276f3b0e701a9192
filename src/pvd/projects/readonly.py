"""When a projet de territoire is read-only: its group's laureates have all left the programme.

An import (or an editor) that ends the last active laureate of a group never deletes its project
(``Projet.groupe`` PROTECT, :func:`pvd.programme.groups.delete_empty`): the project stays, with
its actions, budgets, funding and history, readable and exportable, but it is no longer edited
(web, API, services) until a laureate of the group is active again. The reason, with the date
the last laureate left (``Laureat.date_sortie``), is what the 403 and the page banner say.
"""

from __future__ import annotations

from pvd.programme.models import Groupe, Laureat


def read_only_reason(groupe: Groupe) -> str:
    """Why the group's project is read-only ("" when it is editable). A group without any
    laureate (being set up) stays editable: only a departure makes a project read-only."""
    rows = list(Laureat.objects.filter(groupe=groupe).values_list("statut", "date_sortie"))
    if not rows or any(statut == Laureat.Statut.ACTIF for statut, _ in rows):
        return ""
    dates = [d for _, d in rows if d is not None]
    since = f"le {max(dates):%d/%m/%Y}" if dates else "une date inconnue"
    who = (
        "la commune n'est plus lauréate"
        if len(rows) == 1
        else "les communes du groupe ne sont plus lauréates"
    )
    return f"ce projet est en lecture seule : {who} depuis {since}"
