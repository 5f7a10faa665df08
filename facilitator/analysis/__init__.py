"""Pure functions over session data: tallies, equity, network metrics, grouping.

Nothing here imports textual or rich (a test checks it).
"""
