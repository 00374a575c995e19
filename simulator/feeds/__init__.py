"""The feed servers: one module per channel, each serving its contract from the store."""
