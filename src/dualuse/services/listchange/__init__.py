"""The life of a list change: drafting (the Commission, Art. 17(1); an authority for its state's national
measures, Art. 9(1)), public comments and their moderation, the impact analysis, adoption through the list's
import of amendments, entry into force and the notifications it sends. Kept free of imports so that
``services.unit_of_work`` can name the port in ``ports``: entry points import ``service``."""
