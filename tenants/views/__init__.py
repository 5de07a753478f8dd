"""Tenant UI pages of the tenants app, one module per page area; routed by `tenants/urls.py`."""
