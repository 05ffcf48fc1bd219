"""The print edition: a PDF of every gazette issue and of every yearbook edition in each language,
typeset by Typst (see typeset.py; the choice of engine is recorded in README)."""
