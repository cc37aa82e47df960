"""Who may talk to the web app: its own Host names, its own origin for writes, the token off loopback.

``Guard`` is plain ASGI middleware that runs before anything else:

1. **Host allow-list.** A request whose ``Host`` is not one of the app's names is refused (400): a
   page on another site that re-points its own name at 127.0.0.1 (DNS rebinding) cannot read or
   write through the browser. Loopback names are always allowed; ``--allowed-host`` adds more.
2. **Token** (``Access.token``, required when ``serve`` binds beyond loopback): every request
   carries it as ``Authorization: Bearer TOKEN`` or in the ``crosswire_token`` cookie, which a visit
   to ``/?token=TOKEN`` sets (HttpOnly, SameSite=Strict) before redirecting to the address without it.
3. **Writes only from this origin.** A request that changes something (any method but GET, HEAD,
   OPTIONS) is refused (403) when the browser says it comes from another site (``Sec-Fetch-Site``
   other than same-origin or none), or, from a browser that does not send that header, names another
   origin or none (``Origin``, "null" included). Clients that are not browsers (curl, scripts) send
   neither header and pass. Forms also carry a token (``form_token``), which only a page of this
   origin can read.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi.responses import JSONResponse, RedirectResponse

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIE = "crosswire_token"


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str:
    """The name in a Host header or an origin's authority, without its port, lower case."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


@dataclass(frozen=True)
class Access:
    """The app's names, its token (None: no token, loopback only) and the key of its form tokens."""

    hosts: frozenset[str] = LOOPBACK_NAMES
    token: str | None = None
    form_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @classmethod
    def for_bind(cls, bind_host: str, *, allowed: list[str] | None = None, token: str | None = None) -> Access:
        """The access rules for ``serve --host bind_host``: the bind address (unless a wildcard) and
        ``allowed`` names join the loopback names; off loopback a token is required (generate one
        with ``new_token`` when the user gave none)."""
        hosts = set(LOOPBACK_NAMES) | {host_name(h) for h in allowed or [] if h.strip()}
        if bind_host not in ("0.0.0.0", "::", ""):
            hosts.add(host_name(bind_host) if not bind_host.startswith("[") else bind_host[1:-1].lower())
        if not is_loopback(bind_host) and not token:
            raise ValueError("a token is required when binding beyond loopback")
        return cls(hosts=frozenset(hosts), token=token or None)

    def form_token(self) -> str:
        return hmac.new(self.form_key, b"crosswire form", hashlib.sha256).hexdigest()

    def form_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value), self.form_token())


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard:
    """Plain ASGI middleware enforcing an ``Access`` (see the module docstring)."""

    def __init__(self, app, access: Access):
        self.app = app
        self.access = access

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if not host or host_name(host) not in self.access.hosts:
            return await _refuse(scope, receive, send, 400, "this server does not answer to that Host name")
        if self.access.token:
            verdict = self._token(scope, headers)
            if verdict is not None:
                return await verdict(scope, receive, send)
        if scope["method"] not in SAFE_METHODS:
            # a browser that sends Sec-Fetch-Site says where the request comes from; our pages send no
            # Referer, so their own form posts carry "Origin: null": Origin decides only without it
            site = headers.get("sec-fetch-site")
            origin = headers.get("origin")
            if site is not None:
                if site not in ("same-origin", "none"):
                    return await _refuse(scope, receive, send, 403, f"cross-site request refused ({site})")
            elif origin is not None and not _same_origin(origin, host):
                return await _refuse(scope, receive, send, 403, "request from another origin refused")
        return await self.app(scope, receive, send)

    def _token(self, scope, headers):
        """None when the request carries the token; else the response to send instead."""
        want = self.access.token or ""
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and hmac.compare_digest(auth[7:].strip(), want):
            return None
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no token
            cookie = SimpleCookie()
        if COOKIE in cookie and hmac.compare_digest(cookie[COOKIE].value, want):
            return None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if given and hmac.compare_digest(given[-1], want) and scope["method"] in ("GET", "HEAD"):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            r = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), status_code=303)
            r.set_cookie(COOKIE, want, httponly=True, samesite="strict", path="/")
            return r
        return JSONResponse(
            {"detail": "this server needs its access token: open the address `crosswire serve` printed"},
            status_code=401,
        )


def _same_origin(origin: str, host: str) -> bool:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed frames, file: pages) and anything else
    return parts.netloc.lower() == host.strip().lower()


async def _refuse(scope, receive, send, status: int, detail: str) -> None:
    await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
