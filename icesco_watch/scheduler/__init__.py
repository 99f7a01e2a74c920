"""Cycles and the long-running service that schedules them."""
