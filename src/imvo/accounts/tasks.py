"""Background work of accounts: the password-reset mail.

The reset form used to look the address up and send the mail in the request:
an address with an account took an SMTP round trip longer to answer than one
without (measured: `benchmarks/bench_password_reset.py`), so the answer's time
told anyone whether an address has an account, though its text does not. The
form now only queues this task, whatever the address; the look-up and the
mail happen in the worker, where nobody waits for them (docs/security.md, O2).
"""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task
from django.utils import translation

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
EMAIL_TEMPLATE = "accounts/password_reset_email.txt"


@task()
def send_password_reset(email: str, domain: str, protocol: str, language: str) -> int:
    """Mail a reset link to every active account with a usable password at
    `email` (Django's rules, `PasswordResetForm.get_users`), in `language`, with
    links to `protocol://domain`. Returns how many mails were handed to the mail
    backend (0 for an address without an account)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    accounts = len(list(form.get_users(form.cleaned_data["email"])))
    if accounts:
        with translation.override(language):
            form.save(
                domain_override=domain,
                use_https=protocol == "https",
                subject_template_name=SUBJECT_TEMPLATE,
                email_template_name=EMAIL_TEMPLATE,
                extra_email_context={"protocol": protocol, "domain": domain},
            )
    return accounts
