"""Markdown as the site reads and renders it (one parser, one renderer, the segmenter, the safety guard), and gettext files."""
