from django.http import HttpRequest
from ninja import Router, Schema

from imvo.accounts import services as roles
from imvo.accounts.api_auth import token_auth

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    organisation: str | None
    organisation_id: int | None
    secretariat_of: list[int]
    committee_of: list[int]
    platform_admin: bool


@router.get("/me", response=MeOut, auth=token_auth, summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        organisation=user.organisation.name if user.organisation else None,
        organisation_id=user.organisation_id,
        secretariat_of=sorted(roles.managed_covenant_ids(user)),
        committee_of=sorted(roles.committee_covenant_ids(user)),
        platform_admin=roles.is_platform_admin(user),
    )
