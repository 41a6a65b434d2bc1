"""Benchmark data: realistic, fabricated units, staff, households and cases in bulk
(``manage.py seed_bench``, DESIGN.md "Targets").

Everything generated hangs off units whose code starts with ``UNIT_CODE_PREFIX``; that is
how ``reset`` finds it again and how it leaves every other row alone. No real
personnummer is ever generated: persons carry reserve numbers (reservnummer) only.

A tiny app of its own, outside the core: the generator writes the rows of every app
(cases, and workplans, referrals and reporting where installed), and the core imports no
plug-in (DESIGN.md "Layout"). Nothing imports it; it has no models and no URLs – only
the ``seed_bench`` command. It is not part of reporting, which only reads.
"""

UNIT_CODE_PREFIX = "bench-enhet-"
# Bump when what the generator writes changes, so bench/scale.py generates its data again.
GENERATOR_VERSION = 4  # 4: försörjningshinder and referrals
