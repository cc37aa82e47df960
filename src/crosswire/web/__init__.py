"""The web app of ``crosswire serve``: server-rendered pages and a JSON API over one store.

    from crosswire.web import create_app
    app = create_app("crosswire.db")   # a FastAPI app; run it with uvicorn

Modules: app (the app, security headers, limits), pages (HTML), api (JSON) with its response models
in schemas, params (the query parameters both check, 422 on a bad one), docs (/docs from the OpenAPI
document), uploads (background ingest). What each page shows comes from crosswire.views.
"""

from crosswire.web.app import create_app

__all__ = ["create_app"]
