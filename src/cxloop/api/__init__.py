"""The HTTP API and the web app: FastAPI, built by :func:`create_app`."""

from cxloop.api.app import create_app

__all__ = ["create_app"]
