"""Blueprint: resources (being built)."""

from flask import Blueprint

bp = Blueprint("resources", __name__)
