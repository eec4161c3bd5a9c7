"""Interview writes, split by concern: planning, the state machine, evaluation, completion."""
