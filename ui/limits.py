"""Limits of the served UI: requests per client per minute, and wrong passwords per user name per minute."""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections import OrderedDict, deque
from typing import Callable

log = logging.getLogger(__name__)

WINDOW_S = 60.0
MAX_TRACKED = 10_000  # clients or user names remembered; the oldest are forgotten first


class _Window:
    """Event times per key within the last minute, for at most MAX_TRACKED keys."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.events: OrderedDict[str, deque] = OrderedDict()

    def recent(self, key: str) -> deque:
        now = self.clock()
        times = self.events.pop(key, None) or deque()
        while times and now - times[0] >= WINDOW_S:
            times.popleft()
        self.events[key] = times
        while len(self.events) > MAX_TRACKED:
            self.events.popitem(last=False)
        return times


class RateLimiter:
    """At most `per_minute` requests per client (its IP address) in any minute."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.window = _Window(clock)

    def refuse(self, client: str | None) -> str | None:
        """None if the client may send this request now (it is counted), else the message saying why not."""
        times = self.window.recent(client or "unknown")
        if len(times) >= self.per_minute:
            wait = max(1, int(WINDOW_S - (self.window.clock() - times[0])) + 1)
            return (f"Too many requests: the limit is {self.per_minute} per minute (QA_REQUESTS_PER_MINUTE). "
                    f"Please try again in {wait} s.")
        times.append(self.window.clock())
        return None


class LoginGuard:
    """gradio's auth callable: the password compared in constant time; each wrong one delayed by `delay_s`, and
    after `per_minute` wrong ones for a user name every attempt for it is refused for the rest of the minute.
    Neither the password tried nor the real one is ever logged."""

    def __init__(self, user: str, password: str, per_minute: int, delay_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._user, self._password = user.encode(), password.encode()
        self.per_minute = per_minute
        self.delay_s = delay_s
        self.failures = _Window(clock)

    async def check(self, username: str, password: str) -> bool:
        """Whether the login is right (gradio awaits it: it must be a coroutine function, not a callable object)."""
        name = str(username)[:100]
        failures = self.failures.recent(name)
        if len(failures) >= self.per_minute:
            log.warning("login refused for user %r: %d wrong passwords in the last minute", name, len(failures))
            await asyncio.sleep(self.delay_s)
            return False
        ok = hmac.compare_digest(str(username).encode(), self._user) & hmac.compare_digest(
            str(password).encode(), self._password)
        if not ok:
            failures.append(self.failures.clock())
            log.warning("wrong user name or password for user %r", name)
            await asyncio.sleep(self.delay_s)
        return bool(ok)


class LoginRequired:
    """ASGI middleware of gradio's app when it has a login: the routes gradio leaves open (FastAPI's schema and docs,
    the app id, startup events, the heartbeat that holds a connection open) answer 401 without a session."""

    OPEN_IN_GRADIO = ("/openapi.json", "/docs", "/redoc", "/gradio_api/app_id", "/gradio_api/startup-events",
                      "/gradio_api/heartbeat/")

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        gradio = scope.get("app")
        if (scope["type"] == "http" and getattr(gradio, "auth", None) is not None
                and any(scope["path"] == p or scope["path"].startswith(p.rstrip("/") + "/")
                        for p in self.OPEN_IN_GRADIO) and not logged_in(gradio, scope)
                # launch() itself triggers the startup events once, without a session
                and not (scope["path"] == "/gradio_api/startup-events" and not gradio.startup_events_triggered)):
            from starlette.responses import JSONResponse

            return await JSONResponse({"detail": "Not authenticated"}, status_code=401)(scope, receive, send)
        return await self.app(scope, receive, send)


def logged_in(gradio, scope) -> bool:
    """Whether the request carries the session cookie of a logged-in user of this gradio app."""
    from starlette.requests import Request

    cookies = Request(scope).cookies
    token = (cookies.get(f"access-token-{gradio.cookie_id}")
             or cookies.get(f"access-token-unsecure-{gradio.cookie_id}"))
    return token is not None and gradio.tokens.get(token) is not None
