"""The engine process: `python -m sketchpad.engine_host` owns torch, the models and the device.

The window starts it and talks to it through `sketchpad.engine_link`; nothing of torch ever runs in
the window's process (see docs/ARCHITECTURE.md, "The engine process", for why).
"""
