"""The simulated fleet: pure, seeded session plans and meter readings (no wall clock)."""
