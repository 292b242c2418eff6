"""/docs: Swagger UI served by the app itself, from the `swagger-ui-bundle-v2` package, so the API
reference works offline and on networks that block CDNs. The page loads only same-origin files
(its starter script lives in the dashboard's static folder: no inline script)."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

# Under /static/ so the cookie-session middleware skips these files, as it does all static files.
ASSETS = "/static/api-docs"
# Swagger UI sets inline style attributes (React), hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI, title: str) -> None:
    """Serve Swagger UI's files and the /docs page (mount this before the dashboard's /static)."""
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets")
    page = PAGE.format(title=escape(title), assets=ASSETS, openapi_url=escape(app.openapi_url or "/openapi.json"))

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"content-security-policy": CONTENT_SECURITY_POLICY})
