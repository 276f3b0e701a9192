"""The network's tables, one module per feature (directory, practices, events)."""
