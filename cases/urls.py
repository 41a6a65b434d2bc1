from django.urls import path

from cases.views import auth, contacts, notifications, people, start

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
