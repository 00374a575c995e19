"""Storage locations, the raw landing zone and publishing of the mart."""
