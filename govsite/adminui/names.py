"""Persons' names in 姓名 order.

Django's User.get_full_name() is "first last" with a space, so 岑 (last_name, 姓) 砚秋 (first_name, 名)
showed as "砚秋 岑" in every list Wagtail renders (users, page owners, workflow history, audit log): all
of them go through get_full_name() (wagtail.admin.utils.get_user_display_name and the user tables).
The user model cannot be swapped in an existing database, so the one method is replaced here.
"""

import re

from django.contrib.auth import get_user_model

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def full_name(first_name: str, last_name: str) -> str:
    """The name as it is written: 姓名 with no space for a Chinese name, "First Last" otherwise."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if _HAN.search(first_name + last_name):
        return f"{last_name}{first_name}"
    return f"{first_name} {last_name}".strip()


def _get_full_name(user) -> str:  # noqa: ANN001
    return full_name(user.first_name, user.last_name)


def install() -> None:
    get_user_model().get_full_name = _get_full_name
