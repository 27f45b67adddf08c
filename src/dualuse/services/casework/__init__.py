"""The licensing officer's casework (issue 19): the evidence a case brings, flags, routing, assignment and
time limits. Kept free of imports here so that ``services.unit_of_work`` can name the port in ``ports``."""
