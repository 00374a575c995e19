"""The simulated district: places, people, problems, and the day-by-day generator."""
