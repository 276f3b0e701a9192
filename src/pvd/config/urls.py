from django.contrib import admin
from django.urls import include, path

from pvd.api.api import urls as api_urls
from pvd.web import api_docs

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_docs.api_docs, name="api-docs"),
    path("api/v1/", api_urls()),
    path("programme/", include("pvd.programme.urls")),
    path("selection/", include("pvd.selection.urls")),
    path("projets/", include("pvd.projects.urls")),
    path("reseau/", include("pvd.network.urls")),
    path("resultats/", include("pvd.outcomes.urls")),
    path("", include("pvd.diagnostics.urls")),
    path("", include("pvd.web.urls")),
]

# A refused request (BadRequest) says why in French (issue 18).
handler400 = "pvd.web.errors.bad_request"
