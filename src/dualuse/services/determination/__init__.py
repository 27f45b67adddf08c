"""Licence determination: one service every path calls the same way (``service``), the JSON case reader
(``reader``: the case format) and the batch CSV engine (``batch``: the column layout)."""

from dualuse.services.determination.batch import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    PROGRESS_EVERY,
    REQUIRED_COLUMNS,
    BatchDeterminer,
    determine_batch,
)
from dualuse.services.determination.reader import facts_from_dict, item_from_dict
from dualuse.services.determination.service import (
    Answer,
    DeterminationInputs,
    check_codes,
    code_problem,
    determination_text,
    determine_case,
    determine_dict,
    determine_facts,
    inputs_for,
)

__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "PROGRESS_EVERY",
    "REQUIRED_COLUMNS",
    "Answer",
    "BatchDeterminer",
    "DeterminationInputs",
    "check_codes",
    "code_problem",
    "determination_text",
    "determine_batch",
    "determine_case",
    "determine_dict",
    "determine_facts",
    "facts_from_dict",
    "inputs_for",
    "item_from_dict",
]
