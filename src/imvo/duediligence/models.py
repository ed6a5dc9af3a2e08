"""Due diligence models."""
