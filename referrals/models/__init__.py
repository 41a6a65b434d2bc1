"""Models of the referrals app, one module per aggregate: providers and their services,
referrals (remisser) with their history, kartläggningar (versioned per person) and
three-party meetings (trepartssamtal) with their agreed next steps."""

from .mappings import Mapping
from .meetings import AgreedStep, ThreePartyMeeting
from .providers import Provider, ProviderService
from .referrals import LETTER_FIELDS, Referral, ReferralEvent

__all__ = [
    "LETTER_FIELDS",
    "AgreedStep",
    "Mapping",
    "Provider",
    "ProviderService",
    "Referral",
    "ReferralEvent",
    "ThreePartyMeeting",
]
