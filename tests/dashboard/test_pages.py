"""Every page renders for a signed-in user, redirects to /login when signed out, and is
accessible in the ways a test can see in the HTML."""

from __future__ import annotations

import re

import pytest

PAGES = [
    "/",
    "/conversation",
    "/tasks",
    "/tasks?show=done",
    "/tasks?show=all",
    "/reminders",
    "/goals",
    "/groceries",
    "/expenses",
    "/memories",
    "/settings",
    "/phone",
    "/privacy",
    "/connections",
    "/simulator",
]
PUBLIC_PAGES = ["/login", "/signup", "/login/magic?token=abc"]


def assert_accessible(html: str, path: str) -> None:
    """Landmarks, headings, and a label for every form control."""
    assert html.count("<main") == 1, f"{path}: exactly one <main>"
    assert "<nav" in html, f"{path}: a nav"
    assert re.search(r"<h1[ >]", html), f"{path}: an h1"
    assert 'lang="en"' in html
    labels = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    for tag in re.finditer(r"<(input|select|textarea)\b([^>]*)>", html):
        attrs = tag.group(2)
        if re.search(r'type="(hidden|submit)"', attrs):
            continue
        control_id = re.search(r'id="([^"]+)"', attrs)
        assert "aria-label=" in attrs or (control_id and control_id.group(1) in labels), (
            f"{path}: unlabelled control {tag.group(0)[:120]}"
        )
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), f"{path}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"
    assert not re.search(r'tabindex="[1-9]', html), f"{path}: positive tabindex"
    for img in re.findall(r"<img\b[^>]*>", html):
        assert "alt=" in img, f"{path}: image without alt"


@pytest.mark.parametrize("path", PAGES)
async def test_signed_out_pages_redirect_to_login(browser, path):
    response = await browser.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


async def test_signed_out_root_goes_to_login_and_back_after(browser, make_user):
    user = await make_user()
    response = await browser.get("/tasks")
    assert response.headers["location"] == "/login?next=/tasks"
    await browser.get(response.headers["location"])
    response = await browser.post("/login", {"email": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 303
    assert response.headers["location"] == "/tasks"


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_renders_for_a_signed_in_user(browser, make_user, path):
    user = await make_user()
    await browser.sign_in(user)
    response = await browser.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text and "style=" not in response.text  # nothing inline
    assert_accessible(response.text, path)
    assert "Log out" in response.text


@pytest.mark.parametrize("path", PUBLIC_PAGES)
async def test_public_pages_render_and_are_accessible(browser, path):
    response = await browser.get(path)
    assert response.status_code == 200
    assert_accessible(response.text, path)


async def test_static_files_are_served_locally(client):
    css = await client.get("/static/app.css")
    js = await client.get("/static/app.js")
    assert css.status_code == 200 and ":focus-visible" in css.text
    assert js.status_code == 200 and "data-poll-url" in js.text
