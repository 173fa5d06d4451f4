"""The site: MkDocs configurations and build, the hook, search, the theme overrides."""
