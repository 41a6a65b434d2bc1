from django.urls import path

from cases.views import (
    applications,
    auth,
    board,
    casework,
    contacts,
    decisions,
    gallring,
    notifications,
    people,
    recovery,
    start,
)

urlpatterns = [
    path("", auth.home, name="home"),
    path("logga-in/", auth.LoginView.as_view(), name="login"),
    path("logga-ut/", auth.LogoutView.as_view(), name="logout"),
    path("reception/", contacts.reception_start, name="reception_start"),
    path("kontakter/ny/", contacts.contact_create, name="contact_create"),
    path("kontakter/sok-person/", contacts.person_lookup, name="person_lookup"),
    path("kontakter/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("kontakter/<int:pk>/ta/", contacts.contact_take, name="contact_take"),
    path("mitt-arbete/", start.caseworker_start, name="caseworker_start"),
    path("min-enhet/", start.unit_manager_start, name="unit_manager_start"),
    path("min-enhet/atkomstlogg/", start.unit_access_log_view, name="unit_access_log"),
    path("administration/", start.administrator_start, name="administrator_start"),
    path("aviseringar/", notifications.inbox, name="inbox"),
    path("aviseringar/olasta/", notifications.unread_count, name="unread_count"),
    path("aviseringar/las/", notifications.mark_notifications_read, name="notifications_read"),
]

urlpatterns += [
    path("personer/", people.person_search, name="person_search"),
    path("personer/ny/", people.person_create, name="person_create"),
    path("personer/<int:pk>/", people.person_detail, name="person_detail"),
    path("personer/<int:pk>/andra/", people.person_edit, name="person_edit"),
    path("personer/<int:pk>/hushall/", people.household_new, name="household_create"),
    path("personer/<int:pk>/behorighet/", people.person_access, name="person_access"),
    path("personer/overflyttning/", people.person_transfer_new, name="person_transfer_new"),
    path(
        "personer/overflyttning/<int:transfer_pk>/",
        people.person_transfer_decide_view,
        name="person_transfer_decide",
    ),
    path(
        "personer/<int:pk>/hushall/<int:household_pk>/medlem/",
        people.household_add_member,
        name="household_add_member",
    ),
    path(
        "personer/<int:pk>/hushallsmedlem/<int:member_pk>/avsluta/",
        people.household_end_member,
        name="household_end_member",
    ),
]

urlpatterns += [
    path("arenden/", casework.my_cases, name="case_list"),
    path("arenden/nytt/", casework.case_new, name="case_new"),
    path("kontakter/<int:pk>/oppna-arende/", casework.case_from_contact, name="case_from_contact"),
    path("arenden/<int:pk>/", casework.case_detail, name="case_detail"),
    path("arenden/<int:pk>/status/", casework.case_status, name="case_status"),
    path("arenden/<int:pk>/avsluta/", casework.case_close_view, name="case_close"),
    path("arenden/<int:pk>/fordela/", casework.case_reassign_view, name="case_reassign"),
    path("arenden/<int:pk>/journal/", casework.journal_add, name="journal_add"),
    path("arenden/<int:pk>/moten/", casework.meeting_add, name="meeting_add"),
    path(
        "arenden/<int:pk>/moten/<int:meeting_pk>/",
        casework.meeting_record_view,
        name="meeting_record",
    ),
    path("arenden/<int:pk>/ansokningar/ny/", applications.application_new, name="application_new"),
    path(
        "arenden/<int:pk>/utbetalningsperiod/",
        applications.case_payment_period,
        name="case_payment_period",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/berakna/",
        applications.application_preview_view,
        name="application_preview",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/forsorjningshinder/",
        applications.application_obstacles_view,
        name="application_obstacles",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/skolgang/",
        applications.application_schooling_view,
        name="application_schooling",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/status/",
        applications.application_status_view,
        name="application_status",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/berakning.pdf",
        applications.calculation_statement_pdf,
        name="calculation_statement",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/komplettering/",
        applications.supplement_add,
        name="supplement_add",
    ),
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/komplettering/<int:supplement_pk>/inkommen/",
        applications.supplement_received_view,
        name="supplement_received",
    ),
    path(
        "kompletteringar/<int:supplement_pk>/", applications.supplement_open, name="supplement_open"
    ),
]

