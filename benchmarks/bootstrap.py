"""What every benchmark does first: Django set up from the project's settings, and a throw-away test
database to fill. A benchmark script starts with

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root
    from benchmarks.bootstrap import django_setup, throwaway_database

    django_setup()
"""

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import django


def django_setup(**environ: str) -> None:
    """Django from config.settings. No collectstatic for a benchmark: the plain static storage, and no
    STATIC_ROOT for WhiteNoise to warn about. `environ`: variables set before the settings are read."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
    os.environ.update(environ)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


@contextmanager
def throwaway_database(*, test_environment: bool = True) -> Iterator[None]:
    """A test database named after DATABASE_URL's (with a test_ prefix), dropped at the end even on
    failure. With `test_environment`, Django's test environment too: DEBUG off, as in production (no
    query log slowing every request down), the in-memory e-mail backend, the test client's host."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    if test_environment:
        setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if test_environment:
            teardown_test_environment()
