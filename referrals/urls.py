"""Referrals under /remisser/ (config.urls). Everything about a case goes through the
case's gate; the URL names are in the permission matrix (referrals/tests)."""

from django.urls import path

from referrals.views import lists, mappings, meetings
from referrals.views import referrals as views

app_name = "referrals"
urlpatterns = [
    path("mina/", lists.my_referrals, name="my_referrals"),
    path("enhet/", lists.unit_referrals, name="unit_referrals"),
    path("arenden/<int:case_pk>/ny/", views.referral_new, name="referral_new"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/status/", views.referral_move, name="referral_move"),
    path("<int:pk>/uppfoljning/", views.referral_follow_up, name="referral_follow_up"),
    path("<int:pk>/samtycke/", views.referral_consent, name="referral_consent"),
    path("<int:pk>/remissbrev.pdf", views.referral_letter, name="referral_letter"),
    path(
        "arenden/<int:case_pk>/kartlaggning/<int:person_pk>/",
        mappings.mapping_detail,
        name="mapping_detail",
    ),
    path(
        "arenden/<int:case_pk>/kartlaggning/<int:person_pk>/ny-version/",
        mappings.mapping_edit,
        name="mapping_edit",
    ),
    path(
        "arenden/<int:case_pk>/kartlaggning/<int:person_pk>/aktivitet/",
        mappings.mapping_activity,
        name="mapping_activity",
    ),
    path("arenden/<int:case_pk>/trepartssamtal/ny/", meetings.meeting_new, name="meeting_new"),
    path(
        "arenden/<int:case_pk>/steg/<int:step_pk>/aktivitet/",
        meetings.step_activity,
        name="step_activity",
    ),
]
