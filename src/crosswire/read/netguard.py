"""Where crosswire's fetcher may connect: public addresses only, unless private ones are allowed.

Every connection is made by ``GuardedBackend.connect_tcp``: it resolves the host name once, checks
every address of the answer (one loopback, private, link-local, multicast or reserved address is
enough to refuse the host: a DNS answer can mix them), then connects to an address it checked, never
resolving again. So a redirect to a private address, or a name that resolves to one, is refused at
the moment of connecting, whatever led there. TLS still verifies the certificate against the host
name (httpcore passes it as the server name), and no proxy from the environment is used.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

import httpcore
import httpx

Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """A connection crosswire will not make (the reason says why)."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for host (IPv4 and IPv6), in its order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: str) -> str | None:
    """Why this address is not a public one ("a loopback address", ...), or None when it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "a reserved, non-public address"
    return None


class AddressGuard:
    """Resolves a host and refuses it when any of its addresses is not public (unless ``allow_private``).

    ``exempt`` lists (address, port) pairs that are allowed anyway: a library caller's own local
    service; the CLI has only ``--allow-private``."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        exempt: Iterable[tuple[str, int]] = (),
    ):
        self.allow_private = allow_private
        self.resolver = resolver or system_resolver
        self.exempt = frozenset(exempt)

    def addresses(self, host: str, port: int) -> list[str]:
        """The checked addresses to connect to, or Refused with the reason."""
        found = self.resolver(host.strip("[]"), port)
        if not found:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        if self.allow_private:
            return found
        for address in found:
            problem = address_problem(address)
            if problem and (address, port) not in self.exempt:
                said = f"{address} is" if address == host.strip("[]") else f"{host} resolves to {address},"
                raise Refused(f"refused: {said} {problem} (use --allow-private to allow it)")
        return found


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's plain socket backend, connecting only to addresses the guard checked."""

    def __init__(self, guard: AddressGuard):
        self.guard = guard
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        error: Exception | None = None
        for address in self.guard.addresses(host, port):
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise Refused("refused: connecting to a Unix socket")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the guarded backend under its connection pool (no proxies from the
    environment: a proxy would connect on our behalf to addresses we never checked)."""

    def __init__(self, guard: AddressGuard):
        super().__init__(trust_env=False)
        # httpx builds its httpcore pool without a way to pass a network backend: replace it
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(guard),
        )
