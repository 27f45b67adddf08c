"""Server-rendered pages: the public portal, the exporter portal and the authority console."""
