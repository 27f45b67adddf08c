"""Documents as use cases: keep a checked file in the document store, hand it out to whoever may see it."""
