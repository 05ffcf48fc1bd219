"""Importing existing archives into ``content/``: ``python -m generator import ey-xml PATH...``
(the national Executive Yuan gazette's open-data XML; :mod:`.eyxml` reads it, :mod:`.htmltext` turns
its HTML into Markdown, :mod:`.archive` places the notices into issues and writes them)."""
