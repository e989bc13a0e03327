"""Who is calling the API: a bearer token (`Authorization: Bearer cb_…`) or the web session.

Either way the caller ends up as `request.user`, so the one access policy
(`policy_for(request)`) scopes every read exactly as it does for the pages.
"""

from ninja.security import HttpBearer, SessionAuth

from canbo.access.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token.strip())
        if user is None:
            return None
        request.user = user
        return user


# The session is checked against CSRF on unsafe methods (ninja's SessionAuth does it), since a
# browser sends the cookie on any site's behalf; a bearer token is never sent implicitly.
API_AUTH = [BearerToken(), SessionAuth(csrf=True)]
