"""The Connections page: connect through the fake consent page, see it connected, the health
banner, disconnect (revoked at the fake)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from personal_assistant.connectors import oauth
from personal_assistant.db.models import Connector
from tests.fixtures.fake_providers import fake_providers  # noqa: F401 - a fixture


async def test_connect_and_disconnect_google_from_the_page(browser, make_user, fake_providers, session):  # noqa: F811
    user = await make_user()
    await browser.sign_in(user)
    page = await browser.get("/connections")
    assert page.status_code == 200
    assert "See and add events on your calendars" in page.text  # scopes in plain words, before connecting
    assert "Connect Google" in page.text

    start = await browser.post("/connections/google/connect", page="/connections")
    assert start.status_code == 303
    consent_url = start.headers["location"]
    assert consent_url.startswith(fake_providers.url)
    params = fake_providers.consent("google", consent_url)
    done = await browser.get(f"/oauth/google/callback?state={params['state']}&code={params['code']}")
    assert done.status_code == 303 and done.headers["location"] == "/connections?connected=google"

    page = await browser.get("/connections?connected=google")
    assert "Google is connected." in page.text
    assert "alice@gmail.test" in page.text
    assert "Disconnect Google" in page.text

    account = (await session.execute(select(Connector))).scalar_one()
    refresh = oauth.unseal(account).refresh_token
    await session.commit()
    gone = await browser.post("/connections/google/disconnect", page="/connections")
    assert gone.status_code == 303
    assert refresh in fake_providers.revoked
    page = await browser.get("/connections")
    assert "Google is disconnected." in page.text and "Connect Google" in page.text


async def test_broken_connection_shows_a_banner(browser, make_user, session):
    user = await make_user()
    row = Connector(user_id=user.id, provider="notion", scopes=[], settings={}, status="needs_reconnect")
    session.add(row)
    await session.commit()
    await browser.sign_in(user)
    page = await browser.get("/connections")
    assert 'id="broken-notion"' in page.text and "stopped working" in page.text


async def test_unconfigured_provider_says_so(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    page = await browser.get("/connections")
    assert "not set up on this server" in page.text
    response = await browser.post("/connections/google/connect", page="/connections")
    assert response.status_code == 303 and response.headers["location"] == "/connections"


async def test_another_users_connection_is_not_theirs_to_disconnect(browser, other_browser, make_user, session):
    owner = await make_user()
    intruder = await make_user()
    session.add(Connector(user_id=owner.id, provider="notion", scopes=[], settings={}))
    await session.commit()
    await other_browser.sign_in(intruder)
    response = await other_browser.post("/connections/notion/disconnect", page="/connections")
    assert response.status_code == 303
    assert len((await session.execute(select(Connector))).scalars().all()) == 1
    assert parse_qs(urlsplit(response.headers["location"]).query) == {}


async def test_choose_the_notion_page_notes_go_under(browser, make_user, fake_providers, session):  # noqa: F811
    user = await make_user()
    await browser.sign_in(user)
    start = await browser.post("/connections/notion/connect", page="/connections")
    params = fake_providers.consent("notion", start.headers["location"])
    await browser.get(f"/oauth/notion/callback?state={params['state']}&code={params['code']}")
    page = await browser.get("/connections")
    assert "New notes go under: Inbox" in page.text
    fake_providers.created_pages.append({"id": "page-ideas", "url": "https://notion.test/ideas", "title": "Ideas",
                                         "parent": {}})
    chooser = await browser.get("/connections/notion/parent")
    assert chooser.status_code == 200 and "Ideas" in chooser.text
    refused = await browser.post("/connections/notion/parent", {"page_id": "someone-elses"},
                                 page="/connections/notion/parent")
    assert refused.headers["location"] == "/connections/notion/parent"
    saved = await browser.post("/connections/notion/parent", {"page_id": "page-ideas"},
                               page="/connections/notion/parent")
    assert saved.status_code == 303
    account = (await session.execute(select(Connector))).scalar_one()
    assert account.settings["parent_page_id"] == "page-ideas"
    assert "New notes go under: Ideas" in (await browser.get("/connections")).text
