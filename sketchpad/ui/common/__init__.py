"""What every area of the window uses: jobs, the engine service, preferences, peaks and the waveform view."""
