"""Records, the SessionStore, schema and migrations, templates and roster import.

Nothing here imports textual or rich (a test checks it).
"""
