"""Min ansökan – the citizen's e-service (issue 19)."""
