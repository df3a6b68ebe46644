// What the staff console and the kiosk share: the page's message line, and the staff sign-in
// (the #tenant, #email and #password form, and the second factor where the account has one), whose
// access token is kept for this browser session.
import { api } from './api.js';
import { $, show } from './ui.js';

const TOKEN = 'vq.staff';

/** Shows text in the page's #message line; no text hides the line. */
export function message(text) {
  $('#message').textContent = text || '';
  show($('#message'), Boolean(text));
}

/** The access token of this browser session's staff sign-in, or null. */
export function sessionToken() {
  return sessionStorage.getItem(TOKEN);
}

/** Forgets the staff sign-in (signed out, or the server refused the token). */
export function forgetSession() {
  sessionStorage.removeItem(TOKEN);
}

/** Keeps the access token of a finished sign-in for this browser session. */
export function keepSession(accessToken) {
  sessionStorage.setItem(TOKEN, accessToken);
}

/**
 * Signs in with the form's tenant, email and password and clears the password field. Resolves to
 * { tenant, token } (kept for this browser session), or, for an account with two-factor sign-in,
 * { tenant, challenge } to finish with {@link finishSignIn}, or, when the organisation requires
 * two-factor sign-in and the account has none yet, { tenant, enrolment } (a token good only for
 * setting it up). Rejects with the ApiError.
 */
export async function signIn() {
  const tenant = $('#tenant').value.trim();
  const r = await api('POST', '/api/v1/auth/login',
    { body: { tenant, email: $('#email').value.trim(), password: $('#password').value } });
  $('#password').value = '';
  if (r.mfaRequired) return { tenant, challenge: r.challenge };
  if (r.enrolmentRequired) return { tenant, enrolment: r.enrolmentToken };
  keepSession(r.accessToken);
  return { tenant, token: r.accessToken };
}

/** The second step: the challenge and a code (the app's, or a recovery code) for the token. */
export async function finishSignIn(challenge, code) {
  const r = await api('POST', '/api/v1/auth/login/2fa', { body: { challenge, code } });
  keepSession(r.accessToken);
  return r.accessToken;
}
