"""The Secretariat's publishing system: content/ in, website, e-books and open data out."""

__version__ = "0.1.0"
