"""Fleet Management (guide 10): vehicles, usage, fleet facts and savings."""
