"""Supply-chain domain logic: supplier-list uploads, processing, match decisions,
the facility registry, the public production-location list and shared suppliers.

Every function checks who asks (a company sees only its own lists; the
secretariat sees its covenants; the public sees aggregates), so views, the API,
the CLI and the background task behave the same.

Interfaces other apps call (import lazily): `supply_chain_for`,
`public_facility_search`, `organisations_linked_to_facility`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from imvo.accounts import services as roles
from imvo.core.cache import cached
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.registry import disclosure_version_current
from imvo.covenants.models import Covenant, Organisation
from imvo.supplychain import (
    disclosure,
    explain,
    labels,
    matching,
    parsing,
    publication,
    reasons,
    registry_index,
    row_messages,
)
from imvo.supplychain.matching.frame import match_input
from imvo.supplychain.models import (
    Decision,
    DisclosureVersion,
    Facility,
    Match,
    SupplierList,
    SupplierListQuerySet,
    SupplierListRow,
)
from imvo.supplychain.normalise import normalise_address, normalise_name
from imvo.supplychain.public import public_facility_search as public_facility_search
from imvo.supplychain.publication import bump_public_list_version, public_cache_key

log = logging.getLogger(__name__)

CHUNK = 2000  # rows matched between two progress updates
STUCK_AFTER = timedelta(minutes=15)  # a queued/processing job silent this long may be rerun
# At most one progress write per this many seconds while a list is read and checked:
# often enough for the page (it refreshes every 3 s) and to keep `progress_at`
# far inside STUCK_AFTER, rarely enough that writing costs the parse nothing.
PROGRESS_SECONDS = 2.0

# Matches that tie a row to a facility (and so count on the public list).
LINKING = publication.LINKING


# --- who may see and do what ------------------------------------------------------------


def lists_visible_to(user: Any) -> SupplierListQuerySet:
    return SupplierList.objects.visible_to(user).select_related("covenant", "organisation")


member_covenants = disclosure.member_covenants
_require_member = disclosure.require_member


def disclosing_covenants(user: Any) -> QuerySet[Covenant]:
    """Covenants in which the user's organisation may disclose (it sources there)."""
    org_id = roles.organisation_id(user)
    org = Organisation.objects.filter(pk=org_id).first() if org_id else None
    covenants = member_covenants(user)
    if org is None:
        return covenants.none()
    allowed = [c.pk for c in covenants if org.type in publication.sourcing_types(c)]
    return covenants.filter(pk__in=allowed)


def disclosure_refusal(user: Any, covenants: QuerySet[Covenant]) -> str:
    """Why the user's organisation may not upload a supplier list in any of its
    covenants ("" when it may in at least one)."""
    if disclosing_covenants(user).exists():
        return ""
    org_id = roles.organisation_id(user)
    if not org_id or not covenants.exists():
        return ""
    org = Organisation.objects.get(pk=org_id)
    try:
        publication.check_may_disclose(org, covenants[0])
    except PermissionDeniedError as e:
        return str(e)
    return ""


def can_decide(user: Any, supplier_list: SupplierList) -> bool:
    """The company itself decides on its list: confirms or cancels it, maps its
    columns, picks its encoding, runs it again, decides on its matches. The
    secretariat reads it (`lists_visible_to`) but does not change it
    (`disclosure.may_change`)."""
    return disclosure.may_change(user, supplier_list)


def require_decide(user: Any, supplier_list: SupplierList) -> None:
    """Refuse whoever may not change the list (`can_decide`), saying why."""
    disclosure.require_change(user, supplier_list)


# --- upload ----------------------------------------------------------------------------


ADD, REPLACE = "add", "replace"


def upload_list(
    user: Any,
    covenant: Covenant,
    year: int,
    filename: str,
    data: bytes,
    mode: str | None = None,
    confirm: bool = True,
) -> SupplierList:
    """Store a company's supplier list for a covenant and year and queue its processing.

    The file is checked first (size, type, password, zip bomb, empty, header).
    A file that cannot be read is refused with the reason, and kept as received
    (DESIGN.md, "nothing lost"): a list with status `failed`, its reason and the
    original file, outside the disclosure, which the member may run again
    (`run_again` reads it anew) and the secretariat may read. Only an empty file
    and one over the size limit are not kept: nothing to keep, and the bound.
    When the required columns (name, address, country) are not all recognised,
    the list waits for the user to map the columns.

    An upload never silently replaces a disclosure: when the year already has
    one, `mode` must say whether this file is added to it ("add") or replaces
    it ("replace"); without it the upload is refused and nothing is stored.

    With `confirm=False` (the web page; the API with `preview=true`) the list is
    read and checked, then waits in `preview` until the member confirms it
    (`confirm_list`): nothing of the disclosure changes before that.
    """
    org = _require_member(user, covenant)
    return store_list(org, covenant, year, filename, data, user, mode=mode, confirm=confirm)


