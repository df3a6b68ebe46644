// What the staff console and the kiosk share: the page's message line, and the staff sign-in
// (the #tenant, #email and #password form), whose access token is kept for this browser session.
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

/**
 * Signs in with the form's tenant, email and password, keeps the token for this browser session
 * and clears the password field. Resolves to { tenant, token }; rejects with the ApiError.
 */
export async function signIn() {
  const tenant = $('#tenant').value.trim();
  const r = await api('POST', '/api/v1/auth/login',
    { body: { tenant, email: $('#email').value.trim(), password: $('#password').value } });
  sessionStorage.setItem(TOKEN, r.accessToken);
  $('#password').value = '';
  return { tenant, token: r.accessToken };
}
