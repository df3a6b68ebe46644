// Join and watch: take a ticket, then follow its place live. The ticket (id + token) is kept in
// localStorage, so a reload, a closed tab, a sleeping phone or a lost network all come back to it.
// In a waiting room the page also counts down to the opening and, once the person is let in, takes
// them to the protected site with the access token in the fragment.
import { applyI18n, t } from './i18n.js';
import { api, ApiError, joinKey as newJoinKey } from './api.js';
import { LiveSocket } from './live.js';
import { $, h, show, etaText, pathParams, fragmentParams } from './ui.js';
import { chime, unlockSound } from './chime.js';
import { Countdown, renderSchedule, roomWaitText, schedule } from './room.js';
import { Admitted } from './admitted.js';

const [tenant, queueSlug] = pathParams();
const STORE = `vq.ticket.${tenant}/${queueSlug}`;
const TERMINAL = new Set(['served', 'left', 'no_show', 'expired']);
const queuePath = `/api/v1/public/${encodeURIComponent(tenant)}/queues/${encodeURIComponent(queueSlug)}`;

let queue = null;
let ticket = null;
let live = null;
let alerted = null;
let joinKey = null;
/** The last ticket state shown: shown again when the queue's settings arrive or the room opens. */
let last = null;
const countdown = new Countdown();

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(STORE));
    return v && v.id && v.token ? v : null;
  } catch (e) {
    return null;
  }
}

function save(v) {
  ticket = v;
  try {
    localStorage.setItem(STORE, JSON.stringify(v));
  } catch (e) {
    // private mode: the ticket lives as long as the page
  }
}

function forget() {
  ticket = null;
  try {
    localStorage.removeItem(STORE);
  } catch (e) {
    // nothing stored
  }
}

function message(text) {
  const el = $('#message');
  el.textContent = text || '';
  show(el, Boolean(text));
}

