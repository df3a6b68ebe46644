// Staff console: sign in, pick a queue and counter, open/close it, call next, act on the ticket at
// the counter, watch the waiting list and the snapshot, pause or resume the queue. Every API error
// is shown as the server worded it, with its code. Who is at the counter comes from the server
// (GET /counters/{id}), so any device, or a cleared browser, sees the same ticket.
import { applyI18n, t } from './i18n.js';
import { api, ApiError } from './api.js';
import { $, h, show, minutesText, timeText } from './ui.js';
import { finishSignIn, forgetSession, message, sessionToken, signIn } from './session.js';
import { initAccount, openAccount } from './account.js';

const TENANT = 'vq.staff.tenant';
const REFRESH_MS = 5000;

let token = sessionToken();
let queues = [];
let counters = [];
let current = null;
let refreshTimer = null;
let challenge = null;

const pick = (key) => localStorage.getItem(`vq.console.${key}`);
const keep = (key, value) => localStorage.setItem(`vq.console.${key}`, value);
const queueId = () => $('#queue').value;
const counterId = () => $('#counter').value;
const tenantSlug = () => localStorage.getItem(TENANT) || '';

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
  forgetSession();
  clearInterval(refreshTimer);
  refreshTimer = null;
  challenge = null;
  show($('#console-view'), false);
  show($('#account-view'), false);
  show($('#sign-out'), false);
  show($('#account-button'), false);
  show($('#mfa-form'), false);
  show($('#login-form'), true);
  show($('#login-view'), true);
  $('#tenant').value = tenantSlug();
  message(text || '');
}

/**
 * The password step: the console opens, or the code step follows (two-factor sign-in), or the
 * account page opens for setting it up (the organisation requires it).
 */
async function login(ev) {
  ev.preventDefault();
  const r = await run(signIn);
  if (!r) return;
  localStorage.setItem(TENANT, r.tenant);
  if (r.challenge) {
    challenge = r.challenge;
    show($('#login-form'), false);
    show($('#mfa-form'), true);
    $('#mfa-code').focus();
  } else if (r.enrolment) {
    show($('#login-view'), false);
    openAccount(r.enrolment, true);
  } else {
    signedIn(r.token);
  }
}

/** The code step; a challenge that expired or ran out of attempts starts the sign-in over. */
async function secondFactor(ev) {
  ev.preventDefault();
  const code = $('#mfa-code').value.trim();
  $('#mfa-code').value = '';
  const accessToken = await run(() => finishSignIn(challenge, code).catch((e) => {
    if (e instanceof ApiError && e.code === 'auth.invalid_challenge') signOut();
    throw e;
  }));
  if (accessToken) signedIn(accessToken);
}

function signedIn(accessToken) {
  token = accessToken;
  challenge = null;
  show($('#login-view'), false);
  show($('#account-view'), false);
  openConsole();
}

function showAccount() {
  clearInterval(refreshTimer);
  refreshTimer = null;
  message('');
  show($('#console-view'), false);
  openAccount(token);
}

function options(select, items, label, selected) {
  select.replaceChildren(...items.map((it) => h('option', { value: it.id, selected: it.id === selected }, label(it))));
  select.disabled = items.length === 0;
}

async function openConsole() {
  show($('#login-view'), false);
  show($('#account-view'), false);
  show($('#console-view'), true);
  show($('#sign-out'), true);
  show($('#account-button'), true);
  const page = await run(() => call('GET', '/api/v1/queues?limit=200'));
  if (!page) return;
  queues = page.items;
  const q = queues.find((x) => x.id === pick('queue')) || queues[0];
  options($('#queue'), queues, (x) => x.name, q && q.id);
  await selectQueue();
  clearInterval(refreshTimer);
  // another device may act on this counter too: reread who is at it along with the lists
  refreshTimer = setInterval(() => {
    if (document.visibilityState === 'visible') loadCounter().then(refresh);
  }, REFRESH_MS);
}

