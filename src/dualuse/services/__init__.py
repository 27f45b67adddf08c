"""Use cases: each takes a unit of work and a principal, checks permission, and commits or changes nothing."""
