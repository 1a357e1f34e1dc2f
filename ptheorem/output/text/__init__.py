"""Text output: rich renderables built from the core's frozen results, the console factory,
and the exports (Markdown, LaTeX, SVG, HTML).  The only place that imports rich."""
