// The staff console's account page: change the password, and set up or turn off two-factor sign-in
// (scan the QR code, confirm with a code, keep the recovery codes, which are shown only once). A
// sign-in that the organisation holds until two-factor sign-in is set up lands here with an
// enrolment token, good only for these steps; confirming finishes that sign-in.
import { t } from './i18n.js';
import { api } from './api.js';
import { $, h, show } from './ui.js';
import { keepSession } from './session.js';

let credential = null;
let enrolling = false;
let signedIn = null;
let hooks = null;
let required = false;

const call = (method, path, body) => api(method, path, { token: credential, body });

function notice(text) {
  $('#notice').textContent = text || '';
  show($('#notice'), Boolean(text));
}

async function loadStatus() {
  const s = await hooks.run(() => call('GET', '/api/v1/auth/2fa'));
  if (!s) return;
  required = s.required;
  show($('#tf-enrol'), false);
  show($('#tf-start'), !s.enabled);
  show($('#tf-disable'), s.enabled && !s.required);
  if (s.enabled) {
    $('#tf-status').textContent = t(s.required ? 'account.tfRequiredOn' : 'account.tfOn', { n: s.recoveryCodesLeft });
  } else {
    $('#tf-status').textContent = t('account.tfOff');
  }
}

async function startEnrolment() {
  const e = await hooks.run(() => call('POST', '/api/v1/auth/2fa/enroll'));
  if (!e) return;
  $('#tf-qr').src = e.qrCode;
  $('#tf-qr').alt = t('account.tfQrAlt');
  $('#tf-secret').textContent = e.secret;
  show($('#tf-start'), false);
  show($('#tf-enrol'), true);
  $('#tf-code').focus();
}

async function confirm(ev) {
  ev.preventDefault();
  const c = await hooks.run(() => call('POST', '/api/v1/auth/2fa/confirm', { code: $('#tf-code').value.trim() }));
  $('#tf-code').value = '';
  if (!c) return;
  if (c.signIn) {
    signedIn = c.signIn.accessToken;
    keepSession(signedIn);
  }
  $('#tf-qr').removeAttribute('src');
  $('#tf-secret').textContent = '';
  show($('#tf-enrol'), false);
  $('#tf-status').textContent = t(required ? 'account.tfRequiredOn' : 'account.tfOn', { n: c.recoveryCodes.length });
  $('#tf-recovery').replaceChildren(...c.recoveryCodes.map((code) => h('li', {}, code)));
  show($('#tf-codes'), true);
}

function codesSaved() {
  $('#tf-recovery').replaceChildren();
  show($('#tf-codes'), false);
  if (enrolling && signedIn) {
    hooks.signedIn(signedIn);
    return;
  }
  loadStatus();
}

async function disable(ev) {
  ev.preventDefault();
  const code = $('#tf-disable-code').value.trim();
  const body = code ? { code } : { password: $('#tf-disable-password').value };
  const r = await hooks.run(() => call('POST', '/api/v1/auth/2fa/disable', body));
  $('#tf-disable-code').value = '';
  $('#tf-disable-password').value = '';
  if (r === null) {
    notice(t('account.tfDisabled'));
    loadStatus();
  }
}

async function changePassword(ev) {
  ev.preventDefault();
  const body = { currentPassword: $('#current-password').value, newPassword: $('#new-password').value };
  const r = await hooks.run(() => call('POST', '/api/v1/auth/password', body));
  $('#current-password').value = '';
  $('#new-password').value = '';
  // every token and session of the account ended with the change, this one too: sign in again
  if (r === null) hooks.signOut(t('account.passwordChanged'));
}

/**
 * Opens the page with {@code token} (a staff access token, or with {@code enrolment} an enrolment
 * token: then only two-factor set-up is offered, and confirming signs in).
 */
export function openAccount(token, enrolment = false) {
  credential = token;
  enrolling = enrolment;
  signedIn = null;
  notice('');
  show($('#account-view'), true);
  show($('#enrol-required'), enrolment);
  show($('#password-panel'), !enrolment);
  show($('#account-back'), !enrolment);
  show($('#tf-codes'), false);
  loadStatus();
}

/**
 * Wires the page once. {@code run} runs an API call the console's way (errors shown, an ended
 * session signed out); {@code signedIn(token)} continues after an enrolment finished a sign-in;
 * {@code signOut(text)} ends the console's session with a message; {@code back()} returns to the console.
 */
export function initAccount({ run, signedIn: onSignedIn, signOut, back }) {
  hooks = { run, signedIn: onSignedIn, signOut };
  $('#tf-start').addEventListener('click', startEnrolment);
  $('#tf-confirm-form').addEventListener('submit', confirm);
  $('#tf-codes-done').addEventListener('click', codesSaved);
  $('#tf-disable').addEventListener('submit', disable);
  $('#password-form').addEventListener('submit', changePassword);
  $('#account-back').addEventListener('click', back);
}
