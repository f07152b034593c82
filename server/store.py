"""Blueprint: store (being built)."""

from flask import Blueprint

bp = Blueprint("store", __name__)
