"""`facilitator host`: an SSH server that serves the app on one session and nothing else.

The layer above the app: each connection gets its own `facilitator open` process on a
pseudo-terminal of its own (see server.py); the app never knows it is served."""
