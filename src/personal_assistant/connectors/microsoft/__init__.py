"""Microsoft 365: OAuth through msal (per-user token cache), Graph calendar and mail over httpx."""
