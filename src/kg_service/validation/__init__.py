"""SHACL validation of a submission's own graph plus the ontology slice it needs, with
findings located in the source and suggested fixes.

May import: ingest (source maps), terms.index, rdf, findings, normalize, paths. Never imports
the store (the small graph is validated before anything is stored) or anything of HTTP.
"""
