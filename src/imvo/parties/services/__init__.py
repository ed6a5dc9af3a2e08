"""The union and NGO workspace: signals (`signals.py`) and the covenant's
production locations in aggregate (`locations.py`)."""