def store_list(
    org: Organisation,
    covenant: Covenant,
    year: int,
    filename: str,
    data: bytes,
    user: Any = None,
    enqueue_task: bool = True,
    mode: str | None = None,
    confirm: bool = True,
) -> SupplierList:
    """Check and store a list for an organisation (the caller checked permission)."""
    this_year = timezone.now().year
    if not 2000 <= int(year) <= this_year + 1:
        raise DomainError(_("The year must be between 2000 and %(y)s.") % {"y": this_year + 1})
    sl = SupplierList(
        covenant=covenant,
        organisation=org,
        year=int(year),
        original_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=user if getattr(user, "pk", None) else None,
        status=SupplierList.Status.QUEUED,
        adds_to=mode == ADD,
        confirmed=confirm,
    )
    try:
        # Only the head: the checks that refuse a file and the header. The worker
        # parses the whole file, once.
        _read_head(sl, data)
    except DomainError:
        if data and len(data) <= _max_upload_bytes():
            sl.status = SupplierList.Status.FAILED
            _save_with_file(sl, data)
        raise
    if mode not in (None, "", ADD, REPLACE):
        raise DomainError(_("Choose whether the file is added to the disclosure or replaces it."))
    mine = SupplierList.objects.filter(covenant=covenant, organisation=org, year=int(year))
    existing = list(
        (mine.current() | mine.filter(status__in=disclosure.IN_PIPELINE))
        .distinct()
        .values_list("original_name", flat=True)
    )
    if existing and not mode:
        raise DomainError(
            _(
                "Your disclosure for %(year)s already has %(files)s. Choose whether this file "
                "is added to it or replaces it."
            )
            % {"year": year, "files": ", ".join(existing)}
        )
    if not mode:
        # The year's first file: nothing to choose now. Should another file of the
        # year become the disclosure before this one is processed (confirmed at
        # the same time, or while this one waited), this one is added to it: a
        # replacement is made only when the member chose it.
        sl.adds_to = True
    _save_with_file(sl, data)
    if sl.status == SupplierList.Status.QUEUED and enqueue_task:
        enqueue(sl)
    return sl


def years_disclosed(org_id: int | None, covenants: Any) -> list[tuple[Covenant, int, list[str]]]:
    """The covenants and years in which the member already has a disclosure or an
    upload on its way (the files, by name), newest year first: the years where an
    upload must say whether it adds to the disclosure or replaces it
    (`store_list`), shown on the upload form so the choice is clear before the file
    is sent."""
    if org_id is None:
        return []
    mine = SupplierList.objects.filter(organisation_id=org_id, covenant__in=covenants)
    found: dict[tuple[int, int], list[str]] = {}
    for covenant_id, year, name in (
        (mine.current() | mine.filter(status__in=disclosure.IN_PIPELINE))
        .distinct()
        .order_by("-year", "covenant_id", "pk")
        .values_list("covenant_id", "year", "original_name")
    ):
        found.setdefault((covenant_id, year), []).append(name)
    by_id = {c.pk: c for c in covenants}
    return [(by_id[c], year, names) for (c, year), names in found.items()]


def _max_upload_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "IMVO_MAX_UPLOAD_BYTES", parsing.MAX_BYTES))


def _read_head(sl: SupplierList, data: bytes) -> None:
    """Read the head of a list's file onto it: header, column map, row count, and
    `mapping` when a required column was not recognised. A file that cannot be
    read is a DomainError with the reason, also kept on the list (`error`)."""
    try:
        table = parsing.read_table(
            sl.original_name,
            data,
            max_bytes=_max_upload_bytes(),
            head=parsing.HEAD_ROWS,
            encoding=sl.encoding or None,
        )
    except parsing.ParseError as e:
        _record_failure(sl, reasons.FILE, e.reason)
        raise DomainError(str(e)) from e
    mapping = table.column_mapping()
    sl.error, sl.failure = "", {}
    sl.header = table.header
    sl.column_map = dict(mapping.items())
    sl.rows_total = len(table.rows) if table.complete else 0
    if parsing.missing_required(mapping):
        sl.status = SupplierList.Status.MAPPING


def _record_failure(sl: SupplierList, kind: str, reason: reasons.Reason | str) -> None:
    """Keep why the list failed on it (not saved): `failure` to show it in each
    reader's language, `error` in English (the admin, the logs). A reason known only
    as text (a refusal from another step) is kept as that text."""
    if isinstance(reason, str):
        sl.error, sl.failure = reason, {"kind": kind}
        return
    with translation.override("en"):
        sl.error = reason.render()
    sl.failure = reason.stored(kind)


def _save_with_file(sl: SupplierList, data: bytes) -> None:
    # The stored name is ours (safe); the user's name is kept in original_name.
    with transaction.atomic():
        sl.file.save(
            f"{sl.organisation_id}-{sl.year}-{sl.sha256[:16]}.bin", ContentFile(data), save=False
        )
        sl.save()


def _mark_queued(sl: SupplierList, **changes: Any) -> None:
    """Back in the queue from the start: no rows done, and progress now (what
    `is_stuck` counts from), with the step's own `changes`."""
    SupplierList.objects.filter(pk=sl.pk).update(
        status=SupplierList.Status.QUEUED,
        rows_done=0,
        progress_at=timezone.now(),
        step="",
        error="",
        failure={},
        **changes,
    )


def confirm_list(
    user: Any, sl: SupplierList, seen: str | None = None, seen_files: str | None = None
) -> SupplierList:
    """The member confirms the previewed effect: the list is matched and becomes a
    new version of the disclosure (added to it or replacing it, as chosen).

    `seen` is what the preview said the file does ("first", "add", "replace";
    `disclosure.preview`): when the year's disclosure changed since (another
    upload of the year confirmed meanwhile, so a file that was to become the
    disclosure would now replace it), the confirmation is refused and the member
    reads the effect again. `seen_files` (the web page's): the lists the preview's
    effect was computed against (`disclosure.seen_files`); when the disclosure is
    made of others now (another tab replaced or added a file, the effect said
    "replaces a.csv" and would replace b.csv), refused alike. None: no such check
    (`seen`: the benchmark; `seen_files`: the API, which pins the mode)."""
    require_decide(user, sl)
    with transaction.atomic():
        locked = SupplierList.objects.select_for_update().get(pk=sl.pk)
        if locked.status != SupplierList.Status.PREVIEW:
            raise DomainError(_("Only a list waiting for your confirmation can be confirmed."))
        current = disclosure.current_lists_for(
            locked.covenant_id, locked.organisation_id, locked.year
        )
        on_the_way = disclosure.confirmed_on_the_way(locked)
        if (seen is not None and seen != disclosure.preview_mode(locked)) or (
            seen_files is not None and seen_files != disclosure.seen_files(current, on_the_way)
        ):
            files = [c.original_name for c in current] + [
                _("%(file)s (confirmed, still being processed)") % {"file": c.original_name}
                for c in on_the_way
            ]
            raise DomainError(
                _(
                    "Your disclosure for %(year)s changed since this page was shown (now in "
                    "it: %(files)s). Check what this file does to it, choose add or replace, "
                    "and confirm again."
                )
                % {"year": locked.year, "files": ", ".join(files)}
            )
        _mark_queued(sl, confirmed=True)
    enqueue(sl)
    sl.refresh_from_db()
    return sl


