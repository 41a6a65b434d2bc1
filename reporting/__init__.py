"""Unit managers' dashboards, indicators, monthly statistics, exports and imports.

Reads from every other app; writes nothing of theirs."""
