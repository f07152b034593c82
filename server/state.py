"""What the app holds between requests: the settings and the open store."""

from __future__ import annotations

from flask import current_app

from kg.config import Settings
from kg.store import open_store


class State:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = open_store(settings.store)


def state() -> State:
    return current_app.extensions["vnkg"]
