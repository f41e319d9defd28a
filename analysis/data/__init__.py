"""The data layer: the codebook, checks of every data file against it, loading, the stand-in generator and the data package."""
