"""Reads: one module per subject (reports, tree, review, versions, checks). Nothing here writes."""
