"""The outcomes' pages under /resultats/."""

from django.urls import path

from pvd.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.france, name="france"),
    path("resultats.pdf", views.france_pdf, name="france-pdf"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("<str:dimension>/<str:value>/", views.group, name="group"),
]
