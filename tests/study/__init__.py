"""Tests of the study parts."""
