"""Errors of the JSON API: one body form, `{"detail": "…"}`, documented in OpenAPI for every operation.

400: a filter value that is not allowed (`?stage=done`); 404: an unknown record or initiative, and any
unknown address under /api/; 422: a parameter of the wrong type (`?page=abc`), with the machine-readable
list of problems in `errors` next to the readable `detail`.
"""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {"detail": {"type": "string", "description": "What went wrong, in the reader's language."}},
}
VALIDATION_SCHEMA = {
    "title": "ValidationError", "type": "object", "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "The first problem, readable: “page: Input should be …”."},
        "errors": {"type": "array", "items": {"type": "object", "required": ["loc", "msg", "type"], "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "msg": {"type": "string"}, "type": {"type": "string"}}}},
    },
}
DESCRIPTIONS = {"400": "A filter value that is not allowed", "404": "Unknown record, initiative or address",
                "422": "A parameter of the wrong type"}
FILTERED = {"list_commitments"}  # operations that read the commitment filter (400 on a value not allowed)
LOOKUP_PARAMETERS = {"initiative"}  # a query parameter naming a record that must exist (404 otherwise)


def validation_detail(errors: list[dict]) -> str:
    """Return the first validation problem as one readable line: "query.page: Input should be a valid integer"."""
    if not errors:
        return _("Invalid request")
    first = errors[0]
    place = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
    return f"{place}: {first.get('msg', '')}" if place else str(first.get("msg", ""))


def _responses(operation: dict, *, detail: bool) -> dict:
    """Return the error responses an operation can give (from its parameters and its name)."""
    params = operation.get("parameters", [])
    codes = []
    if any(operation.get("operationId", "").endswith("_" + name) for name in FILTERED):
        codes.append("400")
    if any(p["in"] == "path" for p in params) or (detail and any(p["name"] in LOOKUP_PARAMETERS for p in params)):
        codes.append("404")
    if params:
        codes.append("422")
    ref = {"400": "Error", "404": "Error", "422": "ValidationError"}
    return {code: {"description": DESCRIPTIONS[code],
                   "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref[code]}"}}}}
            for code in codes}


def document_errors(schema: dict) -> dict:
    """Add the error responses and their body schemas to every operation of an OpenAPI description."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    components["ValidationError"] = VALIDATION_SCHEMA
    for path, methods in schema.get("paths", {}).items():
        for operation in methods.values():
            if isinstance(operation, dict) and "responses" in operation:
                detail = "{" in path
                for code, response in _responses(operation, detail=detail).items():
                    operation["responses"].setdefault(code, response)
    return schema


def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Answer an unknown address under /api/ with JSON, as the API's own 404s."""
    return JsonResponse({"detail": _("Unknown address: %(path)s") % {"path": request.path}}, status=404,
                        json_dumps_params={"ensure_ascii": False})
