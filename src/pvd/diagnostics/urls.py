from django.urls import path

from pvd.diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("communes/<str:code>/portrait/", views.portrait, name="portrait"),
    path("communes/<str:code>/portrait.csv", views.portrait_csv, name="portrait_csv"),
    path("communes/<str:code>/portrait.pdf", views.portrait_pdf, name="portrait_pdf"),
    path("indicateurs/", views.indicators_catalogue, name="catalogue"),
]
