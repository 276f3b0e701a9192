from django.urls import path

from pvd.web import health, legal, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", health.health, name="health"),
    path("recherche", views.search, name="search"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("departements/", views.departements, name="departements"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("accessibilite/", legal.accessibilite, name="accessibilite"),
    path("mentions-legales/", legal.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", legal.donnees_personnelles, name="donnees_personnelles"),
]
