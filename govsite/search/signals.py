"""The search user dictionary (用户词典) follows the names of regions, units and registered websites."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from govsite.core.models import Region, Unit
from govsite.registry.models import Website

from .segment import add_user_words


@receiver(post_save, sender=Region, dispatch_uid="search_dictionary_region")
@receiver(post_save, sender=Unit, dispatch_uid="search_dictionary_unit")
@receiver(post_save, sender=Website, dispatch_uid="search_dictionary_website")
def add_saved_name(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A new or renamed place, unit or site is one word from now on (in this process; others at start)."""
    names = {instance.name, getattr(instance, "short_name", "")}
    names = {n for n in names if n}
    # At once, not on commit: a word too many after a rollback costs nothing; a missing one splits a name.
    add_user_words(names)
