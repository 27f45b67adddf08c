"""Background work on a job queue in the database: enqueue in the caller's transaction, run by
``dualuse worker`` (``queue.work``), progress and failures on the job's row. The kinds of job
(``kinds.job_handlers``): re-screening after a list import (``rescreen``), the daily deadline reminders
(``reminders``) and the delivery of outgoing documents through registered channels (``outgoing``)."""
