"""Extraction stages, in pipeline order: segment, dates, names, people, events, programs, figures."""
