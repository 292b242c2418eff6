"""The offline brain: deterministic intents, dates and replies (see brain.py)."""

from personal_assistant.agent.llm.offline.brain import OfflineBrain

__all__ = ["OfflineBrain"]
