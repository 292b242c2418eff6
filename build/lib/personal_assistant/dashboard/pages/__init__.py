"""Every dashboard page router, in the order they are mounted."""

from personal_assistant.dashboard.pages import (
    account,
    auth,
    conversation,
    focus,
    home,
    lists,
    memories,
    reminders,
    simulator,
    tasks,
)

ROUTERS = [
    auth.router,
    home.router,
    account.router,
    conversation.router,
    simulator.router,
    tasks.router,
    reminders.router,
    lists.router,
    memories.router,
    focus.router,
]