def choose_mode(user: Any, sl: SupplierList, mode: str) -> SupplierList:
    """Before confirming, the member changes whether the file is added to the year's
    disclosure or replaces it (the preview then shows the other effect). The same
    choice as on the upload form, made where its effect is shown; it matters only
    when the year has a disclosure."""
    require_decide(user, sl)
    if mode not in (ADD, REPLACE):
        raise DomainError(_("Choose whether the file is added to the disclosure or replaces it."))
    updated = SupplierList.objects.filter(pk=sl.pk, status=SupplierList.Status.PREVIEW).update(
        adds_to=mode == ADD
    )
    if not updated:
        raise DomainError(_("Add or replace can be changed only before you confirm."))
    sl.refresh_from_db()
    return sl


def cancel_list(user: Any, sl: SupplierList) -> SupplierList:
    """The member does not confirm: the upload stays as received (its file and
    rows), outside the disclosure."""
    require_decide(user, sl)
    updated = SupplierList.objects.filter(
        pk=sl.pk, status__in=[SupplierList.Status.PREVIEW, SupplierList.Status.MAPPING]
    ).update(status=SupplierList.Status.CANCELLED)
    if not updated:
        raise DomainError(_("Only a list waiting for your confirmation can be cancelled."))
    sl.refresh_from_db()
    return sl


ENCODINGS = ["utf-8", *parsing.FALLBACK_ENCODINGS, *parsing.OTHER_SCRIPT_ENCODINGS]


def choose_encoding(user: Any, sl: SupplierList, encoding: str) -> SupplierList:
    """Read the file again with the encoding the member picked on the preview."""
    require_decide(user, sl)
    if encoding not in ENCODINGS:
        raise DomainError(_("Choose one of the encodings offered."))
    with transaction.atomic():
        locked = SupplierList.objects.select_for_update().get(pk=sl.pk)
        if locked.status != SupplierList.Status.PREVIEW:
            raise DomainError(_("The encoding can be changed only before you confirm."))
        sl.rows.all().delete()  # read again from the stored file
        _mark_queued(sl, encoding=encoding)
    enqueue(sl)
    sl.refresh_from_db()
    return sl


def set_column_map(user: Any, sl: SupplierList, mapping: dict[str, int | None]) -> SupplierList:
    """Record which column holds which field, then queue processing. Before the member
    confirms (mapping, or the preview: a column read as the wrong field, a city
    column left out), the file is read again with the new map; after, never."""
    require_decide(user, sl)
    if sl.status not in (SupplierList.Status.MAPPING, SupplierList.Status.PREVIEW):
        raise DomainError(_("The columns can be changed only before you confirm."))
    clean: dict[str, int] = {}
    for f, col in mapping.items():
        if f not in parsing.FIELDS or col is None or col == "":
            continue
        col = int(col)
        if not 0 <= col < len(sl.header):
            raise DomainError(_("Column %(c)s does not exist in this file.") % {"c": col + 1})
        if col in clean.values():
            raise DomainError(
                _("The column '%(h)s' is chosen for two fields.") % {"h": sl.header[col]}
            )
        clean[f] = col
    missing = parsing.missing_required(clean)
    if missing:
        raise DomainError(
            _("Choose a column for: %(f)s.")
            % {"f": ", ".join(parsing.FIELD_LABELS[m] for m in missing)}
        )
    with transaction.atomic():
        locked = SupplierList.objects.select_for_update().get(pk=sl.pk)
        if locked.status not in (SupplierList.Status.MAPPING, SupplierList.Status.PREVIEW):
            raise DomainError(_("The columns can be changed only before you confirm."))
        sl.rows.all().delete()  # read again from the stored file, with this map
        _mark_queued(sl, column_map=clean)
    enqueue(sl)
    sl.refresh_from_db()
    return sl


def enqueue(sl: SupplierList) -> None:
    from imvo.supplychain.tasks import process_supplier_list

    process_supplier_list.enqueue(sl.pk)


def is_stuck(sl: SupplierList) -> bool:
    """Queued or processing and silent for longer than STUCK_AFTER: its worker most
    likely died (a task is not taken up again by itself, docs/operations.md), so it
    may be run again. Counted from the job's last progress (`progress_at`, set with
    every `rows_done`), not from its start: a long run that still reports rows is
    never stuck. Lists from before `progress_at` fall back to start or upload."""
    busy = sl.status in (SupplierList.Status.QUEUED, SupplierList.Status.PROCESSING)
    last = sl.progress_at or sl.started or sl.uploaded
    return busy and last <= timezone.now() - STUCK_AFTER


def run_again(user: Any, sl: SupplierList) -> SupplierList:
    """Queue a failed (or stuck) list again. Processing replaces the list's rows,
    so running it twice never duplicates or loses rows."""
    require_decide(user, sl)
    sl.refresh_from_db()
    if sl.status == SupplierList.Status.MAPPING:
        raise DomainError(_("Map the columns first."))
    if sl.status == SupplierList.Status.FAILED and not sl.header:
        _read_again_at_the_door(sl)
        return sl
    # A job that is still running is not started twice; one that has been silent
    # for a long time (a worker that died) may be.
    busy = sl.status in (SupplierList.Status.QUEUED, SupplierList.Status.PROCESSING)
    if busy and not is_stuck(sl):
        raise DomainError(_("This list is being processed; wait for it to finish."))
    _mark_queued(sl)
    enqueue(sl)
    sl.refresh_from_db()
    return sl


