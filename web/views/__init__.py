"""One blueprint per page: home, results, article, and the JSON api (with /healthz)."""
