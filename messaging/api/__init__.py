"""The messaging app on the REST API, one module per resource, each with its serializers; routed by `urls.py`."""
