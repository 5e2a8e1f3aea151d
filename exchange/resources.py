"""The import-export resource for contracts, with widgets that read what people type in spreadsheets.

Lookups (suppliers, users, categories, existing contracts) are loaded once per import into a
`Lookups`, so a 10,000-row file costs a handful of queries for them, not several per row.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, resources, widgets
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from contracts.models import Category, Contract, ContractAssignment, Regime
from contracts.services import contract_save
from core.audit import history_user_set
from exchange.widgets import ChoiceWidget, DateWidget, PoundsWidget, TextWidget, WholeNumberWidget, _text
from suppliers.identity import normalise_company_number, normalise_name
from suppliers.models import Supplier, companies_house_number_validator

# The columns of the template, in order; `supplier_companies_house_number` is read by the supplier widget.
COLUMNS = (
    "reference",
    "title",
    "description",
    "supplier",
    "supplier_companies_house_number",
    "category",
    "status",
    "nature",
    "procurement_route",
    *Contract.TERMS_AND_OWNERS,
    "regime",
    "procurement_started_on",
)
REQUIRED_COLUMNS = (
    "reference",
    "title",
    "supplier",
    "category",
    "start_date",
    "end_date",
    "total_value",
    "annual_value",
)
EXAMPLE_ROW = (
    "CON-2026-001",
    "Custody healthcare",
    "Healthcare professionals in the custody suites",
    "Example Healthcare Limited",
    "01234567",
    "Healthcare",
    "active",
    "services",
    "open",
    "01/04/2026",
    "31/03/2029",
    "31/03/2031",
    "90",
    "£1,250,000.00",
    "£416,666.67",
    "CC-1001",
    "AG-2026-001",
    "jsmith",
    "",
    "Procurement Act 2023",
    "01/10/2025",
)

BATCH_SIZE = 1000


def supplier_key(*, name: str, ch_number: str) -> str:
    """How a supplier the import would create is named in the preview and in the choices made there."""
    return f"{ch_number}|{normalise_name(name)}"


class Lookups:
    """What the rows refer to, loaded once per import; suppliers created by earlier rows join it.

    Suppliers are matched by Companies House number, then by normalised name (suppliers.identity).
    A supplier the register does not have is noted in `new_suppliers` (the preview lists them with
    their likely matches); `supplier_choices` are what the Procurement Unit chose for them there:
    an existing supplier's id, or None to create it."""

    def __init__(self, *, references: list[str], by: User, supplier_choices: dict[str, int | None] | None = None):
        self.by = by
        self.supplier_choices = supplier_choices or {}
        self.new_suppliers: dict[str, dict] = {}
        self.line: int | None = None  # the line being read, set by the resource
        self.suppliers_by_ch: dict[str, Supplier] = {}
        self.suppliers_by_name: dict[str, list[Supplier]] = defaultdict(list)
        self.suppliers_by_pk = Supplier.objects.in_bulk()
        for supplier in self.suppliers_by_pk.values():
            self._add_supplier(self._survivor(supplier), number=supplier.companies_house_number)
        self.categories = {c.name.casefold(): c for c in Category.objects.all()}
        roles = defaultdict(set)
        for user_id, name in User.groups.through.objects.values_list("user_id", "group__name"):
            roles[user_id].add(name)
        self.users_by_email: dict[str, list[User]] = defaultdict(list)
        self.users_by_username: dict[str, User] = {}
        for user in User.objects.all():
            user._role_names_cache = frozenset(roles[user.pk])  # what User.has_role reads
            if user.email:
                self.users_by_email[user.email.casefold()].append(user)
            self.users_by_username[user.username.casefold()] = user
        self.contracts = {
            c.reference: c
            for c in Contract.objects.filter(reference__in=references).select_related(
                "supplier", "category", "oco", "sro"
            )
        }
        for contract in self.contracts.values():
            # The related users come from their own query: give them the roles too.
            for user in (contract.oco, contract.sro):
                if user is not None:
                    user._role_names_cache = frozenset(roles[user.pk])

    def _survivor(self, supplier: Supplier) -> Supplier:
        """A merged supplier stands for the one it was merged into."""
        seen = set()
        while supplier.merged_into_id is not None and supplier.pk not in seen:
            seen.add(supplier.pk)
            supplier = self.suppliers_by_pk.get(supplier.merged_into_id, supplier)
        return supplier

    def _add_supplier(self, supplier: Supplier, *, number: str = "") -> None:
        if number := number or supplier.companies_house_number:
            self.suppliers_by_ch[number] = supplier
        if supplier.merged_into_id is None and supplier not in self.suppliers_by_name[supplier.normalised_name]:
            self.suppliers_by_name[supplier.normalised_name].append(supplier)

    def supplier(self, *, name: str, ch_number: str) -> Supplier:
        ch_number = normalise_company_number(ch_number)
        if ch_number:
            try:
                companies_house_number_validator(ch_number)
            except ValidationError as error:
                raise ValueError(f"“{ch_number}”: {error.messages[0]}") from None
            if ch_number in self.suppliers_by_ch:
                return self.suppliers_by_ch[ch_number]
        if not name:
            raise ValueError("Give the supplier's name.")
        namesakes = self.suppliers_by_name.get(normalise_name(name), [])
        if ch_number:
            # A supplier of that name without a Companies House number is the same company.
            namesakes = [s for s in namesakes if not s.companies_house_number]
        if len(namesakes) == 1:
            return namesakes[0]
        if len(namesakes) > 1:
            raise ValueError(
                f"{len(namesakes)} suppliers are called “{name}”: give the supplier's Companies House number."
            )
        key = supplier_key(name=name, ch_number=ch_number)
        chosen = self.supplier_choices.get(key)
        if chosen is not None:
            existing = self.suppliers_by_pk.get(chosen)
            if existing is None:
                raise ValueError(f"The supplier chosen for “{name}” has been deleted: upload the file again.")
            return self._survivor(existing)
        supplier = Supplier(name=name[:200], companies_house_number=ch_number)
        history_user_set(supplier, self.by)
        supplier.full_clean(validate_unique=False, validate_constraints=False)
        supplier.save()  # inside the import's transaction: a dry run or a failed import rolls it back
        self._add_supplier(supplier)
        self.new_suppliers[key] = {
            "key": key,
            "name": supplier.name,
            "companies_house_number": ch_number,
            "line": self.line,
            "pk": supplier.pk,  # rolled back after a preview: only to leave it out of its own matches
        }
        return supplier

    def user(self, email: str) -> User | None:
        """The person named by username (as the template's Reference sheet lists them) or e-mail address."""
        if not email:
            return None
        if "@" not in email:
            by_username = self.users_by_username.get(email.casefold())
            matches = [by_username] if by_username is not None else []
        else:
            matches = self.users_by_email.get(email.casefold(), [])
        if not matches:
            raise ValueError(
                f"No user has the username or e-mail address “{email}”: the template's Reference sheet lists them."
            )
        if len(matches) > 1:
            raise ValueError(f"{len(matches)} users have the e-mail address “{email}”.")
        if not matches[0].is_active:
            raise ValueError(f"{matches[0]} ({email}) has left: the account is deactivated.")
        return matches[0]

    def category(self, name: str) -> Category:
        if not name:
            raise ValueError("Give the category.")
        try:
            return self.categories[name.casefold()]
        except KeyError:
            known = ", ".join(sorted(c.name for c in self.categories.values()))
            raise ValueError(f"No category is called “{name}”. The categories are: {known}.") from None


