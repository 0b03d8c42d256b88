"""Operations: request ids, structured logs, Prometheus metrics, and the middleware tying them to requests."""

# Read by prometheus_client when it is imported: set, every process writes its metrics to files there.
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
