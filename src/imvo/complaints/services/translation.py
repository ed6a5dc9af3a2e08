"""Translation for the committee: a complaint written in Bengali or Arabic is
read by a committee that reads Dutch or English.

A case officer (the secretariat, or a committee member) asks a translator to
translate the complaint and its messages into a language; the translator is
bound to that one case (the grant is written to the complaint audit trail with
the covenant, so the committee page lists it with the other role grants). The
translator reads what the complainant wrote and the messages, nothing else:
not their name or contact, not the evidence, not the case's steps. Each
translation is stored encrypted beside the original, which stays as written;
the committee reads both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser, organisation_id, person_name, signed_in
from imvo.complaints import crypto
from imvo.complaints.audit import audit
from imvo.complaints.grants import audit_grant
from imvo.complaints.models import CaseTranslator, Complaint, Message, Translation
from imvo.complaints.services.access import (
    CaseNotFoundError,
    is_company_party,
    require_handler,
    respondent_ids,
)
from imvo.core.errors import DomainError, PermissionDeniedError

MAX_TRANSLATION_CHARS = 40000


@dataclass(frozen=True)
class TranslationItem:
    """One text of the case to translate: the complaint (message_id None) or a message."""

    message_id: int | None
    label: str
    original: str
    translation: str
    language: str


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def is_translator(user: AnyUser, c: Complaint) -> bool:
    return bool(
        user
        and user.is_authenticated
        and CaseTranslator.objects.filter(complaint_id=c.pk, user_id=user.pk).exists()
    )


def check_request_translation(
    by: AnyUser, c: Complaint, translator: AnyUser, language: str
) -> CaseTranslator:
    """A case officer binds a translator to the case, to translate into `language`."""
    require_handler(by, c)
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose the language to translate into."))
    if language == c.language:
        raise DomainError(_("The complaint is written in that language already."))
    if translator is None or not translator.is_active:
        raise DomainError(_("Choose an active account as the translator."))
    if organisation_id(translator) in respondent_ids(c):
        raise DomainError(
            _("%(u)s belongs to the company complained about and cannot translate the case.")
            % {"u": person_name(translator)}
        )
    if is_company_party(translator, c):
        raise DomainError(
            _("%(u)s belongs to a company this case was sent to, a party to this case.")
            % {"u": person_name(translator)}
        )
    return do_request_translation(by, c, translator, language)


def do_request_translation(
    by: AnyUser, c: Complaint, translator: AnyUser, language: str
) -> CaseTranslator:
    with transaction.atomic():
        grant, _created = CaseTranslator.objects.update_or_create(
            complaint=c,
            user=signed_in(translator),
            defaults={"language": language, "granted_by": signed_in(by)},
        )
        audit_grant(
            by, "translator-granted", c.covenant_id, translator, "translator", c, language=language
        )
    return grant


def check_revoke_translator(by: AnyUser, c: Complaint, translator: AnyUser) -> None:
    """A case officer ends the translator's access to the case (translations stay)."""
    require_handler(by, c)
    with transaction.atomic():
        removed, _n = CaseTranslator.objects.filter(
            complaint=c, user_id=getattr(translator, "pk", 0) or 0
        ).delete()
        if removed:
            audit_grant(by, "translator-revoked", c.covenant_id, translator, "translator", c)


def translation_items(c: Complaint, language: str) -> list[TranslationItem]:
    """The complaint and every message, each with its translation into `language`."""
    done = {
        t.message_id: t.text for t in Translation.objects.filter(complaint=c, language=language)
    }
    data = c.confidential()
    original = "\n\n".join(
        x for x in (str(data.get("description", "")), str(data.get("remedy_sought", ""))) if x
    )
    items = [TranslationItem(None, _("The complaint"), original, done.get(None, ""), language)]
    for m in c.messages.all():
        items.append(
            TranslationItem(
                m.pk,
                f"{m.get_sender_display()} · {timezone.localtime(m.created):%Y-%m-%d}",
                m.body,
                done.get(m.pk, ""),
                language,
            )
        )
    return items


def check_add_translation(
    translator: AnyUser, c: Complaint, message_id: int | None, text: str
) -> Translation:
    """The translator bound to the case adds (or corrects) one translation."""
    grant = CaseTranslator.objects.filter(
        complaint=c, user_id=getattr(translator, "pk", 0) or 0
    ).first()
    if grant is None:
        raise PermissionDeniedError(_("Only the translator bound to this case may translate it."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The translation is empty."))
    if len(text) > MAX_TRANSLATION_CHARS:
        raise DomainError(_("The translation is too long (at most 40,000 characters)."))
    message = None
    if message_id is not None:
        message = Message.objects.filter(complaint=c, pk=message_id).first()
        if message is None:
            raise CaseNotFoundError(_("No such message in this case."))
    if c.personal_data_removed_at:
        raise DomainError(_("This case is closed and its file removed."))
    return do_add_translation(translator, c, message, grant.language, text)


def do_add_translation(
    translator: AnyUser, c: Complaint, message: Message | None, language: str, text: str
) -> Translation:
    with transaction.atomic():
        Complaint.objects.select_for_update().filter(pk=c.pk).first()  # one per text and language
        t, _created = Translation.objects.update_or_create(
            complaint=c,
            message=message,
            language=language,
            defaults={
                "text_enc": crypto.encrypt(text),
                "by": signed_in(translator),
                "at": timezone.now(),
            },
        )
        audit(
            translator, "translated", c, message=message.pk if message else None, language=language
        )
    return t


def translations_by_text(c: Complaint) -> dict[int | None, list[Translation]]:
    """Every translation of the case, keyed by message id (None: the complaint)."""
    out: dict[int | None, list[Translation]] = {}
    for t in Translation.objects.filter(complaint=c).select_related("by"):
        out.setdefault(t.message_id, []).append(t)
    return out
