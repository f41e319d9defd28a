"""Results as published: the registry of producers, their precision, the pins in results/, and the results cache and the pages' keys (freshness, pagekeys)."""
