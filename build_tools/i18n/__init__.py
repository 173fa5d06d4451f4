"""Messages and catalogs: the fields, extraction, update, lookup, translation QA."""