class SupplierWidget(widgets.ForeignKeyWidget):
    def __init__(self, resource: "ContractResource"):
        super().__init__(Supplier)
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        lookups = self.resource.lookups
        assert lookups is not None  # given to the resource before its rows
        return lookups.supplier(
            name=_text(value),
            ch_number=_text((row or {}).get("supplier_companies_house_number")),
        )

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class CategoryWidget(widgets.ForeignKeyWidget):
    def __init__(self, resource: "ContractResource"):
        super().__init__(Category)
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        lookups = self.resource.lookups
        assert lookups is not None  # given to the resource before its rows
        return lookups.category(_text(value))

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class UserByEmailWidget(widgets.ForeignKeyWidget):
    def __init__(self, resource: "ContractResource"):
        super().__init__(User)
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        lookups = self.resource.lookups
        assert lookups is not None  # given to the resource before its rows
        return lookups.user(_text(value))

    def render(self, value, obj=None, **kwargs):
        return value.email if value else ""


class ContractResource(resources.ModelResource):
    """Contracts by reference: new ones are created, changed ones updated, identical ones skipped."""

    def __init__(
        self,
        *,
        by: User,
        preview: bool,
        lookups: Lookups | None = None,
        on_row=None,
        supplier_choices: dict[str, int | None] | None = None,
    ):
        self.by = by
        self.supplier_choices = supplier_choices
        # The preview runs as a real import (no per-row savepoints) inside a transaction that the
        # caller rolls back: it writes only the suppliers it creates, and those roll back too.
        self.preview = preview
        self.lookups = lookups
        self.on_row = on_row  # called after each row (progress)
        super().__init__()
        text = TextWidget()
        self.fields = {
            "reference": fields.Field("reference", "reference", widget=text),
            "title": fields.Field("title", "title", widget=text),
            "description": fields.Field("description", "description", widget=text),
            "supplier": fields.Field("supplier", "supplier", widget=SupplierWidget(self)),
            "category": fields.Field("category", "category", widget=CategoryWidget(self)),
            "status": fields.Field(
                "status", "status", widget=ChoiceWidget(Contract.Status.choices, default=Contract.Status.DRAFT)
            ),
            "nature": fields.Field(
                "nature", "nature", widget=ChoiceWidget(Contract.Nature.choices, default=Contract.Nature.SERVICES)
            ),
            "procurement_route": fields.Field(
                "procurement_route",
                "procurement_route",
                widget=ChoiceWidget(Contract.ProcurementRoute.choices, default=Contract.ProcurementRoute.OPEN),
            ),
            "start_date": fields.Field("start_date", "start_date", widget=DateWidget(required=True)),
            "end_date": fields.Field("end_date", "end_date", widget=DateWidget(required=True)),
            "extended_end_date": fields.Field(
                "extended_end_date", "extended_end_date", widget=DateWidget(required=False)
            ),
            "notice_period_days": fields.Field(
                "notice_period_days", "notice_period_days", widget=WholeNumberWidget(default=90)
            ),
            "total_value": fields.Field("total_value", "total_value", widget=PoundsWidget(allow_zero=False)),
            "annual_value": fields.Field("annual_value", "annual_value", widget=PoundsWidget()),
            "cost_centre": fields.Field("cost_centre", "cost_centre", widget=text),
            "finance_reference": fields.Field("finance_reference", "finance_reference", widget=text),
            "oco": fields.Field("oco", "oco", widget=UserByEmailWidget(self)),
            "sro": fields.Field("sro", "sro", widget=UserByEmailWidget(self)),
            # Optional: blank follows from the dates (Contract.regime_in_effect).
            "regime": fields.Field("regime", "regime", widget=ChoiceWidget(Regime.choices, default="")),
            "procurement_started_on": fields.Field(
                "procurement_started_on", "procurement_started_on", widget=DateWidget(required=False)
            ),
        }

    class Meta:
        model = Contract
        fields = ()
        import_id_fields = ("reference",)
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = True

    def get_import_order(self):
        return tuple(self.fields)

    def get_import_fields(self):
        return list(self.fields.values())

    def before_import(self, dataset, **kwargs):
        if self.lookups is None:
            references = [_text(r) for r in dataset["reference"]] if "reference" in dataset.headers else []
            self.lookups = Lookups(references=references, by=self.by, supplier_choices=self.supplier_choices)
        self.first_line: dict[str, int] = {}
        self.new_contracts: list[Contract] = []

    def before_import_row(self, row, **kwargs):
        reference = _text(row.get("reference"))
        line = kwargs["row_number"] + 1
        assert self.lookups is not None  # made in before_import
        self.lookups.line = line
        if not reference:
            raise ValidationError({"reference": "Give the contract's reference."})
        if reference in self.first_line:
            raise ValidationError({"reference": f"“{reference}” is also on line {self.first_line[reference]}."})
        self.first_line[reference] = line

    def get_instance(self, instance_loader, row):
        assert self.lookups is not None  # given to the resource before its rows
        return self.lookups.contracts.get(_text(row.get("reference")))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # The widgets have found the related rows, and the check constraints are in Contract.clean
            # and the field validators: skip the per-row queries Django would make for them.
            instance.full_clean(
                exclude=[*errors, "supplier", "category", "oco", "sro", "kraljic_assessment"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.preview or self._is_dry_run(kwargs):
            # The preview writes no contracts: the row has passed full_clean (Contract.clean holds
            # the check constraints' rules) and the reference is unique in the file and matched.
            return
        if not is_create:
            # The register's own service: the history names the importing user, the values at
            # award are kept while there are no variations, a new OCO or SRO opens an assignment.
            contract_save(contract=instance, by=self.by)
            return
        # A new contract: what contract_save does, in bulk (a new contract has no variations and no
        # current assignments to look up). Its history rows name the importing user.
        instance.original_total_value = instance.total_value
        instance.original_end_date = instance.end_date
        self.new_contracts.append(instance)
        if len(self.new_contracts) >= BATCH_SIZE:
            self._new_contracts_save()

    def _new_contracts_save(self) -> None:
        if not self.new_contracts:
            return
        bulk_create_with_history(self.new_contracts, Contract, batch_size=BATCH_SIZE, default_user=self.by)
        now = timezone.now()
        assignments = [
            ContractAssignment(contract=contract, role=role, user=user, started_at=now, assigned_by=self.by)
            for contract in self.new_contracts
            for role, user in ((ContractAssignment.Role.OCO, contract.oco), (ContractAssignment.Role.SRO, contract.sro))
            if user is not None
        ]
        bulk_create_with_history(assignments, ContractAssignment, batch_size=BATCH_SIZE, default_user=self.by)
        self.new_contracts = []

    def after_import(self, dataset, result, **kwargs):
        if not self.preview:
            self._new_contracts_save()

    def after_import_row(self, row, row_result, **kwargs):
        if self.on_row is not None:
            self.on_row(kwargs["row_number"])
