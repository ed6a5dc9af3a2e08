"""IMVO Covenant Platform: the system IMVO covenants run on."""
