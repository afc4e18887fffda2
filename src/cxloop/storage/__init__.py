"""The warehouse: the only code that opens connections and runs queries."""

from cxloop.storage.warehouse import AppendResult, Warehouse, open_warehouse

__all__ = ["AppendResult", "Warehouse", "open_warehouse"]
