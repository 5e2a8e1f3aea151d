"""A contract's lifecycle pages, split by subdomain: the tab, variations and renewal decisions, the
renewals list, endings and termination notices, savings, OCO training and handover. The rules live in
the models' clean(), contracts/services/lifecycle.py and contracts/selectors/lifecycle.py."""