/** A new tenant has nothing to work with yet: say how to create it (no admin page exists yet). */
function renderSetup() {
  const base = `${window.location.origin}/api/v1`;
  const login = `TOKEN=$(curl -s ${base}/auth/login -H 'Content-Type: application/json' \\\n`
    + `  -d '{"tenant":"${tenantSlug()}","email":"<your email>","password":"<your password>"}' | jq -r .accessToken)\n`;
  const json = "-H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'";
  let example = null;
  if (queues.length === 0) {
    $('#setup-title').textContent = t('staff.setupNoQueue');
    $('#setup-text').textContent = t('staff.setupNoQueueText');
    example = `${login}Q=$(curl -s ${base}/queues ${json} \\\n  -d '{"slug":"front-desk","name":"Front desk"}' | jq -r .id)\n`
      + `curl -s ${base}/queues/$Q/counters ${json} -d '{"name":"Counter 1"}'`;
  } else if (counters.length === 0) {
    $('#setup-title').textContent = t('staff.setupNoCounter');
    $('#setup-text').textContent = t('staff.setupNoCounterText');
    example = `${login}curl -s ${base}/queues/${queueId()}/counters ${json} -d '{"name":"Counter 1"}'`;
  }
  $('#setup-example').textContent = example || '';
  show($('#setup'), example !== null);
}

async function selectQueue() {
  show($('#transfer-box'), false);
  if (!queueId()) {
    counters = [];
    options($('#counter'), [], (x) => x.name, null);
    $('#links').replaceChildren();
    show($('#key-box'), false);
    renderSetup();
    await selectCounter();
    return;
  }
  keep('queue', queueId());
  const list = await run(() => call('GET', `/api/v1/queues/${queueId()}/counters`));
  counters = list ? list.items : [];
  const c = counters.find((x) => x.id === pick('counter')) || counters[0];
  options($('#counter'), counters, (x) => x.name, c && c.id);
  options($('#transfer-queue'), queues.filter((x) => x.id !== queueId()), (x) => x.name, null);
  renderSetup();
  await renderLinks();
  await selectCounter();
}

const storedKey = (id) => localStorage.getItem(`vq.console.displayKey.${id}`);

/**
 * Board and kiosk links carry the queue's display key in the fragment, as those pages expect. The
 * server never shows a key again after issuing it, so a private queue's key is asked for once and
 * kept on this device.
 */
async function renderLinks(checkKey) {
  const q = queues.find((x) => x.id === queueId());
  const id = q.id;
  const tryKey = checkKey || storedKey(id);
  let needsKey = false;
  let error = null;
  try {
    await api('GET', `/api/v1/public/boards/${id}/access`, { headers: tryKey ? { 'X-Display-Key': tryKey } : {} });
    if (checkKey) localStorage.setItem(`vq.console.displayKey.${id}`, checkKey);
  } catch (e) {
    needsKey = e instanceof ApiError && (e.code === 'board.key_missing' || e.code === 'board.invalid_key');
    if (e instanceof ApiError && e.code === 'board.invalid_key') {
      error = checkKey ? t('staff.keyWrong') : t('staff.keyOutdated');
      if (!checkKey) localStorage.removeItem(`vq.console.displayKey.${id}`);
    }
  }
  if (queueId() !== id) return; // another queue was chosen meanwhile
  const fragment = !needsKey && tryKey ? `#key=${encodeURIComponent(tryKey)}` : '';
  const slugs = `${encodeURIComponent(tenantSlug())}/${encodeURIComponent(q.slug)}`;
  const link = (href, text) => h('a', { href, target: '_blank', rel: 'noopener', text });
  $('#links').replaceChildren(
    needsKey ? h('span', { class: 'muted', text: t('staff.boardNeedsKey') }) : link(`/board/${id}${fragment}`, t('staff.boardLink')),
    link(`/kiosk/${slugs}${fragment}`, t('staff.kioskLink')),
    link(`/q/${slugs}`, t('staff.joinLink')));
  $('#key-note').textContent = error || t('staff.keyNote', { id });
  show($('#key-box'), needsKey);
}

