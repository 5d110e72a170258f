"""Match review: the engine's candidates stored per pair, and people's decisions on them."""
