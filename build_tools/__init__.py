"""City Data Alliance course generator: curriculum → catalogs → three-language site."""

__version__ = "0.1.0"
