"""Customs: the Annex I entries a Combined Nomenclature code correlates with (``lookup``); and for the customs
authorities (Art. 21 Reg. (EU) 2021/821, issue 19 point 6): the look-up of authorisations for a declaration, the
licence data feed, the usage feed that writes off licences (``feed``) and suspensions (``holds``). Kept free of
imports (the unit of work imports ``ports``): import the modules."""
