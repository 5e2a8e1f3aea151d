from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"

    def ready(self) -> None:
        from exchange.services.supplier_merge import invoices_move
        from suppliers.merge import mover_register

        mover_register("invoices", invoices_move)
