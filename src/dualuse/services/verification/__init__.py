"""Use cases of the verification report (``dualuse reference status``, ``/reference/status``)."""
