"""Getting responses from SSB, KLASS and NAV (live or recorded) and reading their formats."""
