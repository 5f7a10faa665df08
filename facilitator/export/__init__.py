"""Writers that turn a session into files for other tools (CSV first).

Nothing here imports textual or rich (a test checks it).
"""
