"""gunicorn's access log without the secrets some paths hold (config.logging.redact): set as
`logger_class` in deploy/gunicorn.conf.py and with --logger-class in the Procfile."""

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from config.logging import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The request line, the path, the referrer and any header or environment value named in the format.
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
