"""Chinese names for the permissions a platform administrator ticks on a 用户组 (group) page.

Django writes a permission's name into the database once, in English ("Can add page", and Wagtail's
"Delete pages with children"), and Wagtail's group editor shows that stored name. After every migrate
the names are rewritten in LANGUAGE_CODE: 可添加/可修改/可删除/可查看 + the model's verbose name, and a
permission a model declares in Meta.permissions with its own (translated) name.
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ACTIONS = {"add": _("可添加"), "change": _("可修改"), "delete": _("可删除"), "view": _("可查看")}
NAME_MAX_LENGTH = Permission._meta.get_field("name").max_length


def permission_name(permission: Permission) -> str | None:
    """The name of a permission in the active language, or None if its model is gone."""
    model = permission.content_type.model_class()
    if model is None:
        return None
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTIONS and model_name == model._meta.model_name:
        return f"{ACTIONS[action]}{model._meta.verbose_name}"
    declared = dict(model._meta.permissions).get(permission.codename)
    # Wagtail declares some of these names as plain strings, so they are looked up in the catalogue here.
    return translation.gettext(str(declared) if declared else permission.name)


def translate_permission_names(**kwargs) -> int:
    """Rewrites every permission's stored name in LANGUAGE_CODE; returns how many changed."""
    changed = []
    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.select_related("content_type"):
            name = permission_name(permission)
            if name and name[:NAME_MAX_LENGTH] != permission.name:
                permission.name = name[:NAME_MAX_LENGTH]
                changed.append(permission)
    Permission.objects.bulk_update(changed, ["name"])
    return len(changed)
