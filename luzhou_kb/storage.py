"""Static files storage for production: whitenoise's hashed, compressed files."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Links the hashed names from the manifest `collectstatic` writes. Without a manifest
    (collectstatic never ran) the parent raises on every {% static %}, i.e. every page is a 500;
    here pages link the plain names instead (unstyled, but usable) and the log says why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.collected = self.read_manifest() is not None
        self.warned = False

    def stored_name(self, name):
        if self.collected:
            return super().stored_name(name)
        if not self.warned:
            self.warned = True
            logger.error("No static files manifest in %s: run `manage.py collectstatic` "
                         "(`make serve` does). Pages link unhashed names meanwhile.", self.location)
        return name