def _read_again_at_the_door(sl: SupplierList) -> None:
    """A file refused at upload (kept as received) is read again as at upload: still
    unreadable, the reason is updated and said; readable now (a newer reader, a
    picked encoding), it goes on as a fresh upload would, to mapping or the queue."""
    with sl.file.open("rb") as fh:
        data = fh.read()
    sl.status = SupplierList.Status.QUEUED
    # It was refused before the add-or-replace question was asked: whatever it
    # does to the disclosure waits for the member's confirmation of the preview.
    sl.confirmed = False
    try:
        _read_head(sl, data)
    except DomainError:
        SupplierList.objects.filter(pk=sl.pk).update(error=sl.error, failure=sl.failure)
        raise
    sl.rows_done = 0
    sl.progress_at = timezone.now()
    sl.save(
        update_fields=[
            "error",
            "failure",
            "header",
            "column_map",
            "rows_total",
            "status",
            "rows_done",
            "progress_at",
            "confirmed",
        ]
    )
    if sl.status == SupplierList.Status.QUEUED:
        enqueue(sl)


# --- processing ------------------------------------------------------------------------


def resolve_facility_id(facility_id: int) -> int:
    """The surviving facility id for a possibly merged one."""
    seen = set()
    current = facility_id
    while current not in seen:
        seen.add(current)
        nxt = Facility.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        if not nxt:
            return current
        current = nxt
    return current


def process_list(list_id: int) -> SupplierList:
    """Validate and match every row of a supplier list (the background job).

    Idempotent: the list's rows and matches are replaced in one transaction, so
    rerunning a failed or interrupted job neither duplicates nor loses rows.
    A failure leaves the list `failed` with a reason the user can read.
    """
    sl = SupplierList.objects.select_related("organisation").get(pk=list_id)
    SupplierList.objects.filter(pk=sl.pk).update(
        status=SupplierList.Status.PROCESSING,
        started=timezone.now(),
        progress_at=timezone.now(),
        rows_done=0,
        step=SupplierList.Step.READING,
        error="",
        failure={},
    )
    try:
        _process(sl)
    except parsing.ParseError as e:  # the file's fault: the member sends another
        _fail(sl, reasons.FILE, e.reason)
    except _Fault as e:
        _fail(sl, reasons.PROCESSING, e.reason)
    except DomainError as e:
        _fail(sl, reasons.PROCESSING, str(e))
    except Exception as e:
        log.exception("processing supplier list %s failed", sl.pk)
        _fail(
            sl,
            reasons.PROCESSING,
            reasons.Reason(
                gettext_noop(
                    "Processing stopped on an unexpected error (%(e)s). Run it again; if it "
                    "fails again, contact the secretariat."
                ),
                {"e": type(e).__name__},
            ),
        )
    sl.refresh_from_db()
    return sl


class _Fault(Exception):
    """Processing cannot go on, for a reason the platform knows (`reason`)."""

    def __init__(self, reason: reasons.Reason) -> None:
        super().__init__(reason.text)
        self.reason = reason


def _fail(sl: SupplierList, kind: str, reason: reasons.Reason | str) -> None:
    _record_failure(sl, kind, reason)
    SupplierList.objects.filter(pk=sl.pk).update(
        status=SupplierList.Status.FAILED,
        error=sl.error,
        failure=sl.failure,
        finished=timezone.now(),
    )


def _process(sl: SupplierList) -> None:
    """The staged pipeline. The file is parsed once: rows are read (parsed) and
    checked (validated) and stored; an unconfirmed list stops there and waits in
    `preview`. A confirmed one is matched from its stored rows (matched) and
    becomes a version of the disclosure (published)."""
    with sl.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != sl.sha256:
        raise _Fault(
            reasons.Reason(
                gettext_noop("The stored file no longer matches its checksum; upload it again.")
            )
        )
    if not sl.rows.exists():
        _read_and_check(sl, data)
    sl.refresh_from_db()
    if not sl.confirmed:
        SupplierList.objects.filter(pk=sl.pk).update(
            status=SupplierList.Status.PREVIEW, finished=timezone.now()
        )
        return
    _match_and_disclose(sl)


def _report_progress(list_id: int, step: str, done: int, total: int | None = None) -> None:
    """Write down what a running job is doing: its step, the rows done in it (and
    their total when known), and that it is alive now (`progress_at`, what
    `is_stuck` counts from)."""
    fields: dict[str, Any] = {"step": step, "rows_done": done, "progress_at": timezone.now()}
    if total is not None:
        fields["rows_total"] = total
    SupplierList.objects.filter(pk=list_id).update(**fields)


class _Progress:
    """The `progress` callback of the reader and the row checks for one step: says
    the step has begun, then writes the rows done at most every PROGRESS_SECONDS,
    so a long parse shows its rows on the list page and is never taken for stuck."""

    def __init__(self, sl: SupplierList, step: str, total: int | None = None) -> None:
        self.list_id, self.step, self.total = sl.pk, step, total
        self.last = time.monotonic()
        _report_progress(self.list_id, step, 0, total)

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            self.last = now
            _report_progress(self.list_id, self.step, done, self.total)


