"""Finding 9: the OpenAPI document declares the errors each operation can return, all with the
one error body, and malformed JSON is a 400 in that body (not a 422)."""

from __future__ import annotations

import pytest

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture
async def spec(client) -> dict:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _ref(response: dict) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


async def test_the_error_schema_is_the_one_the_api_sends(spec):
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body = spec["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"code", "message", "fields"}
    assert set(body["required"]) == {"code", "message"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]


async def test_every_error_response_uses_the_error_schema(spec):
    seen = 0
    for path, method, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and not path.startswith("/webhooks/"):
                assert _ref(response) == ERROR_REF, (method, path, status)
                seen += 1
    assert seen > 200


async def test_authenticated_operations_declare_401_and_bodies_declare_400_and_422(spec):
    for path, method, operation in _operations(spec):
        statuses = set(operation["responses"])
        if operation.get("security") and not path.startswith("/webhooks/"):
            assert "401" in statuses, (method, path)
        if "requestBody" in operation and "json" in str(operation["requestBody"]["content"]):
            assert {"400", "422"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
    admin = spec["paths"]["/api/v1/admin/users"]["get"]["responses"]
    assert "403" in admin
    assert "429" in spec["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert "409" in spec["paths"]["/api/v1/auth/signup"]["post"]["responses"]


async def test_malformed_json_is_a_400_in_the_error_format(client, make_user):
    user = await make_user()
    response = await client.post(
        "/api/v1/tasks", content=b'{"title": "milk",', headers={**user.headers, "content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "malformed_json"
    # A well-formed body with a wrong field is still a 422 naming the field.
    wrong = await client.post("/api/v1/tasks", json={"title": 5}, headers=user.headers)
    assert wrong.status_code == 422 and "title" in wrong.json()["error"]["fields"]
