"""Twilio webhook signatures, checked with Twilio's own RequestValidator.

The URL is the configured PUBLIC_BASE_URL + the request path + the raw query string: behind a
proxy the scheme and host the app sees are not the ones Twilio called, and the signature covers
exactly what Twilio called. With no auth token configured every request fails (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from twilio.request_validator import RequestValidator, get_signature_algorithm

from personal_assistant.config import get_settings


def public_url(request: Request) -> str:
    base = get_settings().public_base_url.rstrip("/")
    query = request.url.query
    return base + request.url.path + (f"?{query}" if query else "")


def signature_valid(request: Request, params: Mapping) -> bool:
    token = get_settings().twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    return bool(RequestValidator(token).validate(public_url(request), params, signature, algorithm=algorithm))
