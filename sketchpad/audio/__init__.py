"""Audio files and devices: import, export, melody preparation, recording and live playback.

No Qt and no torch here: audio travels as float32 numpy arrays shaped [channels, frames].
"""
