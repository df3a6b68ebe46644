// Staff console: sign in, pick a queue and counter, open/close it, call next, act on the ticket at
// the counter, watch the waiting list and the snapshot, pause or resume the queue. Every API error
// is shown as the server worded it, with its code.
import { applyI18n, t } from './i18n.js';
import { api, ApiError } from './api.js';
import { $, h, show, minutesText, timeText } from './ui.js';

const TOKEN = 'vq.staff';
const TENANT = 'vq.staff.tenant';
const REFRESH_MS = 5000;

let token = sessionStorage.getItem(TOKEN);
let queues = [];
let counters = [];
let current = null;
let refreshTimer = null;

const pick = (key) => localStorage.getItem(`vq.console.${key}`);
const keep = (key, value) => localStorage.setItem(`vq.console.${key}`, value);
const queueId = () => $('#queue').value;
const counterId = () => $('#counter').value;

function message(text) {
  $('#message').textContent = text || '';
  show($('#message'), Boolean(text));
}

function notice(text) {
  $('#notice').textContent = text || '';
  show($('#notice'), Boolean(text));
}

/**
 * Runs an API call; a failure is shown plainly ("detail (code)"), an expired session signs out.
 * A person's action clears the previous error first; background refreshes leave it standing.
 */
async function run(fn, clear = true) {
  if (clear) message('');
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && token) {
      signOut(t('staff.sessionExpired'));
    } else {
      message(e instanceof ApiError && e.status ? `${e.message} (${e.code})` : e.message);
    }
    return undefined;
  }
}

const call = (method, path, body) => api(method, path, { token, body });

function signOut(text) {
  token = null;
  sessionStorage.removeItem(TOKEN);
  clearInterval(refreshTimer);
  refreshTimer = null;
  show($('#console-view'), false);
  show($('#sign-out'), false);
  show($('#login-view'), true);
  $('#tenant').value = localStorage.getItem(TENANT) || '';
  message(text || '');
}

async function login(ev) {
  ev.preventDefault();
  const tenant = $('#tenant').value.trim();
  const r = await run(() => api('POST', '/api/v1/auth/login',
    { body: { tenant, email: $('#email').value.trim(), password: $('#password').value } }));
  if (r) {
    token = r.accessToken;
    sessionStorage.setItem(TOKEN, token);
    localStorage.setItem(TENANT, tenant);
    $('#password').value = '';
    openConsole();
  }
}

function options(select, items, label, selected) {
  select.replaceChildren(...items.map((it) => h('option', { value: it.id, selected: it.id === selected }, label(it))));
}

async function openConsole() {
  show($('#login-view'), false);
  show($('#console-view'), true);
  show($('#sign-out'), true);
  const page = await run(() => call('GET', '/api/v1/queues?limit=200'));
  if (!page) return;
  queues = page.items;
  const q = queues.find((x) => x.id === pick('queue')) || queues[0];
  options($('#queue'), queues, (x) => x.name, q && q.id);
  await selectQueue();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, REFRESH_MS);
}

async function selectQueue() {
  if (!queueId()) return;
  keep('queue', queueId());
  const list = await run(() => call('GET', `/api/v1/queues/${queueId()}/counters`));
  counters = list ? list.items : [];
  const c = counters.find((x) => x.id === pick('counter')) || counters[0];
  options($('#counter'), counters, (x) => x.name, c && c.id);
  options($('#transfer-queue'), queues.filter((x) => x.id !== queueId()), (x) => x.name, null);
  show($('#transfer-box'), false);
  const q = queues.find((x) => x.id === queueId());
  const tenant = localStorage.getItem(TENANT) || '';
  $('#links').replaceChildren(
    h('a', { href: `/board/${queueId()}`, target: '_blank', rel: 'noopener', text: t('staff.boardLink') }),
    h('a', { href: `/kiosk/${tenant}/${q.slug}`, target: '_blank', rel: 'noopener', text: t('staff.kioskLink') }),
    h('a', { href: `/q/${tenant}/${q.slug}`, target: '_blank', rel: 'noopener', text: t('staff.joinLink') }));
  await selectCounter();
}

async function selectCounter() {
  if (counterId()) keep('counter', counterId());
  current = null;
  const remembered = counterId() && pick(`current.${counterId()}`);
  if (remembered) {
    const v = await run(() => call('GET', `/api/v1/tickets/${remembered}`));
    if (v && (v.status === 'called' || v.status === 'serving') && v.counterId === counterId()) current = v;
  }
  renderCurrent();
  await refresh();
}

function renderCounter() {
  const c = counters.find((x) => x.id === counterId());
  $('#counter-status').textContent = c ? `${c.name}: ${c.status === 'open' ? t('staff.counterOpen') : t('staff.counterClosed')}` : '';
  $('#open-counter').disabled = !c || c.status === 'open';
  $('#close-counter').disabled = !c || c.status !== 'open';
  $('#call-next').disabled = !c || c.status !== 'open' || current !== null;
}

