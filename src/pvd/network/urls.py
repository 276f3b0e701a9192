"""The network's pages under /reseau/: each feature appends its own patterns."""

app_name = "network"
urlpatterns: list = []

# --- The club's events (views_events) ---
from django.urls import path  # noqa: E402

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
        "evenements/<int:pk>/participants.csv",
        views_events.event_attendance,
        name="event_attendance",
    ),
]
