"""Customs (issue 19, point 6): look-up of authorisations for a declaration, the licence data feed, the
usage feed that writes off licences, and Art. 21 suspensions. Kept free of imports (see ``ports``)."""
