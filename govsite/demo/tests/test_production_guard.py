"""The demo never creates its known-password accounts where the configuration does not allow demos."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from govsite.registry.models import Website


@pytest.mark.django_db
def test_demo_refuses_to_create_known_password_accounts_in_production(settings):  # noqa: ANN001
    settings.GOVSITE_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="演示账号"):
        call_command("demo", registry_size=30, articles_per_column=1, verbosity=0)
    assert not get_user_model().objects.exists()
    assert not Website.objects.exists()
