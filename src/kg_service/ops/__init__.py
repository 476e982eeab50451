"""Running machinery with no knowledge of our data: background refreshes, polling a shared
store for changes, and progress lines for long operations.

Imports nothing of ours, so any layer (store included) may use it.
"""