def _read_and_check(sl: SupplierList, data: bytes) -> None:
    """Stages parsed and validated: one read of the stored file, every row kept.
    Both report their rows as they go (`_Progress`)."""
    table = parsing.read_table(
        sl.original_name,
        data,
        max_bytes=max(len(data), parsing.MAX_BYTES),
        encoding=sl.encoding or None,
        progress=_Progress(sl, SupplierList.Step.READING),
    )
    mapping = {f: int(i) for f, i in sl.column_map.items()}
    checking = _Progress(sl, SupplierList.Step.CHECKING, total=len(table.rows))
    results = parsing.validate_rows(table, mapping, progress=checking)
    checking(len(results))
    rows = [_row_from(sl, r) for r in results]
    with transaction.atomic():
        sl.rows.all().delete()
        SupplierListRow.objects.bulk_create(rows, batch_size=1000)
        summary = dict(sl.summary or {})
        summary["encoding"] = table.encoding
        summary["sheet"] = table.sheet
        summary["hidden_sheets"] = table.hidden_sheets
        summary["other_lists"] = table.other_lists
        SupplierList.objects.filter(pk=sl.pk).update(
            rows_total=len(results), rows_done=0, progress_at=timezone.now(), summary=summary
        )


def _row_from(sl: SupplierList, r: parsing.RowResult) -> SupplierListRow:
    v = r.values
    return SupplierListRow(
        supplier_list=sl,
        number=r.number,
        raw=r.raw,
        name=(v.get("name") or "")[:500],
        address=(v.get("address") or "")[:1000],
        country=v.get("country_code") or "",
        country_raw=(v.get("country") or "")[:200],
        sector=(v.get("sector") or "")[:200],
        product=(v.get("product") or "")[:200],
        tier=(v.get("tier") or "")[:100],
        workers=v.get("workers"),
        lat=v.get("lat"),
        lng=v.get("lng"),
        identifier=(v.get("identifier") or "")[:200],
        name_norm=normalise_name(v.get("name"))[:500],
        address_norm=normalise_address(v.get("address"))[:1000],
        status=(
            SupplierListRow.Status.VALID
            if r.valid
            else SupplierListRow.Status.DUPLICATE
            if r.duplicate_of
            else SupplierListRow.Status.INVALID
        ),
        stage=SupplierListRow.Stage.VALIDATED,
        errors=[list(e) for e in r.errors],
        warnings=[list(w) for w in r.warnings],
        duplicate_of=r.duplicate_of,
    )


def _match_and_disclose(sl: SupplierList) -> None:
    """Stages matched and published, from the stored rows (no second parse)."""
    total = sl.rows.count()
    valid = list(
        sl.rows.filter(status=SupplierListRow.Status.VALID)
        .order_by("number")
        .only(
            "id",
            "number",
            "name",
            "address",
            "country",
            "sector",
            "lat",
            "lng",
            "name_norm",
            "address_norm",
        )
    )
    # Prepared once and kept on disk; brought up to date with new facilities here.
    registry = registry_index.current_registry(matching.current_model())
    decisions = {
        d.fingerprint: d
        for d in Decision.objects.filter(organisation=sl.organisation).select_related("facility")
    }
    outcome: list[tuple[SupplierListRow, matching.MatchResult]] = []
    done = total - len(valid)
    _report_progress(sl.pk, SupplierList.Step.MATCHING, done, total)
    # The operator level reads the whole list (its operator names and places), not
    # the chunk: a long list decides as `imvo match` decides on the same file.
    context = matching.list_context(
        match_input((r.name, r.address, r.country, r.lat, r.lng) for r in valid)
    )
    for start in range(0, len(valid), CHUNK):
        chunk = valid[start : start + CHUNK]
        frame = match_input((r.name, r.address, r.country, r.lat, r.lng) for r in chunk)
        outcome.extend(
            zip(chunk, matching.match_frame(registry, frame, context=context), strict=True)
        )
        done += len(chunk)
        _report_progress(sl.pk, SupplierList.Step.MATCHING, done)

    with transaction.atomic():
        Match.objects.filter(row__supplier_list=sl).delete()  # a rerun replaces an earlier run
        matches = []
        new_rows = []
        for row, m in outcome:
            match = _match_for(row, m, decisions.get(row.fingerprint))
            if match.status == Match.Status.NEW and match.facility_id is None:
                new_rows.append((match, row))
            matches.append(match)
        created = Facility.objects.bulk_create(
            [_facility_from(row) for _, row in new_rows], batch_size=1000
        )
        for (match, _row), facility in zip(new_rows, created, strict=True):
            match.facility = facility
        Match.objects.bulk_create(matches, batch_size=1000)
        sl.rows.filter(status=SupplierListRow.Status.VALID).update(
            stage=SupplierListRow.Stage.MATCHED
        )
        counts = {**(sl.summary or {}), **_summary(sl)}
        SupplierList.objects.filter(pk=sl.pk).update(
            status=SupplierList.Status.DONE,
            rows_done=total,
            progress_at=timezone.now(),
            summary=counts,
            finished=timezone.now(),
        )
        # A new version of the disclosure: this list added to the current ones,
        # or replacing them, as the member chose. Its rows reach "published".
        # A list run again that is in a version already changes no version.
        if sl.versions.exists():
            sl.rows.filter(
                stage=SupplierListRow.Stage.MATCHED, supplier_list__versions__is_current=True
            ).update(stage=SupplierListRow.Stage.PUBLISHED)
            transaction.on_commit(bump_public_list_version)
            # Its rows were written again (new ids): the versions holding it are scanned again.
            sl.versions.update(risk_scan=None)
            for version_id in sl.versions.filter(is_current=True).values_list("pk", flat=True):
                transaction.on_commit(partial(disclosure_version_current, version_id))
            return
        disclosure.do_record_version(
            sl.covenant_id,
            sl.organisation_id,
            sl.year,
            DisclosureVersion.Change.ADD if sl.adds_to else DisclosureVersion.Change.REPLACE,
            lambda current: disclosure.lists_after(sl, current),
            sl.uploaded_by,
        )


