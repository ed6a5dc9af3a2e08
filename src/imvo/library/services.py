"""The learning library: good practices and lessons that parties publish for
all sectors to learn from; public to read, shared by a covenant's parties,
stakeholders and secretariat."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core import uploads
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.uploads import UploadPolicy
from imvo.covenants.models import Adherence, Covenant, Theme
from imvo.library.models import LearningAttachment, LearningItem

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
# What the library takes: documents and photos, judged by their content (core.uploads).
# Everyone reads the library: photos and PDFs lose where and by whom they were made.
ATTACHMENT_POLICY = UploadPolicy(
    types=uploads.DOCUMENTS, max_bytes=MAX_ATTACHMENT_BYTES, strip_metadata=True
)


def learning_items_visible_to(user: AnyUser) -> QuerySet[LearningItem]:
    """The library is public: everyone reads every published item."""
    return LearningItem.objects.select_related("covenant", "theme", "organisation")


def search_learning(
    query: str = "",
    covenant: Covenant | None = None,
    theme_code: str = "",
    sector: str = "",
    kind: str = "",
) -> QuerySet[LearningItem]:
    """Search the library across covenants; every word must occur (title, summary, text, theme).

    Plain case-insensitive containment so it behaves the same on SQLite and PostgreSQL.
    """
    qs = learning_items_visible_to(None)
    for word in query.split()[:10]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(text__icontains=word)
            | Q(theme__name_en__icontains=word)
            | Q(theme__name_nl__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    if covenant is not None:
        qs = qs.filter(covenant=covenant)
    if theme_code:
        qs = qs.filter(Q(theme__code=theme_code) | Q(theme__parent__code=theme_code))
    if sector:
        qs = qs.filter(Q(sector=sector) | Q(covenant__sector=sector))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def covenants_user_may_share_in(user: AnyUser) -> QuerySet[Covenant]:
    """Parties and stakeholders share in the covenants they actively take part in;
    the secretariat in the covenants it runs."""
    if roles.is_platform_admin(user):
        return Covenant.objects.all()
    oid = roles.organisation_id(user)
    q = Q(pk__in=roles.managed_covenant_ids(user))
    if oid:
        q |= Q(
            adherences__organisation_id=oid,
            adherences__status=Adherence.Status.ACTIVE,
        )
    return Covenant.objects.filter(q).distinct()


@dataclass
class Upload:
    """A file as received: its name and bytes (views wrap Django's UploadedFile)."""

    name: str
    data: bytes = field(repr=False)


def check_attachment(upload: Upload) -> uploads.CheckedUpload:
    """Refuse files of the wrong type or size; the file as it will be published
    (safe name, content type, photos and PDFs without their metadata)."""
    return ATTACHMENT_POLICY.check(upload.name, upload.data)


@transaction.atomic
def publish_learning_item(
    user: AnyUser,
    covenant: Covenant,
    title: str,
    text: str,
    kind: str = LearningItem.Kind.GOOD_PRACTICE,
    theme: Theme | None = None,
    summary: str = "",
    attachments: list[Upload] | None = None,
) -> LearningItem:
    """A party, stakeholder or the secretariat publishes a good practice or lesson."""
    from django.core.files.base import ContentFile

    if not covenants_user_may_share_in(user).filter(pk=covenant.pk).exists():
        raise PermissionDeniedError(
            _("Only parties, stakeholders and the secretariat of a covenant can publish in it.")
        )
    if not title.strip() or not text.strip():
        raise DomainError(_("Give the item a title and a text."))
    if theme is not None and theme.covenant_id not in (None, covenant.pk):
        raise DomainError(_("A theme of another covenant cannot be chosen."))
    attachments = attachments or []
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    checked = [check_attachment(u) for u in attachments]
    item = LearningItem.objects.create(
        covenant=covenant,
        title=title.strip()[:200],
        text=text.strip(),
        summary=summary.strip()[:300],
        kind=kind,
        theme=theme,
        sector=covenant.sector,
        organisation_id=roles.organisation_id(user),
        author=roles.signed_in(user),
    )
    for upload in checked:
        att = LearningAttachment(
            item=item, name=upload.name, content_type=upload.content_type, size=len(upload.data)
        )
        att.file.save(upload.name, ContentFile(upload.data), save=False)
        att.save()
    return item
