"""The study: one module per part (reference data, literature, survey and typology, case studies, newcomers, synthesis); each computes results from data and registers them."""
