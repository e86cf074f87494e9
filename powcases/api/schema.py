"""OpenAPI post-processing: every error an endpoint can give, and the headers of the concurrency contract.

drf-spectacular documents the success responses; this hook adds, per operation, the errors the shared
machinery produces (400, 401, 403, 404, 409, 412, 422, 429) and the `Idempotency-Key`, `If-Match` and
`ETag` headers, so the schema never contradicts what the API answers.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        '`detail` for errors not tied to a field; otherwise `{"<field>": ["<message>"]}` naming the field '
        "and what was expected."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

ERRORS = {
    "400": "Invalid input: the body names each field and what was expected.",
    "401": "No valid credentials: send `Authorization: Token <key>`.",
    "403": "Your role does not allow this.",
    "404": "No such record (or page).",
    "409": "Conflict: a forbidden state transition (naming the allowed targets), a duplicate, or a concurrent "
    "request with the same Idempotency-Key.",
    "412": "If-Match names a version that is no longer current: fetch the record and retry with its ETag.",
    "422": "This Idempotency-Key was already used with another request body.",
    "429": "Too many requests for this token: retry after the number of seconds in Retry-After.",
}

IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Repeat a POST safely: the same key and body return the first response without creating "
    "anything again; the same key with another body is 422; a concurrent duplicate is 409.",
    "schema": {"type": "string", "maxLength": 255},
}
IF_MATCH_HEADER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you read; the change is refused with 412 if the record changed since.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "Version of the record, for If-Match."}}


def _codes_for(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    public = not operation.get("security") and path.endswith(("/schema/", "/docs/"))
    codes = ["429"] if public else ["400", "401", "403", "404", "429"]
    if method in {"post", "put", "patch"} and not public:
        codes += ["409", "412"]
    if method == "post" and not public:
        codes.append("422")
    return codes


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook (SPECTACULAR_SETTINGS['POSTPROCESSING_HOOKS'])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes_for(method, path, operation):
                responses.setdefault(
                    code, {"description": ERRORS[code], "content": {"application/json": {"schema": ref}}}
                )
            parameters = operation.setdefault("parameters", [])
            if method == "post":
                parameters.append(IDEMPOTENCY_HEADER)
            if method in {"put", "patch"} or path.endswith("/transition/"):
                parameters.append(IF_MATCH_HEADER)
            if ("{" in path and method in {"get", "put", "patch"}) or path.endswith("/transition/"):
                for code in ("200", "201"):
                    if code in responses:
                        responses[code].setdefault("headers", {}).update(ETAG_HEADER)
    return result
