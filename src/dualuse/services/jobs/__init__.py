"""Background work on a job queue in the database: enqueue in the caller's transaction, run by
``dualuse worker`` (``services.jobs.worker``), progress and failures on the job's row."""
