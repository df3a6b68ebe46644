// Ticket kiosk: one touch per class takes a ticket, the browser prints it (code, queue, time and a
// QR code that opens the join-and-watch page on that very ticket), then back to the start.
// Way in: the queue's display key in the address (#key=vqd_...), kept on the device, or a staff
// sign-in kept for this browser session.
import { applyI18n, t } from './i18n.js';
import { api, ApiError, joinKey } from './api.js';
import { $, h, show, timeText, pathParams, fragmentParams } from './ui.js';
import { forgetSession, message, sessionToken, signIn } from './session.js';
import qrcode from '/vendor/qrcode-generator-2.0.4/qrcode.mjs';

const RETURN_SECONDS = 8;
const SVG = 'http://www.w3.org/2000/svg';
const [tenant, queueSlug] = pathParams();
const KEY_STORE = `vq.kiosk.${tenant}/${queueSlug}`;
const queuePath = `/api/v1/public/${encodeURIComponent(tenant)}/queues/${encodeURIComponent(queueSlug)}`;

let displayKey = null;
let staffToken = null;
let queue = null;
let classes = [];
let countdownTimer = null;

function setView(name) {
  ['start-view', 'issuing-view', 'ticket-view', 'setup-view'].forEach((v) => show($(`#${v}`), v === name));
}

function readAccess() {
  const fromUrl = fragmentParams().get('key');
  if (fromUrl) {
    localStorage.setItem(KEY_STORE, fromUrl);
    history.replaceState(null, '', window.location.pathname);
  }
  displayKey = localStorage.getItem(KEY_STORE);
  staffToken = sessionToken();
}

async function loadQueue() {
  const headers = displayKey ? { 'X-Display-Key': displayKey } : {};
  queue = await api('GET', queuePath, { headers });
  $('#queue-name').textContent = queue.name;
  document.title = queue.name;
  classes = queue.priorityClasses;
  if (!displayKey && staffToken) {
    const full = await api('GET', `/api/v1/queues/${queue.id}`, { token: staffToken });
    classes = full.priorityClasses.map((c) => ({ name: c.name }));
  }
}

function showStart() {
  clearInterval(countdownTimer);
  countdownTimer = null;
  setView('start-view');
  const buttons = classes.length <= 1
    ? [h('button', { type: 'button', class: 'primary', 'data-class': '', text: t('kiosk.general') })]
    : classes.map((c) => h('button', { type: 'button', class: 'primary', 'data-class': c.name, text: c.name }));
  buttons.forEach((b) => b.addEventListener('click', () => issue(b.dataset.class || null)));
  $('#choices').replaceChildren(...buttons);
  if (!queue.accepting) message(t('kiosk.notAccepting'));
  buttons.forEach((b) => { b.disabled = !queue.accepting; });
}

async function issue(priority) {
  setView('issuing-view');
  message('');
  const body = priority ? { priority } : {};
  const idem = joinKey();
  try {
    const ticket = displayKey
      ? await api('POST', `${queuePath}/tickets`, { body, headers: { 'X-Display-Key': displayKey, 'Idempotency-Key': idem } })
      : await api('POST', `/api/v1/queues/${queue.id}/tickets`, { body, token: staffToken, headers: { 'Idempotency-Key': idem } });
    showTicket(ticket);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      forgetSession();
      staffToken = null;
      setup(t('staff.sessionExpired'));
      return;
    }
    message(e.message);
    showStart();
  }
}

/** The link on the ticket: the join page with the ticket in the fragment, which never reaches a server log. */
function watchLink(ticket) {
  return `${window.location.origin}/q/${encodeURIComponent(tenant)}/${encodeURIComponent(queueSlug)}#t=${ticket.id}.${ticket.token}`;
}

function qrSvg(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) d += `M${c + quiet},${r + quiet}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n + 2 * quiet} ${n + 2 * quiet}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('kiosk.scan'));
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

function showTicket(ticket) {
  setView('ticket-view');
  $('#ticket-queue').textContent = queue.name;
  $('#ticket-code').textContent = ticket.code;
  $('#ticket-time').textContent = t('kiosk.printedAt', { time: timeText(new Date(ticket.createdAt || Date.now())) });
  const link = watchLink(ticket);
  $('#qr').replaceChildren(qrSvg(link));
  $('#ticket').dataset.link = link;
  window.print();
  let left = RETURN_SECONDS;
  $('#countdown').textContent = t('kiosk.backSoon', { n: left });
  clearInterval(countdownTimer);
  countdownTimer = setInterval(() => {
    left -= 1;
    $('#countdown').textContent = t('kiosk.backSoon', { n: left });
    if (left <= 0) showStart();
  }, 1000);
}

function setup(text) {
  setView('setup-view');
  message(text || '');
  $('#tenant').value = tenant;
}

async function login(ev) {
  ev.preventDefault();
  try {
    const r = await signIn();
    if (!r.token) {
      message(t('account.useConsole'));
      return;
    }
    start();
  } catch (e) {
    message(e.message);
  }
}

async function start() {
  readAccess();
  if (!displayKey && !staffToken) {
    setup('');
    return;
  }
  try {
    await loadQueue();
    message('');
    showStart();
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'kiosk.invalid_key' || e.code === 'kiosk.key_missing')) {
      localStorage.removeItem(KEY_STORE);
      setup(t('kiosk.keyRejected'));
    } else if (e instanceof ApiError && e.status === 401) {
      forgetSession();
      setup(t('staff.sessionExpired'));
    } else {
      message(e.status === 404 ? t('common.queueNotFound') : e.message);
    }
  }
}

applyI18n();
$('#login-form').addEventListener('submit', login);
start();
