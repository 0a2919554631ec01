"""The link between the window and the engine process: framing, messages, arrays, and the client.

Torch-free and Qt-free: the window's process imports this package, never the engine itself. The
protocol is documented in docs/ARCHITECTURE.md ("The engine process").
"""
