"""Background work: processing an uploaded supplier list (django.tasks)."""

from __future__ import annotations

from django.tasks import task


@task()
def process_supplier_list(list_id: int) -> str:
    """Validate and match a supplier list; progress is stored on the list itself."""
    from imvo.supplychain.services import process_list

    return process_list(list_id).status
