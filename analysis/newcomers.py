"""Results of the newcomers part of the study (work in progress: no results registered yet)."""
