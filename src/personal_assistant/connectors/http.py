"""A requests.Session with a default timeout, for the blocking client libraries (oauthlib,
google-auth, msal) that otherwise wait up to 60-120 s or forever. It can also rewrite one
scheme://host to another (msal needs an https authority; tests serve it over http)."""

from __future__ import annotations

from typing import Any

import requests


class TimeoutSession(requests.Session):
    def __init__(self, timeout: float, rewrite: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.timeout = timeout
        self.rewrite = rewrite

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        if kwargs["timeout"] is None:
            kwargs["timeout"] = self.timeout
        if self.rewrite and isinstance(url, str) and url.startswith(self.rewrite[0]):
            url = self.rewrite[1] + url[len(self.rewrite[0]) :]
        return super().request(method, str(url), *args, **kwargs)  # type: ignore[arg-type]
