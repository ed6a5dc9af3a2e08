"""Supply chain models."""
