"""Reading the curriculum: safe source files, schemas, the typed model, the loader, cohorts, cases, handouts."""
