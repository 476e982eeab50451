"""The `kg-service` command (`main`) and one module per command group: terms, links,
tokens, backup. The top layer: it may import anything; nothing of ours imports it.
"""
