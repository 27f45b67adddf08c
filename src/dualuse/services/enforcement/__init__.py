"""Penalties and enforcement (Arts. 23(1)(b), 25, 26(2), 28 Reg. (EU) 2021/821): the comparison of the
member states' penalties (``penalties``), enforcement cases and their public figures (``cases``), compliance
visits with findings against the exporter's ICP (``visits``). Kept free of imports (the unit of work imports
``ports``): import the modules."""
