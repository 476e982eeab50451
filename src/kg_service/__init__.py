"""Bioimage knowledge-graph service: SSBD/IDR/BIA metadata as validated, queryable linked data."""

__version__ = "0.1.0"
