"""Every write of the referrals app: referrals and their moves, kartläggningar, three-party
meetings. Services are named ``<noun>_<verb>``, take keyword arguments with an ``actor``,
validate before saving and run in a transaction (STYLE.md)."""

from referrals.services.common import ReferralError, StaleReferral
from referrals.services.mappings import StaleMapping, mapping_save, mapping_to_activity
from referrals.services.meetings import (
    StepInput,
    agreed_step_to_activity,
    three_party_meeting_record,
)
from referrals.services.referrals import (
    referral_accept,
    referral_consent_set,
    referral_create,
    referral_decline,
    referral_end,
    referral_follow_up_record,
    referral_start,
    referral_withdraw,
    referrals_close_with_case,
    referrals_follow_case,
)

__all__ = [
    "ReferralError",
    "StaleMapping",
    "StaleReferral",
    "StepInput",
    "agreed_step_to_activity",
    "mapping_save",
    "mapping_to_activity",
    "referral_accept",
    "referral_consent_set",
    "referral_create",
    "referral_decline",
    "referral_end",
    "referral_follow_up_record",
    "referral_start",
    "referral_withdraw",
    "referrals_close_with_case",
    "referrals_follow_case",
    "three_party_meeting_record",
]
