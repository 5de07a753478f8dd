"""Development tooling: the embedded services, the launcher behind `make run` and `make test`, the preflight check."""
