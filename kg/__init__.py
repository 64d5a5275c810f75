"""kg: turn batches of news articles into a knowledge graph of who endorses,
funds and attacks whom, with the sentence that says so."""

__version__ = "0.1.0"
