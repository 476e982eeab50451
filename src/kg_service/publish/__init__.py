"""What the service publishes about records: compact JSON-LD, the Bioschemas view, FAIR
Signposting, RO-Crate and DataCite exports, data-link checks and tombstones.

May import: store, rdf, queries. Knows no HTTP: `api.records` and `api.fair` serve what is
built here. Never imported by ingest, store or validation.
"""
