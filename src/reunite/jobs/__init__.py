"""Long work as database-backed jobs: queued, run by a worker, progress visible, crash-safe."""
