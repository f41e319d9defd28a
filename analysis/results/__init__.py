"""Results as published: the registry of producers, their precision, the pins in results/, and the keys of every cache (codekeys, freshness, pagekeys)."""
