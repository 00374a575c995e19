"""One module per channel, named by its channel key."""
