"""The takes list and the selected take's waveform."""
