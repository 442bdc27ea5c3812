"""Settings split by environment: base (env-driven, safe defaults), dev, test, production."""
