"""The platform API (`/api/platform/`) for the ISV's own automation, on the public host."""
