"""What every layer shares, beneath engine, sketch and audio: durable writes, the gain and pan law,
decibels, resampling, the audio formats, decoder names and model references.

numpy, soxr and the standard library only: no torch, no Qt, and nothing of the layers above.
"""
