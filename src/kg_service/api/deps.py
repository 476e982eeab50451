"""Shared state reaches handlers through the request, never through module globals."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg_service.config import Settings
from kg_service.store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
