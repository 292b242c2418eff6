"""Every router of the application, included explicitly in one place."""

from __future__ import annotations

from fastapi import FastAPI

from personal_assistant.agent import router as agent
from personal_assistant.auth import router as auth
from personal_assistant.connectors import router as connectors
from personal_assistant.memory import router as memory
from personal_assistant.planning.expenses import router as expenses
from personal_assistant.planning.focus import router as focus
from personal_assistant.planning.goals import router as goals
from personal_assistant.planning.groceries import router as groceries
from personal_assistant.planning.reminders import router as reminders
from personal_assistant.planning.tasks import router as tasks
from personal_assistant.sms import router as sms
from personal_assistant.users import admin_router
from personal_assistant.users import router as users


def include_routers(app: FastAPI) -> None:
    app.include_router(auth.router)
    app.include_router(auth.api_tokens_router)
    app.include_router(users.router)
    app.include_router(admin_router.router)
    app.include_router(tasks.router)
    app.include_router(goals.router)
    app.include_router(reminders.router)
    app.include_router(groceries.router)
    app.include_router(expenses.router)
    app.include_router(focus.router)
    app.include_router(memory.router)
    app.include_router(agent.router)
    app.include_router(sms.router)
    app.include_router(connectors.router)
    app.include_router(connectors.callback_router)
