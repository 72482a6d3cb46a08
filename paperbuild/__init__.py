"""paperbuild: reproducible builds of academic papers from Markdown and BibTeX."""

__version__ = "0.1.0"
