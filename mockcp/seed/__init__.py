"""Building worlds: the hand-written fixtures and the seeded demo builder (faker lives here)."""
