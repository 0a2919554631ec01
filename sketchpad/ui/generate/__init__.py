"""The idea panel: prompt, model, melody, and generating takes from them."""