def _new_facility(row: SupplierListRow) -> Facility:
    facility = _facility_from(row)
    facility.save()
    return facility


def _facility_from(row: SupplierListRow) -> Facility:
    return Facility(
        name=row.name,
        address=row.address,
        country=row.country,
        sector=row.sector,
        lat=row.lat,
        lng=row.lng,
        name_norm=row.name_norm,
        address_norm=row.address_norm,
    )


def _match_for(row: SupplierListRow, m: matching.MatchResult, decision: Decision | None) -> Match:
    candidates = [[int(fid), score] for fid, score in m.candidates]
    match = Match(
        row=row, score=m.score, candidates=candidates, status=m.status, explanation=m.explanation
    )
    if decision is not None:
        # The same row as in an earlier list: reuse the person's decision.
        rejected = set(decision.rejected_facility_ids)
        if decision.facility_id and decision.status in (Match.Status.CONFIRMED, Match.Status.NEW):
            match.facility_id = resolve_facility_id(decision.facility_id)
            match.status = Match.Status.CONFIRMED
            match.remembered = True
            return match
        if rejected:
            kept = [c for c in m.scored if c.facility_id not in rejected]
            m = matching.decide(kept, matching.current_model())
            match.candidates = [[int(fid), s] for fid, s in m.candidates]
            match.status, match.score, match.explanation = m.status, m.score, m.explanation
            match.remembered = True
            if not kept or m.facility_id is None:
                match.status = Match.Status.REJECTED if decision.status == "rejected" else m.status
    if match.status == matching.AUTOMATIC and m.facility_id is not None:
        match.facility_id = int(m.facility_id)
    # NEW: the caller creates the facilities in bulk.
    return match


def _summary(sl: SupplierList) -> dict[str, Any]:
    rows = sl.rows.values("status").annotate(n=Count("id"))
    by_row = {r["status"]: r["n"] for r in rows}
    by_match = {
        r["status"]: r["n"]
        for r in Match.objects.filter(row__supplier_list=sl)
        .values("status")
        .annotate(n=Count("id"))
    }
    return {
        "received": sum(by_row.values()),
        "valid": by_row.get("valid", 0),
        "rejected": by_row.get("invalid", 0),
        "duplicates": by_row.get("duplicate", 0),
        "automatic": by_match.get("automatic", 0),
        "confirmed": by_match.get("confirmed", 0),
        "pending": by_match.get("pending", 0),
        "new": by_match.get("new", 0),
        "unlinked": by_match.get("rejected", 0),
    }


def stage_counts(sl: SupplierList) -> list[tuple[str, str, int]]:
    """How many of the list's rows reached each stage: (stage, label, rows)."""
    return stage_counts_for([sl.pk]).get(sl.pk, _reached({}))


