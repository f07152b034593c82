"""Blueprint: export (being built)."""

from flask import Blueprint

bp = Blueprint("export", __name__)
