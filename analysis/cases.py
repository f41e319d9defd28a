"""Results of the cases part of the study (work in progress: no results registered yet)."""
