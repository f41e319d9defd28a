"""Results of the survey part of the study (work in progress: no results registered yet)."""
