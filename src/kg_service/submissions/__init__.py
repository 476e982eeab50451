"""Submissions: upload limits, bearer tokens, and the PROV history of each accepted version.

May import: store (history is written beside the project graphs). Knows no HTTP: the
routes live in `api.submissions`; `pipeline` sequences a submission end to end.
"""
