"""HTTP routes, thin: validate, call the service, return its schema."""
