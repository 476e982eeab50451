"""Ontology terms: the in-memory index (labels, synonyms, hierarchy), building the shipped
term files, loading them into the store, and the OWL consistency check.

`index` and `build` import only `paths`, so readers and validation may use them; `ops`
writes term graphs and so imports the store. Knows no HTTP.
"""
