"""Notion: public integration OAuth (no PKCE) and the pages API through notion-client."""