async function useKey() {
  const key = $('#display-key').value.trim();
  if (!key) return;
  $('#display-key').value = '';
  await renderLinks(key);
}

async function selectCounter() {
  if (counterId()) keep('counter', counterId());
  current = null;
  await loadCounter();
  await refresh();
}

/** The counter and who is at it, from the server. */
async function loadCounter(clear = false) {
  if (!counterId()) {
    current = null;
    renderCurrent();
    return;
  }
  const c = await run(() => call('GET', `/api/v1/counters/${counterId()}`), clear);
  if (c) {
    const { current: at, ...counter } = c;
    counters = counters.map((x) => (x.id === counter.id ? counter : x));
    current = at || null;
  }
  renderCurrent();
}

function renderCounter() {
  const c = counters.find((x) => x.id === counterId());
  $('#counter-status').textContent = c ? `${c.name}: ${c.status === 'open' ? t('staff.counterOpen') : t('staff.counterClosed')}` : '';
  $('#open-counter').disabled = !c || c.status === 'open';
  $('#close-counter').disabled = !c || c.status !== 'open';
  $('#call-next').disabled = !c || c.status !== 'open' || current !== null;
  const noQueue = !queueId();
  ['#pause', '#resume', '#refresh'].forEach((sel) => { if (noQueue) $(sel).disabled = true; });
}

function renderCurrent() {
  const active = current && (current.status === 'called' || current.status === 'serving');
  if (!active) current = null;
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
    const c = counters.find((x) => x.id === counterId());
    $('#complete-next').disabled = !c || c.status !== 'open';
  }
  renderCounter();
}

async function refresh() {
  if (!token || !queueId()) {
    renderCounter();
    return;
  }
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
  $('#refresh').disabled = false;
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
    renderCurrent();
  }
}

/** Call next, or "done and call next" (finishing {@code finishing}); a refusal reloads who is at the counter. */
async function callNext(finishing) {
  const path = `/api/v1/counters/${counterId()}/${finishing ? 'complete-and-call-next' : 'call-next'}`;
  const v = await run(() => call('POST', path, finishing ? { ticketId: finishing.id } : undefined));
  if (v === null) {
    current = null;
    notice(finishing ? `${t('staff.done', { code: finishing.code, status: t('status.served') })} ${t('staff.nobodyWaiting')}`
      : t('staff.nobodyWaiting'));
  } else if (v) {
    current = v;
    notice(t('staff.called', { code: v.code, counter: v.counterName || '' }));
  } else {
    await loadCounter(); // refused (busy, changed elsewhere): show who the server says is here
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
  } else {
    await loadCounter();
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
  $('#mfa-form').addEventListener('submit', secondFactor);
  $('#sign-out').addEventListener('click', () => signOut(''));
  $('#account-button').addEventListener('click', showAccount);
  initAccount({ run, signedIn, signOut, back: openConsole });
  $('#queue').addEventListener('change', () => run(selectQueue));
  $('#counter').addEventListener('change', () => run(selectCounter));
  $('#open-counter').addEventListener('click', () => setCounter('open'));
  $('#close-counter').addEventListener('click', () => setCounter('close'));
  $('#call-next').addEventListener('click', () => callNext(null));
  $('#complete-next').addEventListener('click', () => { if (current) callNext(current); });
  $('#start').addEventListener('click', () => act('start'));
  $('#complete').addEventListener('click', () => act('complete'));
  $('#recall').addEventListener('click', () => act('recall'));
  $('#no-show').addEventListener('click', () => act('no-show'));
  $('#transfer').addEventListener('click', () => act('transfer', { queueId: $('#transfer-queue').value }));
  $('#pause').addEventListener('click', () => setQueue('pause'));
  $('#resume').addEventListener('click', () => setQueue('resume'));
  $('#refresh').addEventListener('click', () => { loadCounter(true); refresh(); });
  $('#use-key').addEventListener('click', useKey);
  $('#display-key').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') useKey(); });
  $('#reload').addEventListener('click', openConsole);
}

applyI18n();
wire();
if (token) openConsole();
else signOut('');
