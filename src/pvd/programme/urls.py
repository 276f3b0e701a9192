from django.urls import path

from pvd.programme import export_views, views, views_auth, views_registry

app_name = "programme"

urlpatterns = [
    path("", views.index, name="index"),
    path("connexion/", views_auth.LoginView.as_view(), name="login"),
    path("deconnexion/", views_auth.LogoutView.as_view(), name="logout"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/regions/<str:code>/", views.dashboard_region, name="region"),
    path("<slug:slug>/departements/<str:code>/", views.dashboard_departement, name="departement"),
    path("<slug:slug>/laureats/", views_registry.laureats, name="laureats"),
    path("<slug:slug>/laureats.<str:fmt>", export_views.export_laureats, name="export_laureats"),
    path(
        "<slug:slug>/territoires.<str:fmt>",
        export_views.export_territoires,
        name="export_territoires",
    ),
    path("<slug:slug>/communes/<str:code>/", views_registry.laureat, name="laureat"),
    path(
        "<slug:slug>/communes/<str:code>/modifier/",
        views_registry.laureat_edit,
        name="laureat_edit",
    ),
    path("<slug:slug>/groupes/<str:code>/", views_registry.groupe, name="groupe"),
    path("<slug:slug>/verifier/", views_registry.verifier, name="verifier"),
]
