"""/docs works offline (Swagger UI from the app's own files); an unknown address gets the site's
own 404 page in a browser and the JSON error everywhere else."""

from __future__ import annotations

import re

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_docs_page_loads_only_its_own_files(client):
    page = await client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "<script>" not in page.text  # no inline script: the CSP allows only same-origin scripts
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for url in urls:
        asset = await client.get(url)
        assert asset.status_code == 200, url
    bundle = await client.get("/static/api-docs/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text[:5000] or len(bundle.content) > 500_000
    assert (await client.get("/openapi.json")).json()["openapi"].startswith("3.")
    assert (await client.get("/redoc")).status_code == 404  # it loaded from a CDN; gone


async def test_a_browser_gets_the_sites_own_not_found_page(browser, make_user):
    signed_out = await browser.get("/no/such/page", headers=BROWSER)
    assert signed_out.status_code == 404 and signed_out.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in signed_out.text and 'href="/login"' in signed_out.text
    assert "content-security-policy" in signed_out.headers

    user = await make_user()
    await browser.sign_in(user)
    signed_in = await browser.get("/no/such/page", headers=BROWSER)
    assert signed_in.status_code == 404 and "Log out" in signed_in.text and 'href="/tasks"' in signed_in.text
    missing_static = await browser.get("/static/nothing.css", headers=BROWSER)
    assert missing_static.status_code == 404 and "Page not found" in missing_static.text


async def test_api_clients_keep_the_json_error(client):
    for path, headers in [
        ("/no/such/page", {"accept": "application/json"}),
        ("/no/such/page", {"accept": "*/*"}),
        ("/api/v1/no-such-thing", BROWSER),
        ("/webhooks/nothing", BROWSER),
    ]:
        response = await client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.json() == {"error": {"code": "not_found", "message": "Not Found"}}, path
