"""Server-rendered pages: Jinja2 templates calling the same library functions as the CLI."""
