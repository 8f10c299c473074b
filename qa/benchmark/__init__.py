"""Speed benchmark: our pipeline side by side with the bare models and llama.cpp (`python -m qa bench`)."""
