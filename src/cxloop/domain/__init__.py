"""Plain models of the nouns cxloop works with, one module per noun."""
