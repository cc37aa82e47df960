"""/docs: the API's reference, rendered here from the app's own OpenAPI document (no CDN, no scripts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


def type_of(schema: dict[str, Any]) -> str:
    """A schema's type in a few words: "string", "list of StoryRow", "integer or null"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    t = schema.get("type", "any")
    if t == "array":
        return "list of " + type_of(schema.get("items", {}))
    if t == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        return "map of " + (type_of(extra) if isinstance(extra, dict) else "any")
    return str(t)


def endpoints(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": type_of(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            responses = []
            for code, r in op.get("responses", {}).items():
                schema = r.get("content", {}).get("application/json", {}).get("schema", {})
                responses.append(
                    {"code": code, "description": r.get("description", ""), "type": type_of(schema) if schema else ""}
                )
            body = op.get("requestBody", {}).get("content", {})
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": ", ".join(body),
                    "responses": responses,
                    "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                }
            )
    return out


def models(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {
                "name": k,
                "type": type_of(v),
                "required": k in required,
                "description": v.get("description", ""),
            }
            for k, v in schema.get("properties", {}).items()
        ]
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    spec = request.app.openapi()
    html = request.app.state.env.get_template("docs.html").render(
        path="/docs", spec=spec, endpoints=endpoints(spec), models=models(spec)
    )
    return HTMLResponse(html)
