"""The arrangement: timeline, transport, playback, stereo view and the decoder switch."""
