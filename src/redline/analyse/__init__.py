"""The analyse stage: stored events to dyad series, escalation indices and alerts."""

from redline.analyse.escalation import KINDS, daily_index, escalation
from redline.analyse.series import dyad_series

__all__ = ["KINDS", "daily_index", "dyad_series", "escalation"]
