"""Console commands of the access app: `canbo token …`, `canbo grant …`."""
