"""What each kind of user has to do next: the to-do list and counts of their home page."""

from dualuse.services.home.commission import CommissionHome, commission_home
from dualuse.services.home.todo import ToDo, todo_for

__all__ = ["CommissionHome", "ToDo", "commission_home", "todo_for"]
