import datetime as dt

import factory
from django.utils import timezone

from contracts.models import Activity
from meetings.models import Action, Meeting
from tests.factories import ContractFactory, UserFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    contract = factory.SubFactory(ContractFactory)
    kind = Meeting.Kind.FACE_TO_FACE
    starts_at = factory.LazyFunction(lambda: (timezone.now() + dt.timedelta(days=200)).replace(second=0, microsecond=0))
    arranged_on = factory.LazyFunction(timezone.localdate)
    status = Meeting.Status.PLANNED
    location = "Force headquarters, meeting room 2"
    agenda = "Quarterly service review"
    created_by = factory.SubFactory(UserFactory)
    short_notice_reason = ""

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    description = "Send the revised service credits schedule"
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyAttribute(lambda a: a.meeting.local_date + dt.timedelta(days=14))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    contract = factory.SubFactory(ContractFactory)
    kind = Activity.Kind.CALL
    occurred_on = factory.LazyFunction(timezone.localdate)
    summary = "Call with the account manager about late deliveries"
    recorded_by = factory.SubFactory(UserFactory)
