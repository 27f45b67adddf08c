"""Documents: HTML and PDF renderings (WeasyPrint) of records people keep."""
