"""Denials between member states (Arts. 14, 16): the register and its notices (``register``), the check of
denials in force before a decision (``checks``) and consultations between authorities
(``consultations``). Entry points import the modules: ``from dualuse.services.denials import register``."""