function renderCurrent() {
  const active = current && (current.status === 'called' || current.status === 'serving');
  if (!active) current = null;
  if (counterId()) {
    if (current) keep(`current.${counterId()}`, current.id);
    else localStorage.removeItem(`vq.console.current.${counterId()}`);
  }
  $('#current-code').textContent = current ? current.code : '';
  $('#current-info').textContent = current
    ? [t(`status.${current.status}`), current.name, current.priority].filter(Boolean).join(' · ')
    : t('staff.noCurrent');
  show($('#current-actions'), Boolean(current));
  show($('#transfer-box'), Boolean(current) && $('#transfer-queue').options.length > 0);
  if (current) {
    $('#start').disabled = current.status !== 'called';
    $('#recall').disabled = current.status !== 'called';
    $('#no-show').disabled = current.status !== 'called';
  }
  renderCounter();
}

async function refresh() {
  if (!token || !queueId()) return;
  const [snap, list] = await Promise.all([
    run(() => call('GET', `/api/v1/queues/${queueId()}/snapshot`), false),
    run(() => call('GET', `/api/v1/queues/${queueId()}/tickets?limit=50`), false),
  ]);
  if (snap) renderSnapshot(snap);
  if (list) renderWaiting(list.items);
}

function renderSnapshot(s) {
  const status = { open: t('staff.queueOpen'), paused: t('staff.queuePaused'), closed: t('staff.queueClosed') }[s.status] || s.status;
  $('#queue-status').textContent = t('staff.queueStatus', { status });
  $('#pause').disabled = s.status !== 'open';
  $('#resume').disabled = s.status === 'open';
  const rows = [
    [t('staff.snapWaiting'), s.waiting], [t('staff.snapInService'), s.inService],
    [t('staff.snapServed'), s.servedToday], [t('staff.snapNoShow'), s.noShowToday],
    [t('staff.snapAvgWait'), minutesText(s.averageWaitSeconds)], [t('staff.snapP90Wait'), minutesText(s.p90WaitSeconds)],
  ];
  Object.entries(s.waitingByClass || {}).forEach(([name, n]) => { if (Object.keys(s.waitingByClass).length > 1) rows.push([name, n]); });
  $('#snapshot').replaceChildren(...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })]));
}

function renderWaiting(items) {
  $('#waiting').replaceChildren(...items.map((x) => h('tr', {},
    h('td', { text: x.code }), h('td', { text: x.name || '' }), h('td', { text: x.priority || '' }),
    h('td', { text: timeText(new Date(x.createdAt)) }))));
  show($('#waiting-empty'), items.length === 0);
}

async function setCounter(action) {
  const c = await run(() => call('POST', `/api/v1/counters/${counterId()}/${action}`));
  if (c) {
    counters = counters.map((x) => (x.id === c.id ? c : x));
    renderCounter();
  }
}

async function callNext() {
  const v = await run(() => call('POST', `/api/v1/counters/${counterId()}/call-next`));
  if (v === null) {
    notice(t('staff.nobodyWaiting'));
  } else if (v) {
    current = v;
    notice(t('staff.called', { code: v.code, counter: v.counterName || '' }));
  }
  renderCurrent();
  refresh();
}

async function act(action, body) {
  if (!current) return;
  const v = await run(() => call('POST', `/api/v1/tickets/${current.id}/${action}`, body));
  if (v) {
    current = v.counterId === counterId() ? v : null;
    if (!current || !['called', 'serving'].includes(v.status)) notice(t('staff.done', { code: v.code, status: t(`status.${v.status}`) }));
    else notice('');
  }
  renderCurrent();
  refresh();
}

async function setQueue(action) {
  const q = await run(() => call('POST', `/api/v1/queues/${queueId()}/${action}`));
  if (q) refresh();
}

function wire() {
  $('#login-form').addEventListener('submit', login);
  $('#sign-out').addEventListener('click', () => signOut(''));
  $('#queue').addEventListener('change', () => run(selectQueue));
  $('#counter').addEventListener('change', () => run(selectCounter));
  $('#open-counter').addEventListener('click', () => setCounter('open'));
  $('#close-counter').addEventListener('click', () => setCounter('close'));
  $('#call-next').addEventListener('click', callNext);
  $('#start').addEventListener('click', () => act('start'));
  $('#complete').addEventListener('click', () => act('complete'));
  $('#recall').addEventListener('click', () => act('recall'));
  $('#no-show').addEventListener('click', () => act('no-show'));
  $('#transfer').addEventListener('click', () => act('transfer', { queueId: $('#transfer-queue').value }));
  $('#pause').addEventListener('click', () => setQueue('pause'));
  $('#resume').addEventListener('click', () => setQueue('resume'));
  $('#refresh').addEventListener('click', refresh);
}

applyI18n();
wire();
if (token) openConsole();
else signOut('');
