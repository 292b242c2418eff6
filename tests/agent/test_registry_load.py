"""A tool module that cannot be imported (renamed, deleted, mistyped) stops the app at start-up
instead of silently leaving its tools out."""

from __future__ import annotations

import pytest

from personal_assistant.agent.tools import registry as registry_module


def test_a_missing_tool_module_fails_loudly(monkeypatch):
    missing = "personal_assistant.agent.tools.renamed_family"
    monkeypatch.setattr(registry_module, "TOOL_MODULES", (*registry_module.TOOL_MODULES, missing))
    with pytest.raises(ModuleNotFoundError) as caught:
        registry_module.ToolRegistry().load()
    assert caught.value.name == missing


def test_the_app_loads_every_tool_family_when_it_is_created(monkeypatch):
    from personal_assistant.main import create_app

    monkeypatch.setattr(registry_module, "TOOL_MODULES", ("personal_assistant.agent.tools.gone",))
    monkeypatch.setattr(registry_module, "registry", registry_module.ToolRegistry())
    import personal_assistant.main as main

    monkeypatch.setattr(main, "registry", registry_module.registry)
    with pytest.raises(ModuleNotFoundError):
        create_app()
