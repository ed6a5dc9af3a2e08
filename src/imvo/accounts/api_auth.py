"""Bearer-token authentication for the JSON API (tokens from `imvo token create USER`)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from imvo.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.lookup(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


token_auth = TokenAuth()
