"""Admin: read-only views of the projects (writes go through the pages and the API, whose
services check rights and record every change; the admin would bypass both). Team membership
(``Membre``) can be set here (the first manager of a group); its managers then manage the team
in the pages (``/projets/<programme>/<groupe>/equipe/``)."""

from __future__ import annotations

from django.contrib import admin

from pvd.projects.models import Action, Membre, Organisation, Projet, RappelEnvoye


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Projet)
class ProjetAdmin(ReadOnly):
    list_display = ("nom", "groupe", "updated_at")
    search_fields = ("nom", "groupe__code")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        # The actions and their lines are read-only here but go with their project (recorded
        # with it by ``project_delete``): a superuser needs no delete right on each of them.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj) -> None:
        # Recorded with its whole content (restorable from the history).
        from pvd.projects import services  # here: every command's Django start imports admin

        services.project_delete(projet=obj, user=request.user, origine="admin")

    def delete_queryset(self, request, queryset) -> None:
        for projet in queryset:
            self.delete_model(request, projet)


@admin.register(Action)
class ActionAdmin(ReadOnly):
    list_display = ("titre", "projet", "axe", "statut", "date_fin_prevue", "supprime_le")
    list_filter = ("axe", "statut", "phase")
    search_fields = ("titre", "projet__groupe__code")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("nom", "siret")
    search_fields = ("nom",)


@admin.register(Membre)
class MembreAdmin(admin.ModelAdmin):
    list_display = ("user", "groupe", "role", "fonction")
    list_filter = ("role",)
    search_fields = ("user__username", "groupe__code")
    autocomplete_fields = ()
    raw_id_fields = ("groupe", "user")

    def delete_model(self, request, obj) -> None:
        # Recorded with the membership removed (restorable from the history).
        from pvd.projects import services

        services.member_remove(membre=obj, user=request.user, origine="admin")

    def delete_queryset(self, request, queryset) -> None:
        for membre in queryset.select_related("groupe", "user"):
            self.delete_model(request, membre)


@admin.register(RappelEnvoye)
class RappelEnvoyeAdmin(ReadOnly):
    """Reminder e-mails sent by ``pvd projets rappels`` (read-only: the command's memory)."""

    list_display = ("envoye_le", "cle", "projet", "destinataires")
    search_fields = ("cle", "destinataires")
