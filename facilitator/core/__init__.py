"""The core: "read, compute, write" orchestration that both front ends call.

The CLI (facilitator/commands) and the screens call these functions; they are the
only layer that uses both models/ (the store, records) and analysis/ (pure
computations on records). Nothing here imports textual or rich."""
