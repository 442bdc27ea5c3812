"""安全密钥 (WebAuthn / USB key, the cryptographic factor): registration and authentication answered by a
software key that signs like a real one, through the services and through the login pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from govsite.accounts import services
from govsite.accounts.models import SecurityKey
from govsite.testing import make_user

from .helpers import password_step
from .softkey import SoftKey

pytestmark = pytest.mark.django_db
RP = services.RelyingParty(rp_id="admin.example.gov.cn", origin="https://admin.example.gov.cn", name="GovSite")


def _registered(user, key: SoftKey) -> SecurityKey:  # noqa: ANN001
    session = SessionStore()
    options = services.begin_key_registration(user, RP, session)
    return services.do_register_security_key(user, RP, session, key.register(options, RP.origin), name="办公室")


def test_a_key_registers_and_then_signs_in() -> None:
    user = make_user("staff")
    soft = SoftKey()
    stored = _registered(user, soft)
    assert bytes(stored.credential_id) == soft.credential_id and stored.confirmed
    assert services.has_second_factor(user)

    session = SessionStore()
    options = services.begin_key_authentication(user, RP, session)
    assert json.loads(options)["allowCredentials"][0]["id"]
    verified = services.verify_security_key(user, RP, session, soft.authenticate(options, RP.origin))
    assert verified.pk == stored.pk
    verified.refresh_from_db()
    assert verified.sign_count == 1 and verified.last_used_at is not None


def test_an_answer_for_another_site_or_challenge_is_refused() -> None:
    user = make_user("staff")
    soft = SoftKey()
    _registered(user, soft)

    session = SessionStore()
    options = services.begin_key_authentication(user, RP, session)
    with pytest.raises(services.SecondFactorError, match="安全密钥验证失败"):
        services.verify_security_key(user, RP, session, soft.authenticate(options, "https://evil.example.com"))

    session = SessionStore()
    options = services.begin_key_authentication(user, RP, session)
    answer = soft.authenticate(options, RP.origin)
    services.verify_security_key(user, RP, session, answer)
    with pytest.raises(services.SecondFactorError, match="已过期"):  # the challenge is used up
        services.verify_security_key(user, RP, session, answer)

    session = SessionStore()
    options = services.begin_key_authentication(user, RP, session)
    with pytest.raises(services.SecondFactorError):
        services.verify_security_key(user, RP, session, soft.authenticate(options, RP.origin, rp_id="evil.example.com"))


def test_a_key_of_another_user_or_a_cloned_key_is_refused() -> None:
    owner, other = make_user("owner"), make_user("other")
    soft = SoftKey()
    _registered(owner, soft)
    _registered(other, SoftKey())

    session = SessionStore()
    options = services.begin_key_authentication(other, RP, session)
    forged = json.loads(options)
    forged["allowCredentials"] = []
    with pytest.raises(services.SecondFactorError, match="没有登记在您的账号下"):
        services.verify_security_key(other, RP, session, soft.authenticate(json.dumps(forged), RP.origin))

    session = SessionStore()
    options = services.begin_key_authentication(owner, RP, session)
    services.verify_security_key(owner, RP, session, soft.authenticate(options, RP.origin))
    soft.sign_count = 0  # a copy of the key, behind the original's counter
    session = SessionStore()
    options = services.begin_key_authentication(owner, RP, session)
    with pytest.raises(services.SecondFactorError):
        services.verify_security_key(owner, RP, session, soft.authenticate(options, RP.origin))


def test_the_same_key_cannot_be_registered_twice() -> None:
    user = make_user("staff")
    soft = SoftKey()
    _registered(user, soft)
    with pytest.raises(services.SecondFactorError, match="已经登记过"):
        _registered(make_user("other"), soft)


def test_enrol_with_a_key_then_log_in_with_it_through_the_pages() -> None:
    make_user("staff", is_staff=True, is_superuser=True)
    soft = SoftKey()
    origin = "http://testserver"
    client = Client()
    password_step(client, "staff")
    setup = client.get("/admin/security/setup/").content.decode()
    assert "登记安全密钥" in setup
    options = client.post("/admin/security/keys/register/begin/").content.decode()
    assert json.loads(options)["rp"]["id"] == "testserver"
    done = client.post("/admin/security/keys/register/complete/?next=/admin/pages/",
                       {"credential": soft.register(options, origin), "name": "办公室"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["redirect"].startswith("/admin/security/recovery-codes/")
    assert client.get("/admin/pages/").status_code == 200

    again = Client()
    password_step(again, "staff")
    assert again.get("/admin/")["Location"].startswith("/admin/security/verify/")
    assert "使用安全密钥" in again.get("/admin/security/verify/").content.decode()
    options = again.post("/admin/security/keys/authenticate/begin/").content.decode()
    bad = again.post("/admin/security/keys/authenticate/complete/",
                     {"credential": {"rawId": "AAAA", "response": {}}}, content_type="application/json")
    assert bad.status_code == 400 and "没有登记" in bad.json()["error"]
    options = again.post("/admin/security/keys/authenticate/begin/").content.decode()
    ok = again.post("/admin/security/keys/authenticate/complete/?next=/admin/pages/",
                    {"credential": soft.authenticate(options, origin)}, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"redirect": "/admin/pages/"}
    assert again.get("/admin/pages/").status_code == 200


def test_key_endpoints_answer_bad_input_in_chinese_not_500() -> None:
    make_user("staff", is_staff=True, is_superuser=True)
    client = Client()
    password_step(client, "staff")
    client.post("/admin/security/keys/register/begin/")
    for body in ("not json", "[]", json.dumps({"credential": "x"}), json.dumps({"credential": {"id": 5}})):
        response = client.post("/admin/security/keys/register/complete/", body, content_type="application/json")
        assert response.status_code == 400, body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["error"])
