"""Per-user OAuth connectors (Google, Microsoft, Notion): see base.py for the protocol,
oauth.py for the flow, service.py for what tools and jobs call."""
