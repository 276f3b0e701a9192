"""The network's pages under /reseau/: each feature appends its own patterns."""

app_name = "network"
urlpatterns: list = []

from django.urls import path  # noqa: E402

from pvd.network import feeds, views_directory, views_practices  # noqa: E402

urlpatterns += [
    path("", views_directory.annuaire, name="annuaire"),
    path("profil/", views_directory.profil, name="profil"),
    path("pareil/<str:code>/", views_directory.pareil, name="pareil"),
    path("pratiques/", views_practices.pratiques, name="pratiques"),
    path("pratiques/flux.atom", feeds.PracticesFeed(), name="pratiques_flux"),
    path("pratiques/nouvelle/<int:action_pk>/", views_practices.pratique_new, name="pratique_new"),
    path("pratiques/<int:pk>/", views_practices.pratique, name="pratique"),
    path("pratiques/<int:pk>/modifier/", views_practices.pratique_edit, name="pratique_edit"),
    path("pratiques/<int:pk>/statut/", views_practices.pratique_statut, name="pratique_statut"),
    path("pratiques/<int:pk>/pieces/", views_practices.piece_add, name="piece_add"),
    path("pieces/<int:pk>/", views_practices.piece, name="piece"),
    path("pieces/<int:pk>/retirer/", views_practices.piece_remove, name="piece_remove"),
    path("export/<str:kind>.<str:fmt>", feeds.download, name="export"),
]

# --- The club's events (views_events) ---
from pvd.network import views_events  # noqa: E402

urlpatterns += [
    path("evenements/", views_events.event_list, name="events"),
    path("evenements/nouveau/", views_events.event_new, name="event_new"),
    path("evenements/agenda.ics", views_events.events_feed, name="events_feed"),
    path(
        "evenements/regions/<str:region>/agenda.ics",
        views_events.events_feed,
        name="events_feed_region",
    ),
    path("evenements/<int:pk>/", views_events.event_detail, name="event"),
    path("evenements/<int:pk>/modifier/", views_events.event_edit, name="event_edit"),
    path("evenements/<int:pk>/inscription/", views_events.event_register, name="event_register"),
    path(
        "evenements/<int:pk>/desinscription/",
        views_events.event_unregister,
        name="event_unregister",
    ),
    path("evenements/<int:pk>/statut/", views_events.event_status, name="event_status"),
    path("evenements/<int:pk>/agenda.ics", views_events.event_ics, name="event_ics"),
    path(
        "evenements/<int:pk>/retrait/",
        views_events.registrant_remove,
        name="event_registrant_remove",
    ),
    path(
        "evenements/<int:pk>/participants.csv",
        views_events.event_attendance,
        name="event_attendance",
    ),
]

# --- The weekly digest's signed opt-out link (views_digest) ---
from pvd.network import views_digest  # noqa: E402

urlpatterns += [
    path(
        "lettre/desabonnement/<str:token>/",
        views_digest.desabonnement,
        name="lettre_desabonnement",
    ),
]
