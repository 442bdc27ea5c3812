"""`wagtail.users` with GovSite's user viewset (adminui/users.py): no superuser or group fields on user forms."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    """INSTALLED_APPS names this class in place of "wagtail.users"."""

    user_viewset = "govsite.adminui.users.UserViewSet"
