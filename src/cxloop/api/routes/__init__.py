"""One module per resource; each route declares the role it needs (or that it is public)."""
