"""Versioned REST API (v1), OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from pvd.api.diagnostics import router as diagnostics_router
from pvd.api.errors import PvdAPI, install
from pvd.api.fast_search import with_fast_search
from pvd.api.network import router as network_router
from pvd.api.network_events import router as network_events_router
from pvd.api.outcomes import router as outcomes_router
from pvd.api.programme import router as programme_router
from pvd.api.projects import router as projects_router
from pvd.api.selection import router as selection_router
from pvd.api.territories import router as territories_router

api = PvdAPI(
    title="PVD API",
    version="1",
    urls_namespace="api-v1",
    # The accessible documentation is /api/v1/docs (pvd.web.api_docs); Swagger UI stays as a
    # developers' console.
    docs_url="/console",
    description="API de la plateforme Petites villes de demain : référentiel territorial.",
)
api.add_router("/", territories_router)
api.add_router("/", programme_router)
api.add_router("/", diagnostics_router)
api.add_router("/", selection_router)
api.add_router("/", projects_router)
api.add_router("/", outcomes_router)
api.add_router("/", network_router)

api.add_router("/", network_events_router)
install(api)  # JSON errors, documented in the OpenAPI schema (pvd.api.errors)


def urls() -> tuple:
    """The API's URL patterns (ninja's), the commune search's plain queries answered without
    ninja's parameter validation (:mod:`pvd.api.fast_search`)."""
    return with_fast_search(api.urls, api, territories_router)
