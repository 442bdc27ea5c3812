"""The admin listings share one accessible filter form (govsite/filter_form.html)."""

from django.urls import reverse


def test_admin_listings_offer_a_labelled_filter_form(mini_region, client):
    from govsite.testing import make_user
    client.force_login(make_user(is_superuser=True, is_staff=True))
    for name in ("registry:index", "checks:lexicon_index", "monitoring:dashboard"):
        html = client.get(reverse(name)).content.decode()
        assert 'role="search"' in html and "筛选" in html and 'class="w-field__label"' in html, name


def test_admin_forms_render_their_fields_with_csrf(mini_region, client):
    from govsite.testing import make_user

    client.force_login(make_user(is_superuser=True, is_staff=True))
    pages = {
        "registry:create": False,
        "registry:import": True,
        "checks:lexicon_create": False,
        "checks:lexicon_import": True,
    }
    for name, multipart in pages.items():
        html = client.get(reverse(name)).content.decode()
        assert "csrfmiddlewaretoken" in html and 'class="fields"' in html and 'type="submit"' in html, name
        assert ('enctype="multipart/form-data"' in html) == multipart, name
