"""The simulation's writes to the store: the planner (``materialize``), the world lock,
shedding and power sharing. Uses ``sim.model`` for every number it writes."""
