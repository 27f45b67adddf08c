"""The ``dualuse`` command line."""
