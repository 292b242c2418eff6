"""Mounts the dashboard on the application: session middleware, static files, page routers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from personal_assistant.dashboard.session import DashboardSessionMiddleware
from personal_assistant.dashboard.web import HERE


def install_dashboard(app: FastAPI) -> None:
    """Add the cookie-session middleware, /static, and every dashboard page."""
    from personal_assistant.dashboard.pages import ROUTERS

    app.add_middleware(DashboardSessionMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
