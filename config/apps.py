from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, with the site that asks administrators for a second factor."""

    default_site = "config.admin_site.AdminSite"