def stage_counts_for(list_ids: list[int]) -> dict[int, list[tuple[str, str, int]]]:
    """Stage counts of several lists in one query (the lists page)."""
    raw: dict[int, dict[str, int]] = defaultdict(dict)
    for g in (
        SupplierListRow.objects.filter(supplier_list_id__in=list_ids)
        .values("supplier_list_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    ):
        raw[g["supplier_list_id"]][g["stage"]] = g["n"]
    return {list_id: _reached(by_stage) for list_id, by_stage in raw.items()}


def _reached(by_stage: dict[str, int]) -> list[tuple[str, str, int]]:
    order = list(SupplierListRow.Stage)
    return [
        (stage.value, str(stage.label), sum(by_stage.get(s.value, 0) for s in order[i:]))
        for i, stage in enumerate(order)
    ]


# --- decisions -------------------------------------------------------------------------


def decide_match(user: Any, match: Match, action: str, facility_id: int | None = None) -> Match:
    """Resolve an uncertain match: 'confirm' a candidate facility, 'reject' the
    candidates, or declare a 'new' facility. The decision is remembered for the
    same row in the organisation's later lists."""
    sl = match.row.supplier_list
    require_decide(user, sl)
    if not sl.is_current:
        raise DomainError(_("This list has been replaced by a newer upload; decide there."))
    row = match.row
    rejected: list[int] = []
    with transaction.atomic():
        if action == "confirm":
            ids = [int(c[0]) for c in match.candidates]
            if facility_id is None or int(facility_id) not in ids:
                raise DomainError(_("Choose one of the proposed facilities."))
            match.facility_id = resolve_facility_id(int(facility_id))
            match.status = Match.Status.CONFIRMED
        elif action == "reject":
            rejected = [int(c[0]) for c in match.candidates]
            match.facility = None
            match.status = Match.Status.REJECTED
        elif action == "new":
            rejected = [int(c[0]) for c in match.candidates]
            match.facility = _new_facility(row)
            match.status = Match.Status.NEW
        else:
            raise DomainError(_("Unknown decision '%(a)s'.") % {"a": action})
        match.decided_by = user
        match.decided = timezone.now()
        match.save()
        Decision.objects.update_or_create(
            organisation_id=sl.organisation_id,
            fingerprint=row.fingerprint,
            defaults={
                "status": match.status,
                "facility": match.facility,
                "rejected_facility_ids": rejected,
                "decided_by": user,
                "decided": match.decided,
            },
        )
        # What the person said about the candidates they saw teaches the matcher.
        labels.record_decision(match, facility_id if action == "confirm" else None, user)
        SupplierList.objects.filter(pk=sl.pk).update(summary={**sl.summary, **_summary(sl)})
    return match


def merge_facilities(user: Any, keep: Facility, duplicate: Facility) -> Facility:
    """Merge a duplicate into the facility that stays. The duplicate's id stays
    resolvable (it points to the survivor); matches and decisions move over."""
    if not (roles.is_platform_admin(user) or roles.is_secretariat(user)):
        raise PermissionDeniedError(_("Only the secretariat can merge facilities."))
    if keep.pk == duplicate.pk or keep.merged_into_id:
        raise DomainError(_("Choose two different facilities; the one kept may not be merged."))
    with transaction.atomic():
        aliases = set(keep.aliases) | {duplicate.name, *duplicate.aliases}
        aliases.discard(keep.name)
        keep.aliases = sorted(aliases)
        keep.save(update_fields=["aliases"])
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into"])
        Facility.objects.filter(merged_into=duplicate).update(merged_into=keep)
        Match.objects.filter(facility=duplicate).update(facility=keep)
        Decision.objects.filter(facility=duplicate).update(facility=keep)
    return keep


# --- exports of a company's own list ----------------------------------------------------

# The row's own columns as the company gave them (normalised), in the export's
# order: the header and each line read this one list, so they stay in step.
ROW_COLUMNS = ("name", "address", "country", "sector", "product", "tier", "workers")
PROCESSED_HEADER = [
    "row",
    "status",
    "match_status",
    "facility_id",
    "score",
    *ROW_COLUMNS,
    "errors",
    "why",  # the matcher's reasons (explain.plain_text)
]


def processed_rows(sl: SupplierList) -> list[list[Any]]:
    out = []
    for row in sl.rows.select_related("match", "match__facility").order_by("number"):
        m = getattr(row, "match", None)
        out.append(
            [
                row.number,
                row.status,
                m.status if m else "",
                m.facility_id if m and m.links else None,
                m.score if m else None,
                *(getattr(row, column) for column in ROW_COLUMNS),
                "; ".join(f"{c}: {msg}" for c, msg in row.errors)
                + (f"same as row {row.duplicate_of}" if row.duplicate_of else ""),
                explain.plain_text(m),
            ]
        )
    return out


def error_report(sl: SupplierList) -> tuple[list[str], list[list[Any]]]:
    """Rejected and duplicate rows with their original columns and the reasons:
    fix them in this file and upload it again. The reasons are in the active
    language (the person who fixes the file reads them); the header stays."""
    header = ["row", "column", "problem", *sl.header]
    out = []
    for row in sl.rows.exclude(status=SupplierListRow.Status.VALID).order_by("number"):
        problems = [(c, row_messages.in_language(m)) for c, m in row.errors] or [
            ("", _("the same facility as row %(n)s") % {"n": row.duplicate_of})
        ]
        for column, message in problems:
            out.append([row.number, column, message, *[row.raw.get(h, "") for h in sl.header]])
    return header, out


# --- public list and shared suppliers ----------------------------------------------------


def _current_links(covenant: Covenant, year: int | None = None) -> QuerySet[Match]:
    return publication.current_links(covenant, year)


def years_with_lists(covenant: Covenant) -> list[int]:
    """Years with a processed list, newest first. Cached under the public-list
    version (a processed list starts a new one): every public page asks."""
    return cached(
        public_cache_key(covenant, None, "years"),
        lambda: sorted(
            set(
                SupplierList.objects.filter(
                    covenant=covenant, status=SupplierList.Status.DONE
                ).values_list("year", flat=True)
            ),
            reverse=True,
        ),
    )


def shared_for_member(
    user: Any, covenant: Covenant, year: int | None = None
) -> list[dict[str, Any]]:
    """The member's facilities in a covenant with how many *other* members source
    there (never who), as `publication.others_figure` shows it: "0", "1 to K-2"
    below K, the number from K on; sorted by that figure, then name. None (withheld)
    while fewer than K members (the publication rule's K) disclosed in the year: a
    member can put any factory on its own list, and with one other discloser even
    "some" would say, a factory at a time, which are on that member's list."""
    org = roles.organisation_id(user)
    if not org:
        raise PermissionDeniedError(_("Only a member organisation has its own facilities."))
    links = _current_links(covenant, year)
    mine = set(
        links.filter(row__supplier_list__organisation_id=org).values_list("facility_id", flat=True)
    )
    disclosing = set(links.values_list("row__supplier_list__organisation_id", flat=True).distinct())
    k = publication.policy_for(covenant).min_members
    shown = len(disclosing) >= k
    others: dict[int, set[int]] = defaultdict(set)
    if shown:
        for fid, o in links.filter(facility_id__in=mine).values_list(
            "facility_id", "row__supplier_list__organisation_id"
        ):
            if o != org:
                others[fid].add(o)
    facilities = Facility.objects.in_bulk(list(mine))
    counted = {fid: len(others.get(fid, ())) for fid in mine}
    out: list[dict[str, Any]] = [
        {
            **_facility_fields(facilities[fid]),
            "others": publication.others_figure(counted[fid], k) if shown else None,
        }
        for fid in sorted(
            mine,
            key=lambda f: (-publication.others_rank(counted[f], k), facilities[f].name, f),
        )
    ]
    return out


def _facility_fields(facility: Facility) -> dict[str, Any]:
    """What the shared-facility pages show of a facility."""
    return {
        "id": facility.pk,
        "name": facility.name,
        "country": facility.country,
        "address": facility.address,
    }


def overlap_for_secretariat(
    user: Any, covenant: Covenant, year: int | None = None
) -> list[dict[str, Any]]:
    """Facilities shared by two or more members of the covenant, and which members:
    the secretariat organises joint action with this (confidential)."""
    if not roles.is_secretariat(user, covenant):
        raise PermissionDeniedError(_("Only the covenant's secretariat sees the overlap."))
    members: dict[int, set[str]] = defaultdict(set)
    for fid, name in _current_links(covenant, year).values_list(
        "facility_id", "row__supplier_list__organisation__name"
    ):
        members[fid].add(name)
    shared = {fid: names for fid, names in members.items() if len(names) > 1}
    facilities = Facility.objects.in_bulk(list(shared))
    out: list[dict[str, Any]] = [
        {**_facility_fields(facilities[fid]), "members": sorted(names)}
        for fid, names in shared.items()
    ]
    out.sort(key=lambda d: (-len(d["members"]), d["name"]))
    return out


# --- interfaces for other apps -------------------------------------------------------------


def _latest_current_lists(
    organisation: Organisation, covenant: Covenant | None, year: int | None
) -> QuerySet[SupplierList]:
    """The processed lists in the organisation's current disclosures of the given
    year, or of the most recent year with one (none when it has disclosed nothing)."""
    lists = SupplierList.objects.current().filter(
        organisation=organisation, status=SupplierList.Status.DONE
    )
    if covenant is not None:
        lists = lists.filter(covenant=covenant)
    if year is not None:
        lists = lists.filter(year=year)
    latest = lists.order_by("-year", "-uploaded").first()
    if latest is None:
        return SupplierList.objects.none()
    return lists.filter(year=latest.year)


def _valid_rows(lists: QuerySet[SupplierList]) -> QuerySet[SupplierListRow]:
    return (
        SupplierListRow.objects.filter(supplier_list__in=lists, status=SupplierListRow.Status.VALID)
        .select_related("match", "supplier_list")
        .order_by("supplier_list_id", "number")
    )


def _row_dict(r: SupplierListRow) -> dict[str, Any]:
    m = getattr(r, "match", None)
    return {
        "row_id": r.pk,
        "facility_id": m.facility_id if m is not None and m.links else None,
        "name": r.name,
        "address": r.address,
        "country": r.country,
        "sector": r.sector,
        "product": r.product,
        "workers": r.workers,
        "year": r.supplier_list.year,
    }


def _valid_rows_of(lists: QuerySet[SupplierList]) -> list[dict[str, Any]]:
    return [_row_dict(r) for r in _valid_rows(lists)]


def supply_chain_for(
    organisation: Organisation, covenant: Covenant | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """The organisation's latest processed supplier list rows (valid rows only).

    Latest: the current list of the given year, or of the most recent year with a
    processed list. Keys: row_id, facility_id (int|None), name, address, country
    (ISO alpha-2), sector, product, workers (int|None), year.
    """
    return _valid_rows_of(_latest_current_lists(organisation, covenant, year))


def supply_chains_for(
    organisation_ids: Iterable[int], covenant: Covenant | None = None
) -> dict[int, list[dict[str, Any]]]:
    """`supply_chain_for` of many organisations in two queries however many:
    organisation id -> its rows (an organisation with no processed list is left out)."""
    lists = SupplierList.objects.current().filter(
        organisation_id__in=list(organisation_ids), status=SupplierList.Status.DONE
    )
    if covenant is not None:
        lists = lists.filter(covenant=covenant)
    latest: dict[int, int] = {}
    for org, year in lists.values_list("organisation_id", "year"):
        latest[org] = max(year, latest.get(org, year))
    out: dict[int, list[dict[str, Any]]] = {org: [] for org in latest}
    if not latest:
        return out
    chosen = Q()
    for org, year in latest.items():
        chosen |= Q(organisation_id=org, year=year)
    for r in _valid_rows(lists.filter(chosen)):
        out[r.supplier_list.organisation_id].append(_row_dict(r))
    return out


def current_versions_for(
    organisation: Organisation, covenant: Covenant | None = None, year: int | None = None
) -> list[int]:
    """The ids of the current disclosure versions `supply_chain_for` reads its rows from
    (one per covenant the organisation disclosed in that year)."""
    lists = _latest_current_lists(organisation, covenant, year)
    return sorted(
        set(
            DisclosureVersion.objects.filter(is_current=True, lists__in=lists).values_list(
                "pk", flat=True
            )
        )
    )


def current_versions_by_organisation(
    organisation_ids: Iterable[int], covenant: Covenant | None = None
) -> dict[int, list[int]]:
    """`current_versions_for` of many organisations in one query: organisation id ->
    its current version ids of its most recent year (an organisation that disclosed
    nothing is left out)."""
    lists = SupplierList.objects.current().filter(
        organisation_id__in=list(organisation_ids), status=SupplierList.Status.DONE
    )
    if covenant is not None:
        lists = lists.filter(covenant=covenant)
    found = lists.values_list("organisation_id", "year", "versions__pk", "versions__is_current")
    rows = [(org, year, pk) for org, year, pk, current in found if current]
    latest: dict[int, int] = {}
    for org, year, _pk in rows:
        latest[org] = max(year, latest.get(org, year))
    out: dict[int, set[int]] = {org: set() for org in latest}
    for org, year, pk in rows:
        if year == latest[org]:
            out[org].add(pk)
    return {org: sorted(pks) for org, pks in out.items()}


def version_rows(version_id: int) -> list[dict[str, Any]]:
    """The valid rows of the lists one disclosure version is made of (same keys as
    `supply_chain_for`)."""
    return _valid_rows_of(
        SupplierList.objects.filter(versions=version_id, status=SupplierList.Status.DONE)
    )


def organisations_linked_to_facility(facility_id: int) -> list[Organisation]:
    """Member organisations whose current supplier list links to the facility
    (following merges). Confidential: for secretariat-side code only, e.g. to pass
    on a complaint about a production location."""
    fid = resolve_facility_id(facility_id)
    ids = set(
        Match.objects.filter(
            facility_id=fid,
            status__in=LINKING,
            row__supplier_list__in=SupplierList.objects.current().filter(
                status=SupplierList.Status.DONE
            ),
        ).values_list("row__supplier_list__organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
