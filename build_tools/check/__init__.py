"""The rules across files, cohort plans, and a project that must validate."""
