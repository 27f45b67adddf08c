"""Use cases on Annex I's provisions: assess an item against an entry's sub-items on its parameters."""
