"""What each kind of user has to do next: the to-do list and counts of their home page."""

from dualuse.services.home.todo import ToDo, todo_for

__all__ = ["ToDo", "todo_for"]
