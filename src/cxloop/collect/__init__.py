"""Collect: file imports, the event collector, surveys and the tracking plan."""
