"""Per-channel record builders: one appeal in, one channel record with its lifecycle out."""
