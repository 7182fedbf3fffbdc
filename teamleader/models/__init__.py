"""Typed records. Every model keeps Teamleader's dict in ``.raw``."""

from .base import Field, Model, Money, Page
from .crm import Company, Contact, Deal, User

__all__ = ["Company", "Contact", "Deal", "Field", "Model", "Money", "Page", "User"]
