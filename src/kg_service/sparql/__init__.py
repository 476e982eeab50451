"""The public SPARQL service: policy guard, lookup fast path, time-limited worker processes,
result cache, store snapshots for the workers, VoID and the published example queries.

May import: store, ops, config, paths. Knows no HTTP: `api.sparql` speaks the protocol and
calls `service.SparqlService`. Never imported by store, ingest, rdf or validation.
"""
