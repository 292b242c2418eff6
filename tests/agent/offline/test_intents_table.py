"""The offline brain on a table of varied messages covering every SPEC §2 capability.

The clock is frozen at Saturday 2026-03-07 14:30 in New York (EST, the day before the change to
EDT), so "tomorrow" already carries the -04:00 offset. Every emitted call is validated against
the tool's real argument model.
"""

from __future__ import annotations

import pytest

from tests.agent.offline.conftest import make_ctx
from tests.agent.offline.helpers import check, plan

A = ...  # "this argument must be absent"
TOOLS_CONNECTED = ("calendar_list_events", "email_triage", "notion_search", "web_search", "youtube_summary")

CASES: list[tuple[str, tuple]] = [
    # reminders, one-off
    (
        "remind me to take my meds at 9pm",
        ("create_reminder", {"text": "take my meds", "due_at": "2026-03-07T21:00:00-05:00"}),
    ),
    ("Remind me to take my meds at 9pm!", ("create_reminder", {"text": "take my meds", "rrule": A})),
    (
        "in 20 min remind me to check the laundry",
        ("create_reminder", {"text": "check the laundry", "due_at": "2026-03-07T14:50:00-05:00"}),
    ),
    (
        "remind me in 20 minutes to check the laundry",
        ("create_reminder", {"text": "check the laundry", "due_at": "2026-03-07T14:50:00-05:00"}),
    ),
    (
        "remind me in half an hour to start dinner",
        ("create_reminder", {"text": "start dinner", "due_at": "2026-03-07T15:00:00-05:00"}),
    ),
    (
        "remind me in an hour and a half to leave",
        ("create_reminder", {"text": "leave", "due_at": "2026-03-07T16:00:00-05:00"}),
    ),
    (
        "remind me in 2 hours to move the car",
        ("create_reminder", {"text": "move the car", "due_at": "2026-03-07T16:30:00-05:00"}),
    ),
    (
        "remind me tomorrow morning to call the bank",
        ("create_reminder", {"text": "call the bank", "due_at": "2026-03-08T09:00:00-04:00"}),
    ),
    (
        "remind me this afternoon to water plants",
        ("create_reminder", {"text": "water plants", "due_at": "2026-03-07T15:00:00-05:00"}),
    ),
    (
        "remind me at noon tomorrow to eat lunch",
        ("create_reminder", {"text": "eat lunch", "due_at": "2026-03-08T12:00:00-04:00"}),
    ),
    (
        "remind me tonight to take out the trash",
        ("create_reminder", {"text": "take out the trash", "due_at": "2026-03-07T20:00:00-05:00"}),
    ),
    (
        "remind me friday at 3 to pick up the kids",
        ("create_reminder", {"text": "pick up the kids", "due_at": "2026-03-13T15:00:00-04:00"}),
    ),
    ("remind me at 9 to stretch", ("create_reminder", {"text": "stretch", "due_at": "2026-03-07T21:00:00-05:00"})),
    (
        "remind me at 7:45pm to lock the door",
        ("create_reminder", {"text": "lock the door", "due_at": "2026-03-07T19:45:00-05:00"}),
    ),
    ("remind me at 21:30 to journal", ("create_reminder", {"text": "journal", "due_at": "2026-03-07T21:30:00-05:00"})),
    (
        "remind me at midnight to take my pill",
        ("create_reminder", {"text": "take my pill", "due_at": "2026-03-08T00:00:00-05:00"}),
    ),
    (
        "remind me tomorrow at 2:30am to check the oven",
        ("create_reminder", {"text": "check the oven", "due_at": "2026-03-08T03:30:00-04:00"}),
    ),
    (
        "set a reminder for 6pm to call grandma",
        ("create_reminder", {"text": "call grandma", "due_at": "2026-03-07T18:00:00-05:00"}),
    ),
    (
        "reminder: dentist monday at 10am",
        ("create_reminder", {"text": "dentist", "due_at": "2026-03-09T10:00:00-04:00"}),
    ),
    (
        "can you remind me to email Jo on june 3",
        ("create_reminder", {"text": "email Jo", "due_at": "2026-06-03T09:00:00-04:00"}),
    ),
    (
        "remind me to pay rent on the 1st",
        ("create_reminder", {"text": "pay rent", "due_at": "2026-04-01T09:00:00-04:00", "rrule": A}),
    ),
    (
        "remind me next friday to book flights",
        ("create_reminder", {"text": "book flights", "due_at": "2026-03-13T09:00:00-04:00"}),
    ),
    (
        "don't let me forget to call mom at 7pm",
        ("create_reminder", {"text": "call mom", "due_at": "2026-03-07T19:00:00-05:00"}),
    ),
    (
        "remind me urgently at 5pm to leave for the airport",
        ("create_reminder", {"text": "leave for the airport", "urgent": True}),
    ),
    ("remind me in 1h30 to check the bread", ("create_reminder", {"due_at": "2026-03-07T16:00:00-05:00"})),
    (
        "remind me in 3 days to follow up with Alex",
        ("create_reminder", {"text": "follow up with Alex", "due_at": "2026-03-10T14:30:00-04:00"}),
    ),
    (
        "remind me on 12/25 to call everyone",
        ("create_reminder", {"text": "call everyone", "due_at": "2026-12-25T09:00:00-05:00"}),
    ),
    ("ping me at 4 to stand up", ("create_reminder", {"text": "stand up", "due_at": "2026-03-07T16:00:00-05:00"})),
    ("dentist friday at 3", ("create_reminder", {"text": "dentist", "due_at": "2026-03-13T15:00:00-04:00"})),
    ("call mom at 7pm", ("create_reminder", {"text": "call mom", "due_at": "2026-03-07T19:00:00-05:00"})),
    ("rmd me to call mom at 7", ("create_reminder", {"text": "call mom", "due_at": "2026-03-07T19:00:00-05:00"})),
    (
        "remind me to check the oven in 15",
        ("create_reminder", {"text": "check the oven", "due_at": "2026-03-07T14:45:00-05:00"}),
    ),
    ("remember to call mom at 5", ("create_reminder", {"text": "call mom", "due_at": "2026-03-07T17:00:00-05:00"})),
    ("tmrw 9am gym", ("create_reminder", {"text": "gym", "due_at": "2026-03-08T09:00:00-04:00"})),
    (
        "meds 9pm daily",
        ("create_reminder", {"text": "meds", "rrule": "FREQ=DAILY", "due_at": "2026-03-07T21:00:00-05:00"}),
    ),
    ("set an alarm for 6am", ("clarify", "text")),
    # reminders, recurring
    (
        "remind me every monday at 9 to submit my timesheet",
        (
            "create_reminder",
            {"text": "submit my timesheet", "due_at": "2026-03-09T09:00:00-04:00", "rrule": "FREQ=WEEKLY;BYDAY=MO"},
        ),
    ),
    (
        "every weekday at 7:30 remind me to stretch",
        (
            "create_reminder",
            {"text": "stretch", "due_at": "2026-03-09T07:30:00-04:00", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
        ),
    ),
    (
        "remind me every day at 8am to take vitamins",
        ("create_reminder", {"text": "take vitamins", "due_at": "2026-03-08T08:00:00-04:00", "rrule": "FREQ=DAILY"}),
    ),
    (
        "remind me to pay rent on the 1st of every month",
        (
            "create_reminder",
            {"text": "pay rent", "due_at": "2026-04-01T09:00:00-04:00", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
        ),
    ),
    (
        "every month on the 15th remind me to pay the card",
        (
            "create_reminder",
            {"text": "pay the card", "due_at": "2026-03-15T09:00:00-04:00", "rrule": "FREQ=MONTHLY;BYMONTHDAY=15"},
        ),
    ),
    (
        "remind me every monday and thursday at 6pm to go to the gym",
        (
            "create_reminder",
            {"text": "go to the gym", "rrule": "FREQ=WEEKLY;BYDAY=MO,TH", "due_at": "2026-03-09T18:00:00-04:00"},
        ),
    ),
    (
        "remind me daily at 10pm to floss",
        ("create_reminder", {"text": "floss", "rrule": "FREQ=DAILY", "due_at": "2026-03-07T22:00:00-05:00"}),
    ),
    (
        "remind me every 2 hours to drink water",
        (
            "create_reminder",
            {"text": "drink water", "rrule": "FREQ=HOURLY;INTERVAL=2", "due_at": "2026-03-07T16:30:00-05:00"},
        ),
    ),
    (
        "remind me every morning to take my meds",
        ("create_reminder", {"text": "take my meds", "rrule": "FREQ=DAILY", "due_at": "2026-03-08T09:00:00-04:00"}),
    ),
    (
        "remind me every sunday at 7pm to plan the week",
        (
            "create_reminder",
            {"text": "plan the week", "rrule": "FREQ=WEEKLY;BYDAY=SU", "due_at": "2026-03-08T19:00:00-04:00"},
        ),
    ),
    (
        "remind me every weekend at 10 to clean",
        (
            "create_reminder",
            {"text": "clean", "rrule": "FREQ=WEEKLY;BYDAY=SA,SU", "due_at": "2026-03-08T10:00:00-04:00"},
        ),
    ),
    ("remind me on mondays at 9 to water the plants", ("create_reminder", {"rrule": "FREQ=WEEKLY;BYDAY=MO"})),
    (
        "remind me every other day at 8pm to run",
        ("create_reminder", {"rrule": "FREQ=DAILY;INTERVAL=2", "due_at": "2026-03-07T20:00:00-05:00"}),
    ),
    (
        "remind me every year on june 3 to call aunt May",
        ("create_reminder", {"rrule": "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=3", "due_at": "2026-06-03T09:00:00-04:00"}),
    ),
    # reminder clarifications
    ("remind me to call mom", ("clarify", "due_at")),
    ("remind me to buy a gift", ("clarify", "due_at")),
    ("remind me at 5", ("clarify", "text")),
    ("don't forget to water the plants", ("clarify", "due_at")),
    ("remind me today to call the vet", ("clarify", "due_at")),
    # acknowledge / snooze / cancel
    ("done", ("acknowledge_reminder", {"reminder_id": A})),
    ("Done!", ("acknowledge_reminder", {})),
    ("ok", ("answer", "")),  # without a reminder just sent, "ok" acknowledges nothing
    ("👍", ("acknowledge_reminder", {})),
    ("✅", ("acknowledge_reminder", {})),
    ("took them", ("acknowledge_reminder", {})),
    ("got it", ("answer", "")),
    ("snooze", ("snooze_reminder", {"minutes": A, "until": A})),
    ("snooze 10", ("snooze_reminder", {"minutes": 10})),
    ("Snooze 15 min", ("snooze_reminder", {"minutes": 15})),
    ("snooze for an hour", ("snooze_reminder", {"minutes": 60})),
    ("snooze until 5pm", ("snooze_reminder", {"until": "2026-03-07T17:00:00-05:00"})),
    ("snooze till tomorrow morning", ("snooze_reminder", {"until": "2026-03-08T09:00:00-04:00"})),
    ("later", ("snooze_reminder", {})),
    ("remind me again in 30 min", ("snooze_reminder", {"minutes": 30})),
    ("snooze till 6", ("snooze_reminder", {"until": "2026-03-07T18:00:00-05:00"})),
    ("snooze for 10", ("snooze_reminder", {"minutes": 10})),
    ("I'm done", ("acknowledge_reminder", {})),
    ("cancel the dentist reminder", ("cancel_reminder", {"query": "dentist"})),
    ("cancel my meds reminder", ("cancel_reminder", {"query": "meds"})),
    ("delete the reminder about the gym", ("cancel_reminder", {"query": "gym"})),
    ("stop reminding me about the timesheet", ("cancel_reminder", {"query": "timesheet"})),
    ("cancel that reminder", ("cancel_reminder", {"query": A, "reminder_id": A})),
    ("cancel", ("cancel_reminder", {})),
    ("my reminders", ("list_reminders", {})),
    ("what reminders do I have?", ("list_reminders", {})),
    ("show upcoming reminders", ("list_reminders", {})),
    # tasks
    ("add task renew passport", ("add_task", {"title": "renew passport", "due_at": A})),
    ("todo buy printer ink by friday", ("add_task", {"title": "buy printer ink", "due_at": "2026-03-13"})),
    ("to-do: call the plumber", ("add_task", {"title": "call the plumber"})),
    ("task: file taxes by april 15", ("add_task", {"title": "file taxes", "due_at": "2026-04-15"})),
    (
        "new task send invoice tomorrow at 10am",
        ("add_task", {"title": "send invoice", "due_at": "2026-03-08T10:00:00-04:00"}),
    ),
    ("add task clean fridge (about 20 min)", ("add_task", {"title": "clean fridge", "estimate_minutes": 20})),
    ("add task pay the fine asap", ("add_task", {"title": "pay the fine", "priority": 1})),
    ("add task write report 30 min", ("add_task", {"title": "write report", "estimate_minutes": 30})),
    ("todo taxes ~2h", ("add_task", {"title": "taxes", "estimate_minutes": 120})),
    (
        "add task call bob in 30 min",
        ("add_task", {"title": "call bob", "estimate_minutes": A, "due_at": "2026-03-07T15:00:00-05:00"}),
    ),
    ("add task reorganize bookshelf someday", ("add_task", {"title": "reorganize bookshelf", "priority": 3})),
    (
        "add task buy running shoes for goal run a 5k",
        ("add_task", {"title": "buy running shoes", "goal_ref": "run a 5k"}),
    ),
    ("add call the landlord to my list", ("add_task", {"title": "call the landlord"})),
    ("I need to renew my license", ("add_task", {"title": "renew my license"})),
    ("buy printer ink", ("add_task", {"title": "buy printer ink"})),
    ("what's on my list?", ("list_tasks", {"status": A})),
    ("whats my list", ("list_tasks", {})),
    ("pay electric bill friday", ("add_task", {"title": "pay electric bill", "due_at": "2026-03-13"})),
    ("add call the bank", ("add_task", {"title": "call the bank"})),
    ("completed: email boss", ("complete_task", {"ref": "email boss"})),
    ("my tasks", ("list_tasks", {})),
    ("todo list", ("list_tasks", {})),
    ("what should I do next?", ("list_tasks", {})),
    ("show done tasks", ("list_tasks", {"status": "done"})),
    ("done 2", ("complete_task", {"ref": "2"})),
    ("Done #3", ("complete_task", {"ref": "3"})),
    ("2 done", ("complete_task", {"ref": "2"})),
    ("done with renew passport", ("complete_task", {"ref": "renew passport"})),
    ("finished the report", ("complete_task", {"ref": "report"})),
    ("I'm done with the taxes", ("complete_task", {"ref": "taxes"})),
    ("mark 4 as done", ("complete_task", {"ref": "4"})),
    ("check off call the plumber", ("complete_task", {"ref": "call the plumber"})),
    # breakdown
    ("I can't get started on cleaning my room", ("break_down_task", {"title": "cleaning my room"})),
    ("break down: plan mom's birthday", ("break_down_task", {"title": "plan mom's birthday"})),
    ("break down my taxes", ("break_down_task", {"title": "my taxes"})),
    ("I'm stuck on the quarterly report", ("break_down_task", {"title": "the quarterly report"})),
    ("help me start studying for the exam", ("break_down_task", {"title": "studying for the exam"})),
    ("I keep putting off calling the dentist", ("break_down_task", {"title": "calling the dentist"})),
    ("I'm so overwhelmed by the garage", ("break_down_task", {"title": "the garage"})),
    ("how do I even start my thesis?", ("break_down_task", {"title": "my thesis"})),
    ("break it down", ("clarify", "title")),
    # goals
    ("new goal: run a 5k by June", ("add_goal", {"title": "run a 5k", "target_date": "2026-06-30"})),
    ("goal: read 12 books this year", ("add_goal", {"title": "read 12 books this year"})),
    ("my goal is to save $1000 by december", ("add_goal", {"title": "save $1000", "target_date": "2026-12-31"})),
    (
        "add goal learn spanish because I want to travel",
        ("add_goal", {"title": "learn spanish", "why": "I want to travel"}),
    ),
    ("my goals", ("list_goals", {})),
    ("what are my goals?", ("list_goals", {})),
    # groceries
    (
        "add milk, eggs and bread to groceries",
        (
            "add_groceries",
            {
                "items": [
                    {"name": "milk", "quantity": None},
                    {"name": "eggs", "quantity": None},
                    {"name": "bread", "quantity": None},
                ]
            },
        ),
    ),
    (
        "add 2 apples and a loaf of bread to the grocery list",
        ("add_groceries", {"items": [{"name": "apples", "quantity": "2"}, {"name": "bread", "quantity": "1 loaf"}]}),
    ),
    (
        "groceries: coffee, oat milk",
        ("add_groceries", {"items": [{"name": "coffee", "quantity": None}, {"name": "oat milk", "quantity": None}]}),
    ),
    ("put a dozen eggs on the shopping list", ("add_groceries", {"items": [{"name": "eggs", "quantity": "12"}]})),
    ("we're out of toilet paper", ("add_groceries", {"items": [{"name": "toilet paper", "quantity": None}]})),
    ("add mac and cheese to groceries", ("add_groceries", {"items": [{"name": "mac and cheese", "quantity": None}]})),
    ("buy milk", ("add_groceries", {"items": [{"name": "milk", "quantity": None}]})),
    ("add eggs", ("add_groceries", {"items": [{"name": "eggs", "quantity": None}]})),
    (
        "shopping list: bananas, 2 avocados",
        ("add_groceries", {"items": [{"name": "bananas", "quantity": None}, {"name": "avocados", "quantity": "2"}]}),
    ),
    ("grocery list", ("list_groceries", {})),
    ("what's on the shopping list?", ("list_groceries", {})),
    ("groceries", ("list_groceries", {})),
    ("got the milk", ("check_groceries", {"names": ["milk"]})),
    ("got milk and eggs", ("check_groceries", {"names": ["milk", "eggs"]})),
    ("remove bread from the grocery list", ("check_groceries", {"names": ["bread"]})),
    ("clear groceries", ("clear_groceries", {})),
    ("got everything", ("clear_groceries", {})),
    # expenses
    (
        "spent $12.50 on lunch",
        ("log_expense", {"amount": "12.50", "currency": "USD", "note": "lunch", "category": "food"}),
    ),
    ("€8 coffee", ("log_expense", {"amount": "8.00", "currency": "EUR", "note": "coffee"})),
    ("spent 8 eur on a coffee", ("log_expense", {"amount": "8.00", "currency": "EUR"})),
    ("£3 bus ticket", ("log_expense", {"amount": "3.00", "currency": "GBP", "category": "transport"})),
    (
        "paid 12.50 dollars for parking",
        ("log_expense", {"amount": "12.50", "currency": "USD", "category": "transport"}),
    ),
    ("uber $23", ("log_expense", {"amount": "23.00", "note": "uber", "category": "transport"})),
    ("spent 40 on groceries", ("log_expense", {"amount": "40.00", "currency": "USD", "category": "groceries"})),
    ("paid rent $1,450", ("log_expense", {"amount": "1450.00", "category": "housing"})),
    ("spent $15 on netflix yesterday", ("log_expense", {"amount": "15.00", "spent_at": "2026-03-06T14:30:00-05:00"})),
    ("paid the electric bill", ("clarify", "amount")),
    ("coffee 4.50", ("log_expense", {"amount": "4.50", "note": "coffee", "category": "food"})),
    ("lunch was $14", ("log_expense", {"amount": "14.00", "note": "lunch"})),
    ("how much did I spend this week?", ("expense_summary", {"period": "week"})),
    ("how much did I spend today", ("expense_summary", {"period": "day"})),
    ("spending this month", ("expense_summary", {"period": "month"})),
    ("how much have I spent on food this month?", ("expense_summary", {"period": "month", "category": "food"})),
    # memory
    (
        "remember my locker code is 4312",
        ("remember", {"content": "my locker code is 4312", "kind": "fact", "tags": ["locker code"]}),
    ),
    ("remember that I parked on level 3", ("remember", {"content": "I parked on level 3"})),
    ("remember I prefer morning reminders", ("remember", {"kind": "preference"})),
    ("note to self: the wifi password is on the fridge", ("remember", {"kind": "note"})),
    ("remember mom's birthday is on may 3", ("remember", {"kind": "event"})),
    ("what's my locker code?", ("recall", {"query": "locker code"})),
    ("where did I park?", ("recall", {"query": "park"})),
    ("what is the wifi password", ("recall", {"query": "wifi password"})),
    ("when is mom's birthday?", ("recall", {"query": "mom's birthday"})),
    ("do you remember my doctor's name?", ("recall", {"query": "doctor's name"})),
    ("remind me what my locker code is", ("recall", {"query": "locker code"})),
    ("what did I say about the plumber", ("recall", {"query": "plumber"})),
    # focus
    ("focus 25 on the report", ("start_focus", {"minutes": 25, "label": "report"})),
    ("focus for 50 minutes on taxes", ("start_focus", {"minutes": 50, "label": "taxes"})),
    ("focus on emails for an hour", ("start_focus", {"minutes": 60, "label": "emails"})),
    ("pomodoro", ("start_focus", {"minutes": 25, "label": A})),
    ("body double me for 30 min while I do dishes", ("start_focus", {"minutes": 30, "midway_checkin": True})),
    (
        "focus 45 on slides with a check-in halfway",
        ("start_focus", {"minutes": 45, "midway_checkin": True, "label": "slides"}),
    ),
    ("start a 20 minute focus on email", ("start_focus", {"minutes": 20, "label": "email"})),
    ("I'm done focusing", ("end_focus", {})),
    ("stop focus", ("end_focus", {})),
    ("done focusing, wrote two pages", ("end_focus", {"outcome": "wrote two pages"})),
    # settings
    ("set my timezone to Pacific", ("update_settings", {"timezone": "America/Los_Angeles"})),
    ("timezone: EST", ("update_settings", {"timezone": "America/New_York"})),
    ("change my time zone to Berlin", ("update_settings", {"timezone": "Europe/Berlin"})),
    ("my timezone is Europe/Paris", ("update_settings", {"timezone": "Europe/Paris"})),
    ("I moved to Sydney", ("update_settings", {"timezone": "Australia/Sydney"})),
    ("I'm in London now", ("update_settings", {"timezone": "Europe/London"})),
    ("set timezone to india", ("update_settings", {"timezone": "Asia/Kolkata"})),
    ("set my timezone to Narnia", ("clarify", "timezone")),
    ("quiet hours 10pm to 7am", ("update_settings", {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"})),
    ("quiet hours from 11pm - 8am", ("update_settings", {"quiet_hours_start": "23:00", "quiet_hours_end": "08:00"})),
    ("don't text me after 10pm", ("update_settings", {"quiet_hours_start": "22:00"})),
    ("no texts before 8am", ("update_settings", {"quiet_hours_end": "08:00"})),
    ("quiet hours 11 to 7", ("update_settings", {"quiet_hours_start": "23:00", "quiet_hours_end": "07:00"})),
    ("morning check-in at 8", ("update_settings", {"morning_checkin": "08:00", "checkins_enabled": True})),
    ("evening review at 9pm", ("update_settings", {"evening_checkin": "21:00"})),
    ("stop check-ins", ("update_settings", {"checkins_enabled": False})),
    # time
    ("what time is it?", ("current_time", {})),
    ("what's the date today", ("current_time", {})),
    ("what's my timezone?", ("current_time", {})),
    # small talk and nonsense
    ("hi", ("answer", "Sam")),
    ("Good morning!", ("answer", "Sam")),
    ("thanks!", ("answer", "")),
    ("help", ("answer", "remind me")),
    ("what can you do?", ("answer", "reminders")),
    ("asdf qwerty", ("answer", "reminders")),
    ("the purple elephant sings", ("clarify", "choice")),  # a useful fallback: note or task?
    ("?!?!", ("answer", "")),
    ("", ("answer", "")),
    ("I feel so overwhelmed today", ("answer", "")),
    ("good night", ("answer", "night")),
    ("lol", ("answer", "")),
    ("nah", ("answer", "here")),
    ("I forgot to take my meds", ("answer", "remind me")),
    ("what can you help with", ("answer", "reminders")),
    # connectors, not connected
    ("what's on my calendar", ("answer", "https://app.example.com/connections")),
    ("check my email", ("answer", "https://app.example.com/connections")),
    ("search notion for meeting notes", ("answer", "https://app.example.com/connections")),
    ("summarize this youtube video https://youtu.be/dQw4w9WgXcQ", ("answer", "https://app.example.com/connections")),
    ("am I free tomorrow afternoon?", ("answer", "connections")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] or "empty" for c in CASES])
def test_message_table(text: str, expected: tuple) -> None:
    action = plan(make_ctx(text))
    check(action, expected)


CONNECTED: list[tuple[str, tuple]] = [
    ("what's on my calendar tomorrow?", ("calendar_list_events", {})),
    ("check my email", ("email_triage", {})),
    ("any important emails?", ("email_triage", {})),
    ("search notion for meeting notes", ("notion_search", {"query": "meeting notes"})),
    ("search the web for best running shoes", ("web_search", {"query": "best running shoes"})),
    ("look up how to descale a kettle", ("web_search", {"query": "how to descale a kettle"})),
    (
        "summarize this youtube video https://youtu.be/dQw4w9WgXcQ",
        ("youtube_summary", {"query": "https://youtu.be/dQw4w9WgXcQ"}),
    ),
]


@pytest.mark.parametrize(("text", "expected"), CONNECTED, ids=[c[0][:40] for c in CONNECTED])
def test_connected_tools_are_called_with_the_query(text: str, expected: tuple) -> None:
    action = plan(make_ctx(text, tools=TOOLS_CONNECTED))
    check(action, expected)


def test_unavailable_tool_names_the_connector_page() -> None:
    action = plan(make_ctx("what's on my calendar today", unavailable={"calendar_list_events": "google"}))
    assert action.kind == "answer"
    assert "https://app.example.com/connections" in action.text
    assert "calendar" in action.text.lower()


def test_done_number_after_a_reminder_list_acknowledges_that_reminder() -> None:
    ctx = make_ctx("done 2", last_list={"kind": "reminders", "ids": ["r-1", "r-2"]})
    check(plan(ctx), ("acknowledge_reminder", {"reminder_id": "r-2"}))


def test_cancel_number_after_a_reminder_list_cancels_that_reminder() -> None:
    ctx = make_ctx("cancel 1", last_list={"kind": "reminders", "ids": ["r-1", "r-2"]})
    check(plan(ctx), ("cancel_reminder", {"reminder_id": "r-1"}))


def test_breakdown_steps_are_tiny_and_start_physical() -> None:
    for text in ("I can't get started on cleaning my room", "break down: plan mom's birthday", "break down: xyzzy"):
        call = plan(make_ctx(text)).tool_calls[0]
        steps = call.args["steps"]
        assert 3 <= len(steps) <= 5
        assert any("5-minute" in s or "2-minute" in s for s in steps)
        assert all(len(s) <= 60 for s in steps)


def test_table_is_big_enough() -> None:
    assert len(CASES) + len(CONNECTED) >= 150
