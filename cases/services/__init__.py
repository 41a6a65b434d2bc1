"""Every write of the core app goes through a service here (DESIGN.md "Layout")."""
