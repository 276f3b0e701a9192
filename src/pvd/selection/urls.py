from django.urls import path

from pvd.selection import views

app_name = "selection"

urlpatterns = [
    path("", views.editor, name="editor"),
    path("methodologie/", views.methodology, name="methodology"),
    path("resultats/", views.results, name="results"),
    path("resultats.csv", views.results_csv, name="results_csv"),
    path("appris/", views.learned_results, name="learned"),
    path("comparer/", views.compare, name="compare"),
    path("scenarios/enregistrer/", views.save, name="save"),
    path("scenarios/<slug:slug>/", views.scenario, name="scenario"),
]
