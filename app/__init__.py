"""examgrader's HTTP service and command line."""
