"""Pages in every language: pure functions of the model and the catalogs."""
