"""Reporting models."""
