"""Tenant UI pages of the messaging app, one module per page area; routed by `messaging/urls.py`."""
