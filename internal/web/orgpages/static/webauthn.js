// webauthn.js is the only script of keyward's pages. A form marked
// data-webauthn="create" (add a security key) or "get" (use one to sign
// in) asks the browser for a credential with the options in the page's
// <script type="application/json" id="webauthn-options"> block, puts the
// answer (base64url fields, as JSON) in the form's hidden "response"
// field and submits the form. The server checks everything.
(function () {
  "use strict";

  function toBuffer(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) {
      s += "=";
    }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out.buffer;
  }

  function toBase64URL(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeIDs(list) {
    (list || []).forEach(function (c) {
      c.id = toBuffer(c.id);
    });
  }

  function publicKeyOptions() {
    var pk = JSON.parse(document.getElementById("webauthn-options").textContent).publicKey;
    pk.challenge = toBuffer(pk.challenge);
    if (pk.user) {
      pk.user.id = toBuffer(pk.user.id);
    }
    decodeIDs(pk.excludeCredentials);
    decodeIDs(pk.allowCredentials);
    return pk;
  }

  function serialize(cred) {
    var r = cred.response, out = {
      id: cred.id, rawId: toBase64URL(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults(),
      response: {clientDataJSON: toBase64URL(r.clientDataJSON)}
    };
    if (r.attestationObject) {
      out.response.attestationObject = toBase64URL(r.attestationObject);
      if (r.getTransports) {
        out.response.transports = r.getTransports();
      }
    } else {
      out.response.authenticatorData = toBase64URL(r.authenticatorData);
      out.response.signature = toBase64URL(r.signature);
      if (r.userHandle) {
        out.response.userHandle = toBase64URL(r.userHandle);
      }
    }
    return JSON.stringify(out);
  }

  function fail(form, err) {
    var p = form.querySelector("[data-webauthn-error]");
    if (p) {
      p.textContent = "The security key did not answer (" + (err && err.name ? err.name : "error") +
        "). Try again" + (form.dataset.webauthn === "get" ? ", or use another factor." : ".");
      p.hidden = false;
    }
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.dataset || !form.dataset.webauthn || form.elements.response.value) {
      return;
    }
    ev.preventDefault();
    if (!window.PublicKeyCredential) {
      fail(form, {name: "NotSupportedError"});
      return;
    }
    var pk = publicKeyOptions();
    var ask = form.dataset.webauthn === "create" ?
      navigator.credentials.create({publicKey: pk}) : navigator.credentials.get({publicKey: pk});
    ask.then(function (cred) {
      form.elements.response.value = serialize(cred);
      form.submit();
    }).catch(function (err) {
      fail(form, err);
    });
  });
}());
