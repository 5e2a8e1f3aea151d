from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import (
    Category,
    Contract,
    ContractAssignment,
    ContractDocument,
    ContractEnding,
    Escalation,
    EscalationUpdate,
    ExtensionOption,
    KeySupplier,
    KraljicAssessment,
    KraljicCriterion,
    KraljicScore,
    KraljicSettings,
    RenewalDecision,
    ReviewItem,
    ReviewRound,
    SavedView,
    Saving,
    Variation,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class ContractAssignmentInline(admin.TabularInline):
    model = ContractAssignment
    extra = 0
    fields = readonly_fields = ("role", "user", "started_at", "ended_at", "assigned_by")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0
    fields = readonly_fields = ("kind", "version", "is_current", "original_name", "size", "uploaded_by", "uploaded_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "supplier",
        "status",
        "kraljic_quadrant",
        "start_date",
        "end_date",
        "total_value",
        "oco",
        "sro",
    ]
    readonly_fields = ["kraljic_quadrant", "kraljic_assessment"]
    list_filter = ["status", "kraljic_quadrant", "category", "procurement_route"]
    search_fields = ["reference", "title", "supplier__name", "finance_reference"]
    list_select_related = ["supplier", "oco", "sro"]
    autocomplete_fields = ["supplier", "oco", "sro"]
    # A national register: no count of every row under the filters, no date drill-down (a query per level).
    show_full_result_count = False
    inlines = [ContractAssignmentInline, ContractDocumentInline]


@admin.register(ContractAssignment)
class ContractAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "role", "user", "started_at", "ended_at", "assigned_by"]
    list_filter = ["role"]
    search_fields = ["contract__reference", "user__username", "user__last_name"]
    list_select_related = ["contract", "user", "assigned_by"]
    show_full_result_count = False  # one or two a contract (and here below: tables as big as the register)


@admin.register(ContractDocument)
class ContractDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "version", "is_current", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "is_current"]
    search_fields = ["contract__reference", "original_name"]
    list_select_related = ["contract", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size", "uploaded_at"]


class KraljicScoreInline(admin.TabularInline):
    model = KraljicScore
    extra = 0
    fields = readonly_fields = ("criterion", "score", "weight")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(KraljicCriterion)
class KraljicCriterionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "axis", "weight", "position", "is_active"]
    list_editable = ["weight", "position", "is_active"]
    list_filter = ["axis", "is_active"]
    search_fields = ["name", "description"]


@admin.register(KraljicSettings)
class KraljicSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "profit_impact_threshold", "supply_risk_threshold"]

    def has_add_permission(self, request):
        return not KraljicSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KraljicAssessment)
class KraljicAssessmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "contract",
        "quadrant",
        "profit_impact",
        "supply_risk",
        "assessed_by",
        "assessed_on",
        "review_round",
    ]
    list_filter = ["quadrant", "review_round"]
    search_fields = ["contract__reference", "contract__title", "rationale"]
    list_select_related = ["contract", "assessed_by", "review_round"]
    show_full_result_count = False
    readonly_fields = ["profit_impact", "supply_risk", "quadrant", "confirms"]
    raw_id_fields = ["contract", "review_round"]
    autocomplete_fields = ["assessed_by"]
    inlines = [KraljicScoreInline]


class ReviewItemInline(admin.TabularInline):
    model = ReviewItem
    extra = 0
    fields = readonly_fields = ("contract", "previous", "assessment", "reviewed_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "opened_at", "due_date", "closed_at", "closed_by"]
    list_filter = ["year", "half"]
    readonly_fields = ["year", "half", "opened_at", "closed_at", "closed_by", "summary"]
    inlines = [ReviewItemInline]


@admin.register(Escalation)
class EscalationAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "title", "source", "severity", "status", "raised_on", "raised_by", "owner"]
    list_filter = ["status", "severity", "source"]
    search_fields = ["contract__reference", "title", "details"]
    list_select_related = ["contract", "raised_by", "owner"]
    date_hierarchy = "raised_on"
    raw_id_fields = ["contract", "supplier_information"]
    autocomplete_fields = ["raised_by", "owner"]


@admin.register(EscalationUpdate)
class EscalationUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["escalation", "author", "created_at", "status_before", "status_after", "attachment_name"]
    search_fields = ["escalation__contract__reference", "escalation__title", "text"]
    list_select_related = ["escalation__contract", "author"]
    raw_id_fields = ["escalation"]
    autocomplete_fields = ["author"]


@admin.register(KraljicScore)
class KraljicScoreAdmin(admin.ModelAdmin):
    list_display = ["assessment", "criterion", "score", "weight"]
    list_filter = ["criterion__axis", "score"]
    search_fields = ["assessment__contract__reference", "criterion__name"]
    list_select_related = ["assessment__contract", "criterion"]
    raw_id_fields = ["assessment"]
    show_full_result_count = False


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["review_round", "contract", "reviewed_at"]
    list_filter = ["review_round"]
    search_fields = ["contract__reference"]
    list_select_related = ["review_round", "contract"]
    raw_id_fields = ["contract", "previous", "assessment"]
    show_full_result_count = False


@admin.register(Variation)
class VariationAdmin(SimpleHistoryAdmin):
    list_display = [
        "contract",
        "number",
        "status",
        "agreed_on",
        "value_change",
        "new_end_date",
        "change_notice_required",
    ]
    list_filter = ["change_notice_required"]
    search_fields = ["contract__reference", "description", "reason"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract"]
    filter_horizontal = ["made_with", "documents"]
    readonly_fields = ["number", "change_notice_required", "change_notice_reason"]


@admin.register(ExtensionOption)
class ExtensionOptionAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "length_months", "decide_by", "decision"]
    list_filter = ["decision"]
    search_fields = ["contract__reference"]
    raw_id_fields = ["contract"]


@admin.register(RenewalDecision)
class RenewalDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "decision", "decided_by", "decided_on"]
    list_filter = ["decision"]
    search_fields = ["contract__reference", "notes"]
    raw_id_fields = ["contract"]


@admin.register(ContractEnding)
class ContractEndingAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "ended_on", "ended_early_for_breach", "notice_published_on"]
    list_filter = ["kind", "ended_early_for_breach"]
    search_fields = ["contract__reference", "reason"]
    raw_id_fields = ["contract"]


@admin.register(Saving)
class SavingAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "amount", "financial_year", "achieved_on", "validated_by"]
    list_filter = ["kind", "financial_year"]
    search_fields = ["contract__reference", "description"]
    raw_id_fields = ["contract"]
    readonly_fields = ["financial_year"]


@admin.register(KeySupplier)
class KeySupplierAdmin(SimpleHistoryAdmin):
    list_display = ["supplier", "lead", "meeting_frequency", "next_meeting_on", "designated_on", "reviewed_on"]
    list_filter = ["meeting_frequency"]
    search_fields = ["supplier__name", "reason", "objectives"]
    list_select_related = ["supplier", "lead"]
    autocomplete_fields = ["supplier", "lead", "designated_by"]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "shared", "query", "created_at"]
    list_filter = ["shared"]
    search_fields = ["name", "owner__username", "owner__last_name"]
    raw_id_fields = ["owner"]
