"""The core: staff and units, people and households, first contacts, cases,
applications and calculation, decisions, appeals, payments, journal, meetings,
deadlines and notifications, the access log, PDF rendering, the working-day calendar
and personnummer. Imports none of the other apps."""
