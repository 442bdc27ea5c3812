// 安全密钥 (WebAuthn): the browser side of registering and using a USB key. Options come from the server
// as JSON with base64url fields; the answer goes back the same way.
(function () {
  const b64urlToBuf = (s) => {
    const pad = '='.repeat((4 - (s.length % 4)) % 4);
    const bin = atob((s + pad).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer;
  };
  const bufToB64url = (buf) => {
    let bin = '';
    new Uint8Array(buf).forEach((b) => { bin += String.fromCharCode(b); });
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const csrf = () => document.querySelector('input[name=csrfmiddlewaretoken]').value;
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf()},
      body: JSON.stringify(body || {}),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || '请求失败');
    return data;
  };
  const showError = (message) => {
    const el = document.getElementById('accounts-key-error');
    el.textContent = message;
    el.hidden = false;
  };
  const encode = (cred) => {
    const r = cred.response;
    const response = {clientDataJSON: bufToB64url(r.clientDataJSON)};
    if (r.attestationObject) response.attestationObject = bufToB64url(r.attestationObject);
    if (r.authenticatorData) response.authenticatorData = bufToB64url(r.authenticatorData);
    if (r.signature) response.signature = bufToB64url(r.signature);
    if (r.userHandle) response.userHandle = bufToB64url(r.userHandle);
    return {id: cred.id, rawId: bufToB64url(cred.rawId), type: cred.type, response: response,
            clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}};
  };
  const descriptors = (list) => (list || []).map((d) => Object.assign({}, d, {id: b64urlToBuf(d.id)}));
  const unsupported = () => !window.PublicKeyCredential;

  const register = document.getElementById('accounts-key-register');
  if (register) register.addEventListener('click', async () => {
    if (unsupported()) return showError('此浏览器不支持安全密钥。');
    try {
      const options = await post(register.dataset.begin);
      options.challenge = b64urlToBuf(options.challenge);
      options.user.id = b64urlToBuf(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      const cred = await navigator.credentials.create({publicKey: options});
      const result = await post(register.dataset.complete + '?next=' + encodeURIComponent(register.dataset.next),
                                {credential: encode(cred), name: '安全密钥'});
      window.location = result.redirect;
    } catch (error) { showError(error.name === 'NotAllowedError' ? '操作已取消或超时。' : error.message); }
  });

  const auth = document.getElementById('accounts-key-auth');
  if (auth) auth.addEventListener('click', async () => {
    if (unsupported()) return showError('此浏览器不支持安全密钥。');
    try {
      const options = await post(auth.dataset.begin);
      options.challenge = b64urlToBuf(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      const cred = await navigator.credentials.get({publicKey: options});
      const result = await post(auth.dataset.complete + '?next=' + encodeURIComponent(auth.dataset.next),
                                {credential: encode(cred)});
      window.location = result.redirect;
    } catch (error) { showError(error.name === 'NotAllowedError' ? '操作已取消或超时。' : error.message); }
  });
})();
