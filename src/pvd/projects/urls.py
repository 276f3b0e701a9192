from django.urls import path

from pvd.projects import (
    views,
    views_import,
    views_lines,
    views_list,
    views_steering,
    views_synthese,
    views_team,
)

app_name = "projects"

G = "<slug:slug>/<str:code>/"

urlpatterns = [
    path("", views_list.index, name="index"),
    path("synthese/", views_synthese.synthese, name="synthese"),
    path("synthese/regions/<str:code>/", views_synthese.synthese_region, name="synthese_region"),
    path(
        "synthese/departements/<str:code>/",
        views_synthese.synthese_departement,
        name="synthese_departement",
    ),
    path("activer/<uidb64>/<token>/", views_team.ActivateView.as_view(), name="activer"),
    path(G, views.projet, name="projet"),
    path(G + "equipe/", views_team.equipe, name="equipe"),
    path(G + "equipe/inviter/", views_team.equipe_inviter, name="equipe_inviter"),
    path(G + "equipe/<int:pk>/", views_team.equipe_membre, name="equipe_membre"),
    path(G + "creer/", views.projet_create, name="projet_create"),
    path(G + "modifier/", views.projet_edit, name="projet_edit"),
    path(G + "vues/", views.vue_save, name="vue_save"),
    path(G + "commentaires/", views.comment, name="comment"),
    path(G + "calendrier/", views_steering.timeline, name="timeline"),
    path(G + "budget/", views_steering.budget, name="budget"),
    path(G + "indicateurs/", views_steering.indicateurs, name="indicateurs"),
    path(G + "rapport.pdf", views_steering.rapport, name="rapport"),
    path(G + "rapport.xlsx", views_steering.rapport_xlsx, name="rapport_xlsx"),
    path(G + "export-schema.zip", views_steering.export_schema, name="export_schema"),
    path(G + "<str:kind>.<str:fmt>", views_steering.export, name="export"),
    path(G + "actions/nouvelle/", views.action_edit, name="action_new"),
    path(G + "actions/importer/", views_import.import_actions, name="import_actions"),
    path(
        G + "actions/modele-plan-actions.<str:fmt>",
        views_import.import_template,
        name="import_template",
    ),
    path(G + "actions/<int:pk>/", views.action, name="action"),
    path(G + "actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path(G + "actions/<int:pk>/supprimer/", views.action_delete, name="action_delete"),
    path(G + "actions/<int:pk>/mesures/", views.measure, name="measure"),
    path(G + "actions/<int:pk>/<str:kind>/", views.action_line, name="action_line"),
    path(
        G + "actions/<int:pk>/<str:kind>/<int:line>/",
        views_lines.line_update,
        name="line_update",
    ),
]
