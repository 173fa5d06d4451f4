"""The foundation: diagnostics, errors, the languages table, interface strings, safe file writing."""
