"""Production settings: everything from the environment, nothing insecure by default."""

from .base import *  # noqa: F403
from .base import refuse_insecure_production, require_secret_key

require_secret_key()
refuse_insecure_production()
