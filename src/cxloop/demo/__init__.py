"""The demo company behind ``cxloop demo``: realistic, multilingual, messy, reproducible data
with planted ground truth that the analyses must recover."""

from cxloop.demo.generator import generate_demo_company
from cxloop.demo.manifest import DemoFile, DemoManifest

__all__ = ["DemoFile", "DemoManifest", "generate_demo_company"]
