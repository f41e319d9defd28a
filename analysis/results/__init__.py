"""Results as published: the registry of producers, their precision, the pins in results/ and the fingerprints that key every cache."""
