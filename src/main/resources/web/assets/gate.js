/*
 * Virtual Queue gate: the browser half of a site protected by a waiting room. Include it on every
 * page of the site (a classic script, no dependencies, no build step):
 *
 *   <script src="https://queue.example.org/assets/gate.js"
 *           data-join-url="https://queue.example.org/q/acme/ticket-drop"
 *           data-audience="https://shop.example.org"></script>
 *
 * It takes the access token that the join page puts in the address fragment (#vq_access_token=...),
 * removes it from the address bar, keeps it in sessionStorage for this tab, and sends the visitor
 * back to the join page when there is no token or it has expired or is for another audience.
 *
 * THIS IS NOT SECURITY. The browser checks only exp, aud (and iss if given) so that people without
 * a turn are sent back to the line; anyone can edit a script or forge an unsigned token. The site's
 * server must verify the token's ES256 signature against the queue server's JWKS (or ask its
 * verify route) on every request that matters: see docs/protected-site.md.
 *
 * data- attributes of the script tag:
 *   data-join-url     where to send people without a valid token (without it, nobody is sent anywhere)
 *   data-audience     the aud the token must have (the room's waitingRoom.audience)
 *   data-issuer       the iss the token must have (the queue server's public URL)
 *   data-release-url  a URL of the site's own backend that releases the token (see release())
 *   data-redirect     "off": never redirect, the site asks token() and decides itself
 *
 * window.VirtualQueueGate:
 *   token()    the access token (a string) while it is valid here, else null
 *   claims()   its decoded claims ({sub, aud, exp, ...}) while valid, else null
 *   release()  forgets the token; with data-release-url, first POSTs {"token": ...} there (same-origin
 *              credentials) so the site's server can call the queue's release route with its API key.
 *              Resolves to true when the site's backend answered 2xx. It calls nothing else itself.
 */
(function () {
  'use strict';

  var PARAM = 'vq_access_token';
  var STORE = 'vq.accessToken';
  var script = document.currentScript;
  var config = (script && script.dataset) || {};
  var memory = null;
  var expiryTimer = null;

  function stored() {
    try {
      return window.sessionStorage.getItem(STORE);
    } catch (e) {
      return memory;
    }
  }

  function keep(token) {
    memory = token;
    try {
      if (token === null) window.sessionStorage.removeItem(STORE);
      else window.sessionStorage.setItem(STORE, token);
    } catch (e) {
      // storage off (some private modes): the token lives as long as the page
    }
  }

  /** The JSON payload of a compact JWS, or null. The signature is NOT checked: that is the server's job. */
  function decode(token) {
    var parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) return null;
    try {
      var b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
      var binary = window.atob(b64 + '==='.slice((b64.length + 3) % 4));
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      var claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
    } catch (e) {
      return null;
    }
  }

  function audienceMatches(aud) {
    if (!config.audience) return true;
    return Array.isArray(aud) ? aud.indexOf(config.audience) >= 0 : aud === config.audience;
  }

  /** The claims of the kept token when it passes the browser's checks (exp, aud, iss), else null. */
  function current() {
    var claims = decode(stored());
    if (claims === null || typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null;
    if (!audienceMatches(claims.aud)) return null;
    if (config.issuer && claims.iss !== config.issuer) return null;
    return claims;
  }

  /** Moves a token from the address fragment into storage, leaving the other fragment parameters. */
  function adopt() {
    var hash = window.location.hash.replace(/^#/, '');
    if (hash.indexOf(PARAM + '=') < 0) return;
    var params = new URLSearchParams(hash);
    var token = params.get(PARAM);
    params.delete(PARAM);
    if (token) keep(token);
    var rest = params.toString();
    window.history.replaceState(window.history.state, '',
      window.location.pathname + window.location.search + (rest ? '#' + rest : ''));
  }

  /** Sends the visitor back to the line when the token is missing or no longer passes; else waits for its expiry. */
  function check() {
    clearTimeout(expiryTimer);
    var claims = current();
    if (claims === null) {
      if (config.joinUrl && config.redirect !== 'off') window.location.replace(config.joinUrl);
      return;
    }
    var left = claims.exp * 1000 - Date.now();
    expiryTimer = setTimeout(check, Math.min(left + 250, 2147483647));
  }

  function token() {
    return current() === null ? null : stored();
  }

  function claims() {
    var c = current();
    return c === null ? null : JSON.parse(JSON.stringify(c));
  }

  function release() {
    var t = stored();
    keep(null);
    clearTimeout(expiryTimer);
    if (!t || !config.releaseUrl) return Promise.resolve(false);
    return fetch(config.releaseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: t }),
      credentials: 'same-origin',
      keepalive: true,
    }).then(function (r) { return r.ok; }, function () { return false; });
  }

  adopt();
  window.VirtualQueueGate = Object.freeze({ token: token, claims: claims, release: release });
  check();
}());
