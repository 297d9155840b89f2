"""Typed SQLAlchemy models; importing this package registers every table."""

from core.models.ad import CONDITIONS, CURRENCIES, STATUSES, Ad
from core.models.base import Base
from core.models.outbox import REPORT_REASONS, OutboxEntry, Report
from core.models.taxonomy import Area, Category

__all__ = [
    "Ad", "Area", "Base", "Category", "OutboxEntry", "Report",
    "CONDITIONS", "CURRENCIES", "REPORT_REASONS", "STATUSES",
]
