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
            if status.startswith(("4", "5")) and not path.startswith("/webhooks/") and path != "/ready":
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


async def test_the_error_code_is_one_enum_listing_every_code_the_source_raises(spec):
    """Generated clients parse `code` as an enum: a code raised anywhere but missing from
    ErrorCode would break them (main.py would send the status's generic code instead)."""
    import re
    from pathlib import Path

    from personal_assistant.core.errors import ErrorCode

    body = spec["components"]["schemas"]["ErrorBody"]
    assert body["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode", "description": body[
        "properties"]["code"]["description"]} or "$ref" in body["properties"]["code"]
    assert set(spec["components"]["schemas"]["ErrorCode"]["enum"]) == {c.value for c in ErrorCode}
    src = Path(__file__).parents[2] / "src" / "personal_assistant"
    raised: set[str] = set()
    for file in src.rglob("*.py"):
        text = file.read_text()
        if "AppError" not in text and "errors import" not in text and "_error(" not in text:
            continue
        raised |= set(re.findall(r'\bcode\s*=\s*"([a-z_]+)"', text))
        raised |= set(re.findall(r'_error\(\s*\d{3},\s*"([a-z_]+)"', text))
    raised -= {"lease_expired"}  # an SMS status detail stored on a message, not an API error
    assert raised, "the scan found no codes"
    assert raised <= {c.value for c in ErrorCode}, raised - {c.value for c in ErrorCode}


async def test_operation_ids_are_short_unique_and_named_after_the_tag(spec):
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids))
    assert {"tasks_list", "tasks_create", "reminders_acknowledge", "api_tokens_list", "groceries_add_bulk"} <= set(ids)
    assert max(len(i) for i in ids) <= 32


async def test_enums_are_shared_components_and_filters_are_enums(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["TaskStatus"]["enum"] == ["todo", "doing", "done"]
    assert not [name for name in schemas if name.startswith("TaskCreateStatus") or "StatusType" in name]
    for model in ("TaskCreate", "TaskOut"):
        assert "TaskStatus" in str(schemas[model]["properties"]["status"]), model
    params = {p["name"]: p for p in spec["paths"]["/api/v1/tasks"]["get"]["parameters"]}
    assert "TaskStatusFilter" in str(params["status"]["schema"])
    assert "ReminderStatus" in str(schemas["ReminderOut"]["properties"]["status"])
    assert "Role" in str(schemas["MeOut"]["properties"]["role"])
    assert "Direction" in str(schemas["MessageOut"]["properties"]["direction"])
    assert "MemoryKind" in str(schemas["MemoryOut"]["properties"]["kind"])
    assert schemas["TaskSort"]["x-enum-varnames"][schemas["TaskSort"]["enum"].index("-due_at")] == "due_at_desc"
    # No two enum components with the same values.
    enums = [tuple(s["enum"]) for s in schemas.values() if "enum" in s]
    assert len(enums) == len(set(enums))


async def test_public_operations_say_so_and_the_document_names_its_server(spec):
    assert spec["servers"] and spec["servers"][0]["url"].startswith("http")
    login = spec["paths"]["/api/v1/auth/login"]["post"]
    assert login["security"] == []
    assert spec["paths"]["/health"]["get"]["security"] == []
    assert spec["paths"]["/api/v1/tasks"]["get"]["security"]


async def test_login_answers_one_of_two_shapes_and_ops_answers_have_schemas(spec):
    ok = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert {r["$ref"].rsplit("/", 1)[1] for r in ok["oneOf"]} == {"LoginTokensOut", "MfaChallengeOut"}
    assert spec["paths"]["/ready"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert spec["paths"]["/ready"]["get"]["responses"]["503"]["content"]["application/json"]["schema"]["$ref"]
    export = spec["paths"]["/api/v1/me/export"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert export.get("$ref")


async def test_every_request_body_has_an_example(spec):
    schemas = spec["components"]["schemas"]
    missing = []
    for path, method, operation in _operations(spec):
        for media, content in operation.get("requestBody", {}).get("content", {}).items():
            if "json" not in media:
                continue
            refs = [content["schema"].get("$ref")] + [s.get("$ref") for s in content["schema"].get("anyOf", [])]
            for ref in filter(None, refs):
                if "examples" not in schemas[ref.rsplit("/", 1)[1]]:
                    missing.append((method, path, ref))
    assert not missing, missing
