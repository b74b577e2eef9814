"""refexport: a markdown reading list in; BibTeX, CSL-JSON and RIS out, per section."""

__version__ = "0.1.0"
