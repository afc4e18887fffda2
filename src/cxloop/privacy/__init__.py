"""Privacy requests and retention: erase a person, export their data, show their consent
history, and delete rows older than the project's retention policies."""