urlpatterns += [
    path(
        "arenden/<int:pk>/ansokningar/<int:app_pk>/beslut/",
        decisions.decision_new,
        name="decision_new",
    ),
    path("beslut/<int:decision_pk>/", decisions.decision_detail, name="decision_detail"),
    path("beslut/<int:decision_pk>/andra/", decisions.decision_edit, name="decision_edit"),
    path("beslut/<int:decision_pk>/skicka/", decisions.decision_submit, name="decision_submit"),
    path("beslut/<int:decision_pk>/godkann/", decisions.decision_approve, name="decision_approve"),
    path("beslut/<int:decision_pk>/tillbaka/", decisions.decision_return, name="decision_return"),
    path("beslut/<int:decision_pk>/delgivning/", decisions.decision_serve, name="decision_serve"),
    path("beslut/<int:decision_pk>/ersatt/", decisions.decision_replace, name="decision_replace"),
    path("beslut/<int:decision_pk>/brev.pdf", decisions.decision_letter, name="decision_letter"),
    path("beslut/att-godkanna/", decisions.approvals, name="approvals"),
    path("beslut/<int:decision_pk>/overklagande/", decisions.appeal_new, name="appeal_new"),
    path("overklaganden/", decisions.appeal_list, name="appeal_list"),
    path("overklaganden/<int:appeal_pk>/", decisions.appeal_detail, name="appeal_detail"),
    path(
        "overklaganden/<int:appeal_pk>/avvisningsbeslut.pdf",
        decisions.appeal_dismissal_letter,
        name="appeal_dismissal_letter",
    ),
    path(
        "overklaganden/<int:appeal_pk>/<str:action>/",
        decisions.appeal_action,
        name="appeal_action",
    ),
    path("beslut/<int:decision_pk>/utbetalning/", decisions.payment_new, name="payment_new"),
    path("utbetalningar/", decisions.payment_list, name="payment_list"),
    path("arenden/<int:pk>/aterkrav/nytt/", recovery.recovery_new, name="recovery_new"),
    path("aterkrav/", recovery.recovery_list, name="recovery_list"),
    path("aterkrav/<int:recovery_pk>/", recovery.recovery_detail, name="recovery_detail"),
    path(
        "aterkrav/<int:recovery_pk>/brev/<int:letter_pk>.pdf",
        recovery.recovery_letter,
        name="recovery_letter",
    ),
    path(
        "aterkrav/<int:recovery_pk>/<slug:action>/",
        recovery.recovery_action,
        name="recovery_action",
    ),
    path(
        "arenden/<int:pk>/gallringsspärr/",
        gallring.retention_hold_place_view,
        name="retention_hold_place",
    ),
    path(
        "arenden/<int:pk>/gallringsspärr/<int:hold_pk>/hav/",
        gallring.retention_hold_release_view,
        name="retention_hold_release",
    ),
    path("administration/gallring/", gallring.gallring_overview, name="gallring_overview"),
    path(
        "administration/gallring/provkor/", gallring.gallring_propose_view, name="gallring_propose"
    ),
    path(
        "administration/gallring/<int:run_pk>/<slug:action>/",
        gallring.gallring_decide,
        name="gallring_decide",
    ),
    path(
        "utbetalningar/<int:payment_pk>/attestera/",
        decisions.payment_attest,
        name="payment_attest",
    ),
    path("utbetalningar/betalfil/", decisions.payment_export, name="payment_export"),
    path(
        "utbetalningar/betalfil/<int:batch_pk>.csv",
        decisions.payment_batch_csv,
        name="payment_batch_csv",
    ),
]

# The nämnd's lists (KL 6 kap. 40 §, SoL 2025:400 34 kap.) and the execution clock.
urlpatterns += [
    path("namnd/", board.board_start, name="board_start"),
    path("namnd/delegeringsordning/", board.delegation_order, name="delegation_order"),
    path("namnd/delegationsbeslut/", board.delegation_list, name="delegation_list"),
    path("namnd/anmalan/ny/", board.delegation_report_new, name="delegation_report_new"),
    path(
        "namnd/anmalan/<int:report_pk>/",
        board.delegation_report_detail,
        name="delegation_report_detail",
    ),
    path(
        "namnd/anmalan/<int:report_pk>/datum/",
        board.delegation_report_dates,
        name="delegation_report_dates",
    ),
    path("namnd/ej-verkstallda/", board.non_execution_report, name="non_execution_report"),
    path(
        "beslut/<int:decision_pk>/verkstallighet/<slug:action>/",
        board.execution_action,
        name="execution_action",
    ),
]
