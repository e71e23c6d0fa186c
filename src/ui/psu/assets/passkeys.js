// Passkey ceremonies for the PSU pages. Progressive enhancement: every page works without it
// (one-time codes); buttons marked data-passkey-* appear only when WebAuthn is available.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !window.SimpleWebAuthnBrowser) return;
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const headers = { 'content-type': 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf.getAttribute('content');

  async function post(url, body) {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body || {}), credentials: 'same-origin' });
    const json = await response.json().catch(function () { return {}; });
    if (!response.ok) throw new Error(json.message || 'The passkey could not be used');
    return json;
  }

  function showError(button, message) {
    const note = document.getElementById(button.getAttribute('aria-describedby') || '') || document.createElement('p');
    note.className = 'error';
    note.setAttribute('role', 'alert');
    note.textContent = message;
    if (!note.parentNode) button.parentNode.insertBefore(note, button.nextSibling);
  }

  document.querySelectorAll('[data-passkey-register]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', async function () {
      try {
        const options = await post(button.getAttribute('data-passkey-register') + '/options');
        const attestation = await SimpleWebAuthnBrowser.startRegistration({ optionsJSON: options });
        await post(button.getAttribute('data-passkey-register'), attestation);
        window.location.reload();
      } catch (error) {
        showError(button, error.message);
      }
    });
  });

  document.querySelectorAll('[data-passkey-authenticate]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', async function () {
      try {
        const options = await post(button.getAttribute('data-passkey-authenticate') + '/options');
        const assertion = await SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: options });
        const result = await post(button.getAttribute('data-passkey-authenticate'), assertion);
        window.location.assign(result.location);
      } catch (error) {
        showError(button, error.message);
      }
    });
  });
})();