/** A ticket handed over in the URL fragment (#t=<id>.<token>, from a kiosk's QR code) replaces the stored one. */
function adoptFragment() {
  const tParam = fragmentParams().get('t');
  if (tParam) {
    const dot = tParam.indexOf('.');
    if (dot > 0) save({ id: tParam.slice(0, dot), token: tParam.slice(dot + 1) });
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

async function loadQueue(quiet = false) {
  try {
    queue = await api('GET', queuePath);
    $('#queue-name').textContent = queue.name;
    document.title = t('join.titleFor', { queue: queue.name });
    return true;
  } catch (e) {
    if (!quiet || e.status === 404) message(e.status === 404 ? t('common.queueNotFound') : e.message);
    return false;
  }
}

/** The choices of when "almost your turn" is sent: the queue's default, or a number ahead or of minutes. */
const NOTIFY_CHOICES = [
  { value: 'default' },
  { value: 'ahead:5', ahead: 5 }, { value: 'ahead:3', ahead: 3 }, { value: 'ahead:1', ahead: 1 },
  { value: 'ahead:0', ahead: 0 },
  { value: 'minutes:30', minutes: 30 }, { value: 'minutes:15', minutes: 15 }, { value: 'minutes:10', minutes: 10 },
  { value: 'minutes:5', minutes: 5 },
];

function aheadText(n) {
  return n === 0 ? t('join.notifyAheadNone') : n === 1 ? t('join.notifyAheadOne') : t('join.notifyAhead', { n });
}

function defaultText(q) {
  const parts = [];
  if (q.notifyAhead !== null && q.notifyAhead !== undefined) parts.push(t('join.notifyShortAhead', { n: q.notifyAhead }));
  if (q.notifyMinutes) parts.push(t('join.notifyShortMinutes', { n: q.notifyMinutes }));
  if (parts.length === 0) return t('join.notifyDefaultOff');
  const when = parts.length === 2 ? t('join.notifyOr', { a: parts[0], b: parts[1] }) : parts[0];
  return t('join.notifyDefault', { when });
}

/** E-mail fields only when the server sends e-mail; otherwise a line saying messages are off. */
function showEmail() {
  const on = Boolean(queue.emailMessages);
  show($('#email-fields'), on);
  show($('#email-off'), !on);
  if (!on) {
    $('#email').value = '';
    return;
  }
  const select = $('#notify-when');
  select.replaceChildren(...NOTIFY_CHOICES.map((c) => h('option', {
    value: c.value,
    text: c.value === 'default' ? defaultText(queue)
      : c.ahead !== undefined ? aheadText(c.ahead) : t('join.notifyMinutes', { n: c.minutes }),
  })));
}

function notifyChoice() {
  return NOTIFY_CHOICES.find((c) => c.value === $('#notify-when').value) || NOTIFY_CHOICES[0];
}

function newKey() {
  return newJoinKey();
}

function setView(name) {
  ['join-view', 'watch-view', 'admitted-view', 'done-view'].forEach((v) => show($(`#${v}`), v === name));
}

/** The waiting room's public settings, or null for a service queue (or before the queue has loaded). */
function room() {
  return queue && queue.mode === 'waiting_room' && queue.waitingRoom ? queue.waitingRoom : null;
}

/** The waiting room's countdown (to joining on the form, to the opening in line), if any. */
function showSchedule(inLine) {
  renderSchedule(room(), inLine, `${queuePath}/draw`, countdown, () => opened(inLine, 0));
}

/** The countdown is over: the room's settings again, and the form or the place as they are now. */
async function opened(inLine, tries) {
  $('#schedule-countdown').textContent = t('room.opening');
  await loadQueue(true);
  if (inLine) {
    if (last && $('#watch-view').hidden === false) render(last);
  } else if (!$('#join-view').hidden) {
    // this device's clock may run ahead of the server's: ask again until the server agrees
    if (queue && !queue.accepting && room() && tries < 20) setTimeout(() => opened(false, tries + 1), 1000);
    else showJoin();
  }
}

function showJoin() {
  setView('join-view');
  joinKey = newKey();
  const n = queue.waiting;
  $('#waiting-now').textContent = n === 0 ? t('join.waitingNowNone')
    : n === 1 ? t('join.waitingNowOne') : t('join.waitingNow', { n });
  const options = $('#class-options');
  options.replaceChildren();
  const classes = queue.priorityClasses;
  show($('#classes'), classes.length > 1);
  classes.forEach((c, i) => {
    const id = `class-${i}`;
    options.append(h('div', { class: 'option' },
      h('input', { type: 'radio', name: 'priority', id, value: c.name, checked: i === 0 }),
      h('label', { for: id, text: c.name })));
  });
  const r = queue.status === 'open' ? room() : null;
  if (!queue.accepting && r && r.queueingMethod === 'reject') {
    message(t('room.closed'));
  } else if (!queue.accepting && !(r && schedule(r).joinFrom)) {
    message(queue.status === 'paused' ? t('join.paused')
      : queue.status === 'closed' ? t('join.closed') : t('join.notAccepting'));
  } else {
    message('');
  }
  $('#join-button').disabled = !queue.accepting;
  showEmail();
  showSchedule(false);
}

async function submitJoin(ev) {
  ev.preventDefault();
  unlockSound();
  const button = $('#join-button');
  button.disabled = true;
  button.textContent = t('join.submitting');
  message('');
  const body = {};
  const name = $('#name').value.trim();
  const email = $('#email').value.trim();
  const picked = document.querySelector('input[name="priority"]:checked');
  if (name) body.name = name;
  if (email && queue.emailMessages) {
    body.email = email;
    const choice = notifyChoice();
    if (choice.ahead !== undefined) body.notifyAhead = choice.ahead;
    if (choice.minutes !== undefined) body.notifyMinutes = choice.minutes;
  }
  if (picked && queue.priorityClasses.length > 1) body.priority = picked.value;
  try {
    const v = await api('POST', `${queuePath}/tickets`, { body, headers: { 'Idempotency-Key': joinKey } });
    save({ id: v.id, token: v.token, code: v.code });
    watch(v);
  } catch (e) {
    message(e.message);
    // a refused join changed nothing: the next try (perhaps with other details) is a new request;
    // after a network error or 5xx the same key is kept, so a retry cannot take a second place
    if (e.status >= 400 && e.status < 500 && e.code !== 'idempotency.in_progress') joinKey = newKey();
  } finally {
    button.disabled = !queue.accepting;
    button.textContent = t('join.submit');
  }
}

function setConn(state) {
  document.body.dataset.conn = state;
  const el = $('#conn');
  el.className = `conn ${state === 'open' ? 'ok' : 'warn'}`;
  el.textContent = state === 'open' ? t('common.live') : state === 'stopped' ? ''
    : state === 'connecting' ? t('common.connecting') : t('common.reconnecting');
  show($('#offline'), state === 'reconnecting');
}

function watch(initial) {
  setView('watch-view');
  message('');
  if (initial) render(initial);
  else if (ticket.code) $('#code').textContent = ticket.code;
  const { id, token } = ticket;
  // a message's live link carries a read-only capability (m1.…): it watches, but cannot leave
  const holder = !String(token).startsWith('m1.');
  show($('#leave-button'), holder);
  show($('#release-button'), holder);
  live = new LiveSocket(() => `/ws/tickets/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`, {
    onMessage: (m) => {
      if (m.type === 'ticket') render(m);
      else if (m.type === 'admitted') entry.use(m);
    },
    onState: setConn,
    onFailure: checkTicket,
  });
  live.start();
}

/** After a refused or failed connect: is the ticket still ours? A 4xx means it never will be again. */
async function checkTicket() {
  if (!ticket) return;
  try {
    const v = await api('GET', `/api/v1/tickets/${encodeURIComponent(ticket.id)}`,
      { headers: { 'X-Ticket-Token': ticket.token } });
    if (TERMINAL.has(v.status) || v.status === 'admitted') render(v);
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
      stopLive();
      forget();
      message(t('join.lost'));
      if (queue) showJoin();
    }
  }
}

function stopLive() {
  if (live) {
    live.stop();
    live = null;
  }
}

function counterName(m) {
  return (m.counter && m.counter.name) || m.counterName || null;
}

function render(m) {
  last = m;
  document.body.dataset.status = m.status;
  if (m.code) $('#code').textContent = m.code;
  if (TERMINAL.has(m.status)) {
    finish(m);
    return;
  }
  if (m.status === 'admitted') {
    entry.show(m);
    return;
  }
  const r = room();
  const waiting = m.status === 'waiting';
  // in a pre-queue the order of arrival does not count: the draw at the opening sets it
  const drawing = waiting && r !== null && schedule(r).prequeue;
  $('#position').textContent = waiting && m.position && !drawing ? String(m.position) : '–';
  const ahead = m.ahead;
  $('#ahead').textContent = !waiting ? '' : drawing ? t('room.drawnAtOpening') : m.position === 1
    ? t('join.positionNext') : ahead === 1 ? t('join.aheadOne') : t('join.ahead', { n: ahead });
  $('#eta').textContent = !waiting ? '–' : drawing ? t('room.waitAfterDraw') : r ? roomWaitText(m.eta)
    : etaText(m.eta);
  const counter = counterName(m);
  $('#status').textContent = m.status === 'serving' && counter ? t('join.servingAt', { counter })
    : t(`status.${m.status}`);
  if (waiting && queue && !drawing) document.title = `#${m.position} · ${queue.name}`;
  showSchedule(true);
  renderCalled(m, counter);
}

/** Let in by a waiting room: the admitted section, and the done section once the session is over. */
const entry = new Admitted({
  view: () => {
    show($('#called'), false);
    document.body.classList.remove('is-called');
    countdown.stop();
    show($('#room-info'), false);
    setView('admitted-view');
  },
  ended: (code) => {
    finish({ status: 'admitted', code });
    $('#done-text').textContent = t('room.ended');
  },
}, async () => {
  if (!ticket) return null;
  const v = await api('GET', `/api/v1/tickets/${encodeURIComponent(ticket.id)}`,
    { headers: { 'X-Ticket-Token': ticket.token } });
  return v.access || null;
});

function renderCalled(m, counter) {
  const called = m.status === 'called';
  show($('#called'), called);
  document.body.classList.toggle('is-called', called);
  if (!called) {
    alerted = null;
    return;
  }
  $('#called-title').textContent = counter ? t('join.goTo', { counter }) : t('join.goToCounter');
  $('#called-code').textContent = m.code || (ticket && ticket.code) || '';
  $('#called-sub').textContent = m.recallCount > 0 ? t('join.recalled') : '';
  document.title = $('#called-title').textContent;
  const key = `${m.code}/${m.recallCount || 0}`;
  if (alerted !== key) {
    alerted = key;
    $('#called-title').focus();
    chime();
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
  }
}

function finish(m) {
  stopLive();
  setConn('stopped');
  forget();
  show($('#called'), false);
  document.body.classList.remove('is-called');
  setView('done-view');
  $('#done-code').textContent = m.code || '';
  countdown.stop();
  show($('#room-info'), false);
  const key = { served: 'doneServed', left: 'doneLeft', no_show: 'doneNoShow', expired: 'doneExpired' }[m.status];
  $('#done-text').textContent = t(`join.${key || 'doneOther'}`);
}

function askLeave() {
  $('#leave-dialog').showModal();
}

async function leave() {
  $('#leave-dialog').close();
  if (!ticket) return;
  try {
    const v = await api('DELETE', `/api/v1/tickets/${encodeURIComponent(ticket.id)}`,
      { headers: { 'X-Ticket-Token': ticket.token } });
    render(v);
  } catch (e) {
    message(e.message);
  }
}

/** An admitted person is done early: the session ends at once and the slot goes to the next person. */
async function release() {
  $('#release-dialog').close();
  if (!ticket) return;
  try {
    await api('DELETE', `/api/v1/tickets/${encodeURIComponent(ticket.id)}`,
      { headers: { 'X-Ticket-Token': ticket.token } });
    entry.end();
    $('#done-text').textContent = t('room.released');
  } catch (e) {
    // 409: the session had already ended (expired, or released by the site): say so
    if (e instanceof ApiError && e.status === 409) entry.end();
    else message(e.message);
  }
}

async function again() {
  forget();
  message('');
  if (await loadQueue()) showJoin();
}

async function main() {
  applyI18n();
  adoptFragment();
  $('#join-form').addEventListener('submit', submitJoin);
  $('#leave-button').addEventListener('click', askLeave);
  $('#leave-keep').addEventListener('click', () => $('#leave-dialog').close());
  $('#leave-confirm').addEventListener('click', leave);
  $('#again-button').addEventListener('click', again);
  $('#stay-button').addEventListener('click', () => entry.stay());
  $('#release-button').addEventListener('click', () => {
    if (entry.redirectTimer !== null) entry.stay(); // no redirect while the person decides
    $('#release-dialog').showModal();
  });
  $('#release-keep').addEventListener('click', () => $('#release-dialog').close());
  $('#release-confirm').addEventListener('click', release);
  // any touch lets the called screen make a sound later (browsers' autoplay rule)
  document.addEventListener('pointerdown', unlockSound, { once: true });
  ticket = load();
  if (ticket) {
    watch(null);
    // the waiting room's settings decide how a place is shown: show it again once they are here
    if (await loadQueue(true) && last) render(last);
  } else if (await loadQueue()) {
    showJoin();
  }
}

main();
