"""Arbetsplan, introduktionsplan and jobbplan: activities, signatures, revisions.

Depends on ``cases`` only; registers its deadline kinds with the core's registry."""
