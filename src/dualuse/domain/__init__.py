"""Pure domain logic: rules and models, standard library only."""
