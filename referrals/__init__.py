"""Referrals (remisser) to other agencies, kartläggning and three-party meetings.

Depends on ``cases`` only."""
