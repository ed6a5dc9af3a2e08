"""What other apps may use of the learning library besides its models: the
items anyone may read (the open data publishes them)."""

from __future__ import annotations

from imvo.library.services import learning_items_visible_to

__all__ = ["learning_items_visible_to"]
