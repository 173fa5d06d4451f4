"""The coaches' and authors' other outputs: playbooks, PDFs, the JSON export, scaffolding."""
