"""Read-only representations: money as decimal strings, dates in ISO 8601, people by id and name."""

from typing import Any

from rest_framework import serializers

from contracts.models import Contract, Escalation, Regime
from meetings.models import Meeting
from performance.models import Kpi, KpiResult
from performance.ratings import Rating
from suppliers.models import Supplier


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    """The API writes nothing: every field is read-only, in the schema too."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class SupplierSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "companies_house_number",
            "vat_number",
            "address",
            "website",
            "status",
            "created_at",
            "updated_at",
        ]


class ContractSerializer(ReadOnlyModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    oco_name: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(source="oco", allow_null=True)
    sro_name: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(source="sro", allow_null=True)
    notice_date = serializers.DateField(read_only=True)
    # The regime in effect: the one the Procurement Unit recorded, else the one following from the dates.
    regime = serializers.ChoiceField(source="regime_in_effect", choices=Regime.choices, read_only=True)
    regime_from_dates = serializers.BooleanField(source="regime_follows_from_dates", read_only=True)
    under_act = serializers.BooleanField(read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "nature",
            "supplier",
            "supplier_name",
            "category",
            "category_name",
            "start_date",
            "end_date",
            "extended_end_date",
            "original_end_date",
            "notice_period_days",
            "notice_date",
            "total_value",
            "original_total_value",
            "annual_value",
            "cost_centre",
            "finance_reference",
            "procurement_route",
            "regime",
            "regime_from_dates",
            "under_act",
            "procurement_started_on",
            "agreement",
            "light_touch",
            "regulated_by_welsh_ministers",
            "kpis_not_appropriate_reason",
            "kraljic_quadrant",
            "oco",
            "oco_name",
            "sro",
            "sro_name",
            "created_at",
            "updated_at",
        ]


class KpiSerializer(ReadOnlyModelSerializer):
    contract_reference = serializers.CharField(source="contract.reference", read_only=True)

    class Meta:
        model = Kpi
        fields = ["id", "contract", "contract_reference", *Kpi.DEFINITION]


class KpiResultSerializer(ReadOnlyModelSerializer):
    contract = serializers.IntegerField(source="kpi.contract_id", read_only=True)
    # One choice set on three fields would get three enum names in the schema: the enum is
    # on effective_rating, the rating that counts; the other two are plain strings.
    rating = serializers.CharField(read_only=True, help_text="Rated from the target and thresholds.")
    rating_override = serializers.CharField(read_only=True, help_text="Blank when not overridden.")
    effective_rating = serializers.ChoiceField(
        choices=Rating.choices, read_only=True, help_text="The override when there is one, else the rating."
    )

    class Meta:
        model = KpiResult
        fields = [
            "id",
            "kpi",
            "contract",
            "period_start",
            "period_end",
            "actual",
            "rating",
            "rating_override",
            "override_reason",
            "effective_rating",
            "commentary",
            "recorded_at",
            "updated_at",
        ]


class MeetingSerializer(ReadOnlyModelSerializer):
    contract_reference = serializers.CharField(source="contract.reference", read_only=True)
    is_short_notice = serializers.BooleanField(read_only=True)
    lateness = serializers.CharField(
        read_only=True, help_text='Face-to-face only: "late", "arranged_late", or blank (on time or not judged).'
    )
    has_minutes = serializers.BooleanField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "contract",
            "contract_reference",
            "kind",
            "status",
            "starts_at",
            "duration_minutes",
            "location",
            "arranged_on",
            "due_on",
            "lateness",
            "is_short_notice",
            "short_notice_reason",
            "agenda",
            "minutes",
            "has_minutes",
        ]


class EscalationSerializer(ReadOnlyModelSerializer):
    contract_reference = serializers.CharField(source="contract.reference", read_only=True)
    owner_name: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(source="owner", allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open, past its respond-by date, unanswered.")

    class Meta:
        model = Escalation
        fields = [
            "id",
            "contract",
            "contract_reference",
            "source",
            "severity",
            "status",
            "title",
            "details",
            "raised_on",
            "respond_by",
            "answered_on",
            "is_overdue",
            "owner",
            "owner_name",
            "actions",
            "resolution",
            "created_at",
        ]
