"""Administration of the registry (staff). Every laureate change made here goes through the
same scope check and lands in the change history, like a web edit."""

from __future__ import annotations

from django.contrib import admin

from pvd.caching import bump_data_version
from pvd.programme.models import (
    Changement,
    Groupe,
    Laureat,
    ListeImportee,
    Ort,
    Perimetre,
    Programme,
)


class ShownOnPagesAdmin(admin.ModelAdmin):
    """Rows the public pages show (dashboards, portraits, commune pages): a change made here
    replaces the data version, so no page cached before it is served again."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        bump_data_version()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        bump_data_version()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        bump_data_version()


@admin.register(Programme)
class ProgrammeAdmin(ShownOnPagesAdmin):
    list_display = ("slug", "nom", "date_lancement", "avec_groupes", "dataset")
    readonly_fields = ("dataset",)


@admin.register(Groupe)
class GroupeAdmin(ShownOnPagesAdmin):
    list_display = ("code", "programme", "departement", "epci")
    list_filter = ("programme", "region")
    search_fields = ("code", "nom")
    raw_id_fields = ("epci",)


@admin.register(Laureat)
class LaureatAdmin(ShownOnPagesAdmin):
    list_display = (
        "commune",
        "programme",
        "statut",
        "date_convention_adhesion",
        "date_chef_projet",
        "date_convention_cadre",
    )
    list_filter = ("programme", "statut", "commune__region")
    search_fields = ("commune__nom", "commune__code", "groupe__code")
    raw_id_fields = ("commune", "groupe")
    readonly_fields = ("programme", "commune", "groupe", "code_source", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False  # laureates come from the official lists (imports)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        from pvd import access

        return access.has(request.user, "programme.edit_laureate", obj)

    def save_model(self, request, obj, form, change) -> None:
        from pvd.programme import services

        values = {k: form.cleaned_data[k] for k in form.changed_data if k in services.EDITABLE}
        current = Laureat.objects.get(pk=obj.pk)
        services.laureate_update(laureat=current, user=request.user, values=values, origine="admin")


@admin.register(Ort)
class OrtAdmin(ShownOnPagesAdmin):
    list_display = ("commune", "signature", "date_signature", "avancement", "pvd", "acv")
    list_filter = ("signature", "pvd", "acv")
    search_fields = ("commune__nom", "commune__code")
    raw_id_fields = ("commune",)


@admin.register(Changement)
class ChangementAdmin(admin.ModelAdmin):
    list_display = ("at", "qui", "origine", "action", "groupe", "libelle")
    list_filter = ("origine", "action", "objet")
    list_select_related = ("user", "groupe")
    search_fields = (
        "libelle",
        "commune_code",
        "auteur",
        "groupe__code",
        "groupe__nom",
        "groupe__libelle_communes",
    )
    raw_id_fields = ("groupe",)
    date_hierarchy = "at"
    actions = ["restaurer"]

    @admin.action(description="Restaurer le contenu supprimé")
    def restaurer(self, request, queryset) -> None:
        from django.contrib import messages

        from pvd.programme.audit import Actor, RestoreError, deletion_restore

        for changement in queryset.order_by("at", "id"):
            try:
                n = deletion_restore(changement=changement, actor=Actor("admin", request.user))
            except RestoreError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"{changement.libelle} : {n} ligne(s) restaurée(s).")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the history is never rewritten

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Perimetre)
class PerimetreAdmin(admin.ModelAdmin):
    list_display = ("group", "niveau", "region", "departement")
    list_filter = ("niveau",)


@admin.register(ListeImportee)
class ListeImporteeAdmin(ShownOnPagesAdmin):
    """Imported lists and their coverage: written by the imports only (read-only here)."""

    list_display = ("fichier", "nature", "programme", "mode", "national", "regions", "at")
    list_filter = ("nature", "programme", "mode")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
