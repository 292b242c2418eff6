"""Google: OAuth (google-auth-oauthlib), Calendar, Gmail and YouTube Data (google-api-python-client)."""
