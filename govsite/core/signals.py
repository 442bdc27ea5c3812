"""Keep Wagtail group membership in step with role assignments, whichever path changed them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import RoleAssignment
from .permissions import sync_user_groups


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def _role_assignment_changed(sender, instance: RoleAssignment, **kwargs) -> None:  # noqa: ANN001
    sync_user_groups(instance.user)
