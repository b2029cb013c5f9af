"""Pieces of the action plan, terms and agreement steps: editable row tables, term cards, the PDF
preview and printing, the signing panels, and the check of a PDF against the record."""
