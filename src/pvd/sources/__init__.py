"""Official datasets: one module per source (contract, parse, report); no Django in parsing."""
