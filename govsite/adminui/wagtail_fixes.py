"""Small corrections to Wagtail's admin where its English does not come from a translatable string."""

from django.utils.text import capfirst


def label_site_columns() -> None:
    """Wagtail's 站点 list names three columns after their fields ("Port", "Site name", "Root page")
    instead of the fields' translated verbose names."""
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if getattr(column, "name", None) in {"hostname", "port", "site_name", "root_page", "is_default_site"}:
            field = Site._meta.get_field(column.name)
            column.label = capfirst(field.verbose_name)


def label_page_fields() -> None:
    """Wagtail's 流程 form and its 用户组 page-permission form declare their page chooser without a label,
    so Django named it "Page"."""
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.users.forms import PagePermissionsForm

    for form_class in (WorkflowPageForm, PagePermissionsForm):
        form_class.base_fields["page"].label = _("页面")


def full_name_in_sidebar() -> None:
    """Wagtail's sidebar greets the user by first_name, which for a Chinese name is the 名 alone; it shows
    the whole name (姓名) like every other place that names a user."""
    from wagtail.admin.ui.sidebar import MainMenuModule
    from wagtail.admin.utils import get_user_display_name

    wagtails_js_args = MainMenuModule.js_args

    def js_args(self) -> list:  # noqa: ANN001
        args = wagtails_js_args(self)
        args[2] = {**args[2], "name": get_user_display_name(self.user)}
        return args

    MainMenuModule.js_args = js_args
