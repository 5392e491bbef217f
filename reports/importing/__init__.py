"""Importing an existing report's text: a pure-Python parser (clean, outline, figures, render) and
the service that saves its result (`service.py`, the only module here that imports Django)."""
