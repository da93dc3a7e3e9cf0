"""The read-only open-data API (and token-authorised writes), with its OpenAPI schema."""
