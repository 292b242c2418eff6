"""Two-step login on the dashboard (issue 15 item 8): a QR code drawn by the server, ten
recovery codes shown once and usable once each, and a clear message for a code already used."""

from __future__ import annotations

import html
import re
import urllib.parse
from datetime import timedelta

import pyotp
import segno
import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import MfaRecoveryCode
from personal_assistant.db.session import session_scope
from tests.fixtures.factories import TEST_PASSWORD

SECRET_RE = re.compile(r'<strong class="secret">([A-Z2-7 ]+)</strong>')
CODE_RE = re.compile(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")


async def _start(browser):
    setup = await browser.post("/settings/two-step/setup", {}, page="/settings")
    assert setup.status_code == 200
    secret = SECRET_RE.search(setup.text).group(1).replace(" ", "")
    sealed = re.search(r'name="sealed" value="([^"]+)"', setup.text).group(1)
    return setup, secret, sealed


async def _turn_on(browser, user):
    await browser.sign_in(user)
    _, secret, sealed = await _start(browser)
    shown = await browser.post(
        "/settings/two-step/enable", {"sealed": sealed, "code": pyotp.TOTP(secret).now()}, page="/settings"
    )
    assert shown.status_code == 200
    return secret, CODE_RE.findall(shown.text), shown


async def test_the_setup_page_shows_a_qr_code_drawn_by_the_server(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    setup, secret, _ = await _start(browser)
    match = re.search(r'<img src="data:image/svg\+xml[^,]*,([^"]+)"[^>]*alt="QR code[^"]*"', setup.text)
    assert match, "no QR code image with a text alternative"
    svg = urllib.parse.unquote(match.group(1))
    assert svg.startswith("<svg") and "<path" in svg
    # Drawn here: no image or script from anywhere else.
    assert not re.search(r'(src|href)="https?://', setup.text)
    # The key is still there for typing by hand, and the QR code holds the same otpauth URI.
    assert len(secret) == 32
    uri = html.unescape(re.search(r'href="(otpauth://[^"]+)"', setup.text).group(1))
    assert f"secret={secret}" in uri
    # The image is the QR code of exactly that URI (segno draws the same matrix again).
    src = html.unescape(re.search(r'<img src="([^"]+)"', setup.text).group(1))
    assert src == segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


async def test_ten_recovery_codes_are_shown_once_and_stored_hashed(browser, make_user):
    user = await make_user()
    _, codes, shown = await _turn_on(browser, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "no-store" in shown.headers["cache-control"]
    settings = await browser.get("/settings")
    assert "Recovery codes left: 10 of 10" in settings.text
    assert not any(code in settings.text for code in codes)
    async with session_scope() as s:
        rows = (await s.execute(select(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))).scalars().all()
    assert len(rows) == 10
    stored = " ".join(r.code_hash for r in rows)
    assert not any(code.replace("-", "") in stored or code in stored for code in codes)


async def test_a_recovery_code_logs_in_once(browser, make_user):
    user = await make_user()
    _, codes, _ = await _turn_on(browser, user)
    await browser.post("/logout", page="/")

    async def log_in_with(code: str):
        first = await browser.post("/login", {"email": user.email, "password": TEST_PASSWORD})
        assert first.headers["location"] == "/login/code"
        return await browser.post("/login/code", {"code": code, "kind": "recovery"}, page="/login/code")

    used = await log_in_with(codes[3].upper().replace("-", " "))  # typed loosely off paper
    assert used.status_code == 303 and used.headers["location"] == "/"
    home = await browser.get("/")
    assert home.status_code == 200 and "9 left" in home.text
    await browser.post("/logout", page="/")
    again = await log_in_with(codes[3])
    assert again.status_code == 422 and "That recovery code did not work" in again.text
    assert (await browser.get("/")).status_code == 303


async def test_the_first_login_in_the_same_30_seconds_explains_the_reused_code(browser, make_user):
    user = await make_user()
    with time_machine.travel(clock.now().replace(second=2), tick=False):
        secret, _, _ = await _turn_on(browser, user)
        await browser.post("/logout", page="/")
        await browser.post("/login", {"email": user.email, "password": TEST_PASSWORD})
        refused = await browser.post("/login/code", {"code": pyotp.TOTP(secret).now()}, page="/login/code")
    assert refused.status_code == 422
    assert "That code was just used. Wait for the next code in your app" in refused.text


async def test_new_recovery_codes_replace_the_old_ones(browser, make_user):
    user = await make_user()
    _, old, _ = await _turn_on(browser, user)
    wrong = await browser.post(
        "/settings/two-step/recovery-codes", {"codes_password": "nope nope nope"}, page="/settings"
    )
    assert wrong.status_code == 422 and "That password is not right." in wrong.text
    made = await browser.post("/settings/two-step/recovery-codes", {"codes_password": TEST_PASSWORD}, page="/settings")
    new = CODE_RE.findall(made.text)
    assert made.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    await browser.post("/logout", page="/")
    await browser.post("/login", {"email": user.email, "password": TEST_PASSWORD})
    stale = await browser.post("/login/code", {"code": old[0], "kind": "recovery"}, page="/login/code")
    assert stale.status_code == 422
    fresh = await browser.post("/login/code", {"code": new[0], "kind": "recovery"}, page="/login/code")
    assert fresh.status_code == 303


async def test_a_session_from_long_ago_confirms_with_the_password(browser, make_user):
    user = await make_user()
    with time_machine.travel(clock.now() - timedelta(hours=3)):
        await browser.sign_in(user)
    page, secret, sealed = await _start(browser)
    assert 'name="password"' in page.text
    code = pyotp.TOTP(secret).now()
    bare = await browser.post("/settings/two-step/enable", {"sealed": sealed, "code": code}, page="/settings")
    assert bare.status_code == 422 and "Enter your password." in bare.text
    ok = await browser.post(
        "/settings/two-step/enable", {"sealed": sealed, "code": code, "password": TEST_PASSWORD}, page="/settings"
    )
    assert ok.status_code == 200 and len(CODE_RE.findall(ok.text)) == 10
