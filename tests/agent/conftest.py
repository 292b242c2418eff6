"""Fixtures of the agent tests: the fake Gemini server and scripted providers."""

from tests.fixtures.fake_gemini import fake_gemini  # noqa: F401 (fixture)
from tests.fixtures.fake_web import fake_search, fake_youtube  # noqa: F401 (fixtures)
