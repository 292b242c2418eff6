"""User B's token against user A's resource ids, on every /api/v1 route: always 404."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from fastapi.routing import iter_route_contexts

import tests.fixtures as fixtures_pkg
from tests.fixtures.isolation import CASES, EXEMPT

for _mod in pkgutil.iter_modules(fixtures_pkg.__path__):
    if _mod.name.startswith("isolation_"):
        importlib.import_module(f"tests.fixtures.{_mod.name}")

PARAM = re.compile(r"{[^}]+}")


def _api_routes(app):
    """(path, methods) of every parameterised /api/v1 route. FastAPI 0.165 nests included routers
    (app.routes holds _IncludedRouter entries), so walk the effective route contexts."""
    by_path: dict[str, set[str]] = {}
    for route in iter_route_contexts(app.routes):
        path = getattr(route, "path", None) or ""
        if path.startswith("/api/v1/") and "{" in path and path not in EXEMPT:
            methods = getattr(route, "methods", None) or set()
            by_path.setdefault(path, set()).update(m for m in methods if m not in ("HEAD", "OPTIONS"))
    for path, methods in by_path.items():
        yield path, sorted(methods)


async def test_harness_sees_routes_of_included_routers(app):
    paths = {path for path, _ in _api_routes(app)}
    assert "/api/v1/api-tokens/{token_id}" in paths
    assert not any(p.startswith("/api/v1/admin/") for p in paths)  # exempt: admins only, 403 tested apart


async def test_every_parameterised_route_has_an_isolation_case(app):
    missing = [path for path, _ in _api_routes(app) if path not in CASES]
    assert missing == [], f"add isolation cases for: {missing}"


async def test_second_user_gets_not_found_everywhere(app, client, make_user):
    owner = await make_user()
    intruder = await make_user()
    checked = 0
    # One resource per factory: a factory registered for several paths (GET /x/{id}, POST
    # /x/{id}/done, ...) is called once, so one-at-a-time resources (a running focus session) work.
    created: dict[object, str] = {}
    for path, methods in _api_routes(app):
        factory = CASES.get(path)
        if factory is None:
            continue
        if factory not in created:
            created[factory] = await factory(owner, client)
        resource_id = created[factory]
        url = PARAM.sub(str(resource_id), path)
        for method in methods:
            response = await client.request(method, url, headers=intruder.headers, json={})
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
            assert response.json()["error"]["code"] == "not_found"
            checked += 1
        # and the owner still sees it (the case really created something)
        if "GET" in methods:
            response = await client.get(url, headers=owner.headers)
            assert response.status_code == 200, f"owner GET {path} gave {response.status_code}"
    if not CASES:
        pytest.skip("no parameterised /api/v1 routes yet")
    assert checked > 0
