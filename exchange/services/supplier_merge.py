"""What a supplier merge does with the finance system's invoices: registered in `ExchangeConfig.ready`
as the mover of `Supplier.invoices` (suppliers/merge.py), called in the merge's transaction."""

from accounts.models import User
from exchange.models import Invoice
from suppliers.models import Supplier


def invoices_move(*, old: Supplier, survivor: Supplier, by: User) -> None:
    """The merged record's invoices go to the survivor. One invoice number recorded under both records
    is one invoice: the survivor's is kept."""
    survivor_numbers = Invoice.objects.filter(supplier=survivor).values("invoice_number")
    Invoice.objects.filter(supplier=old, invoice_number__in=survivor_numbers).delete()
    Invoice.objects.filter(supplier=old).update(supplier=survivor)
