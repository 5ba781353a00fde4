"""Station Information and Management (guide 7.1-7.2): searches, live status, heartbeat, faults."""
