from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("contract/<int:pk>/", views.contract_meetings, name="contract"),
    path("contract/<int:pk>/cadence/", views.cadence_set, name="cadence"),
    path("contract/<int:contract_pk>/new/", views.MeetingEditView.as_view(), name="create"),
    path("contract/<int:pk>/log/", views.contract_log, name="log"),
    path("contract/<int:pk>/log.csv", views.contract_log_csv, name="log_csv"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="edit"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/minutes/", views.minutes_download, name="minutes"),
    path("<int:meeting_pk>/actions/new/", views.ActionEditView.as_view(), name="action_create"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("activities/<int:pk>/attachment/", views.activity_attachment, name="activity_attachment"),
    path("calendar/", views.calendar_settings, name="calendar"),
    # A token is URL-safe base64 (meetings.models._new_token): anything else, a NUL byte say, is not one.
    path("calendar/<slug:token>.ics", views.calendar_feed, name="feed"),
]
