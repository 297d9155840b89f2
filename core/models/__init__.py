"""Typed SQLAlchemy models; importing this package registers every table."""

from core.models.ad import CONDITIONS, Ad, AdStatus
from core.models.base import Base
from core.models.moderation import AD_ACTIONS, OPERATOR_ACTIONS, SESSION_ACTIONS, OperatorAction
from core.models.outbox import REPORT_REASONS, OutboxEntry, Report, ReportReason
from core.models.taxonomy import Area, Category

__all__ = [
    "AD_ACTIONS",
    "CONDITIONS",
    "OPERATOR_ACTIONS",
    "REPORT_REASONS",
    "SESSION_ACTIONS",
    "Ad",
    "AdStatus",
    "Area",
    "Base",
    "Category",
    "OperatorAction",
    "OutboxEntry",
    "Report",
    "ReportReason",
]
