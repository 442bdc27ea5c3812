import json
from django.db import transaction
class _RB(Exception): pass
def wrap(fn):
    def call(*a, **k):
        box=[]
        try:
            with transaction.atomic():
                r = fn(*a, **k); box.append(r)
                raise _RB
        except _RB:
            pass
        return box[0]
    return call
import pytest
from django.test import Client
from govsite.testing import build_mini_region, client_for, make_user
from govsite.registry.tests import platform_admin

pytestmark = pytest.mark.django_db(transaction=False)

def test_probe(mini_region):
    admin = platform_admin("admin")
    c = client_for(admin)
    c.raise_request_exception = False
    c.get=wrap(c.get); c.post=wrap(c.post); c.put=wrap(c.put)
    for url in ["/api/v1/registry/websites?page=99999999999999999999",
                "/api/v1/registry/websites?page=9999999999999",
                "/api/v1/registry/websites?page=-1",
                "/api/v1/content/pages?limit=99999999999999999999",
                "/api/v1/content/pages?offset=99999999999999999999",
                "/api/v1/content/pages?offset=9999999999999",
                "/api/v1/content/pages?limit=-1",
                "/api/v1/content/pages/99999999999999999999",
                "/api/v1/content/pages/9223372036854775808",
                "/api/v1/registry/websites/%00",
                "/api/v1/registry/websites/%ED%A0%80",
                "/admin/registry/99999999999999999999/",
                "/admin/registry/?p=99999999999999999999",
                "/admin/registry/?q=%00",
                "/api/v1/registry/websites?status=%00",
                "/api/v1/content/pages?site_code=%00",
                "/admin/pages/search/?q=%00",
                "/admin/registry/?unit=%00",
                "/admin/registry/?unit=99999999999999999999",
                "/admin/pages/99999999999999999999/",
                "/admin/pages/99999999999999999999/edit/",
                "/admin/documents/?q=%00",
                "/admin/registry/export/?q=%00",
                "/admin/monitoring/?q=%00",
                ]:
        r = c.get(url)
        print(url, r.status_code)
    pc = Client(HTTP_HOST="www.jia.gov.cn"); pc.raise_request_exception=False; pc.get=wrap(pc.get)
    for url in ["/%00/", "/?q=%00", "/search/?query=%00", "/%ED%A0%80/", "/?page=99999999999999999999"]:
        r = pc.get(url); print("public", url, r.status_code)
    r = c.post("/api/v1/registry/websites/9901000001/status", data='{"to_status": "rectifying", "reason": "\\ud800"}', content_type="application/json")
    print("surrogate", r.status_code, r.content[:200])
    r = c.post("/api/v1/registry/websites/9901000001/status", data=json.dumps({"to_status": "rectifying", "reason": "x", "document_number": "1"*500}), content_type="application/json")
    print("long", r.status_code, r.content[:200])
    r = c.put("/api/v1/registry/websites/9901000001/columns", data='[{"name": "\\ud800", "url": "https://www.jia.gov.cn/a/"}]', content_type="application/json")
    print("surrogate col", r.status_code, r.content[:200])
