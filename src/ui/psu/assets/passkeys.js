// Passkey ceremonies for the PSU pages and the operations console. Progressive enhancement: every
// page works without it (one-time codes); buttons marked data-passkey-* appear only when WebAuthn
// is available.
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

  // A button's attribute names its ceremony's endpoint: `…/options` first, then the response of the
  // authenticator. A button in a form (hidden without script) sends the form's fields with `…/options`
  // (a passkey's name), once they are valid; submitting the form starts the ceremony too.
  function onCeremony(attribute, ceremony, done) {
    document.querySelectorAll('[' + attribute + ']').forEach(function (button) {
      const form = button.form;
      button.hidden = false;
      if (form) {
        form.hidden = false;
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          button.click();
        });
      }
      button.addEventListener('click', async function () {
        if (form && !form.reportValidity()) return;
        try {
          const endpoint = button.getAttribute(attribute);
          const options = await post(endpoint + '/options', form ? Object.fromEntries(new FormData(form)) : undefined);
          const credential = await ceremony({ optionsJSON: options });
          done(await post(endpoint, credential));
        } catch (error) {
          showError(button, error.message);
        }
      });
    });
  }

  onCeremony('data-passkey-register', SimpleWebAuthnBrowser.startRegistration, function () {
    window.location.reload();
  });
  onCeremony('data-passkey-authenticate', SimpleWebAuthnBrowser.startAuthentication, function (result) {
    window.location.assign(result.location);
  });
})();
