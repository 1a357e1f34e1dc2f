"""Presentation: rich renderables built from the core's frozen results."""
