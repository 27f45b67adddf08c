"""What binds a determination from outside the transaction's facts: Union-wide Art. 5 requirements and the
competent authority's notices to an exporter (Arts. 4(1), 5(1), 6(1), 7, 8(1))."""

from dualuse.domain.notices.binding import (
    ART_5_1,
    ART_5_6,
    Binding,
    bind_item,
    bound_facts,
    union_requirement,
)

__all__ = ["ART_5_1", "ART_5_6", "Binding", "bind_item", "bound_facts", "union_requirement"]
