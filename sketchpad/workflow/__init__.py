"""Work that belongs to neither the window nor the command line: both call it, so both behave alike.

Above engine, sketch and audio (it may use all three), below ui and cli. Torch-free and Qt-free.
"""
