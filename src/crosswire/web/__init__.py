"""The web app of ``crosswire serve``: server-rendered pages and a JSON API over one store.

    from crosswire.web import create_app
    app = create_app("crosswire.db")   # a FastAPI app; run it with uvicorn

Modules: app (the app, security headers, limits), pages (HTML), api (JSON), data (what each page
reads from the store), markup (article text cut into marked pieces), uploads (background ingest).
"""

from crosswire.web.app import create_app

__all__ = ["create_app"]
