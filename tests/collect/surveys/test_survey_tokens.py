from __future__ import annotations

import time

import pytest

from cxloop.collect.surveys import (
    InvitationClaims,
    TokenError,
    TokenExpired,
    TokenInvalid,
    read_invitation,
    sign_invitation,
)

CLAIMS = InvitationClaims(
    invitation_id="inv-1", survey_id="post-delivery", respondent="customer",
    respondent_id="C-1", language="es",
)  # fmt: skip


def test_round_trip() -> None:
    token = sign_invitation("k1", CLAIMS)
    assert read_invitation("k1", token, max_age_s=60) == CLAIMS


def test_changed_tokens_and_other_keys_are_invalid() -> None:
    token = sign_invitation("k1", CLAIMS)
    changed = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (changed, "nonsense", "", token.replace(".", "", 1)):
        with pytest.raises(TokenInvalid):
            read_invitation("k1", bad, max_age_s=60)
    with pytest.raises(TokenInvalid):
        read_invitation("k2", token, max_age_s=60)


def test_old_tokens_expire() -> None:
    token = sign_invitation("k1", CLAIMS)
    time.sleep(2.1)
    with pytest.raises(TokenExpired) as info:
        read_invitation("k1", token, max_age_s=1)
    assert isinstance(info.value, TokenError) and isinstance(info.value, ValueError)


def test_a_genuine_token_with_claims_of_another_shape_is_invalid() -> None:
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("k1", salt="cxloop-survey-invitation").dumps({"x": 1})
    with pytest.raises(TokenInvalid):
        read_invitation("k1", str(forged), max_age_s=60)
    other_salt = URLSafeTimedSerializer("k1", salt="cxloop-session").dumps(CLAIMS.model_dump())
    with pytest.raises(TokenInvalid):
        read_invitation("k1", str(other_salt), max_age_s=60)
