"""Results of the literature part of the study (work in progress: no results registered yet)."""
