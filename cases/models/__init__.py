"""Models of the core app, one module per aggregate."""

from .access import AccessLog
from .staff import Unit, User

__all__ = ["AccessLog", "Unit", "User"]
