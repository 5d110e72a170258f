"""Each person's start page: what waits for them, from each domain's own figures."""
