"""The running sandbox: configuration, state and simulation of the current generation, and reset."""

from __future__ import annotations

import random
import time

from sandbox.config import SandboxConfig
from sandbox.lifecycle import Simulation
from sandbox.state import Store


class Sandbox:
    """Holds the live config, the `Store` and the `Simulation`; a reset swaps in fresh ones."""

    def __init__(self, config: SandboxConfig) -> None:
        self.startup_config = config.copy()
        self.config = config
        self.started_at = time.time()
        self.in_flight: dict[str, int] = {}  # account SID -> API requests of this generation being served
        self.store = self._new_store(config.seed)
        self.simulation = Simulation(self.store, self.config)

    def _new_store(self, seed: int | None) -> Store:
        rng = random.Random(seed)
        return Store(rng, self.config.account_sid, self.config.auth_token)

    async def reset(self, *, seed: int | None = None, keep_config: bool = False) -> None:
        """Forget every account, sender, message and opt-out; restore the startup config unless kept.

        API requests still in flight belong to the old generation: they are answered without touching the new
        store (`web_common._limited`) and keep counting only in the old generation's `in_flight`.
        """
        await self.simulation.close()
        if not keep_config:
            self.config.__dict__.update(self.startup_config.copy().__dict__)
        self.store = self._new_store(seed if seed is not None else self.startup_config.seed)
        self.simulation = Simulation(self.store, self.config)
        self.in_flight = {}

    async def close(self) -> None:
        """Stop lanes, timers and webhooks."""
        await self.simulation.close()
