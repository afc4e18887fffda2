"""Surveys: definitions, signed invitation tokens, SurveyJS interop, hosted forms' answers."""

from cxloop.collect.surveys.definitions import (
    Question,
    SurveyDefinition,
    SurveyDefinitionError,
    load_survey,
    load_surveys,
)
from cxloop.collect.surveys.sync import SyncReport, stored_surveys, sync_surveys
from cxloop.collect.surveys.tokens import (
    InvitationClaims,
    TokenError,
    TokenExpired,
    TokenInvalid,
    read_invitation,
    sign_invitation,
)

__all__ = [
    "InvitationClaims",
    "Question",
    "SurveyDefinition",
    "SurveyDefinitionError",
    "SyncReport",
    "TokenError",
    "TokenExpired",
    "TokenInvalid",
    "load_survey",
    "load_surveys",
    "read_invitation",
    "sign_invitation",
    "stored_surveys",
    "sync_surveys",
]
