// Display board: who is called where, the latest calls, how many wait. Meant to run for days:
// every render replaces the previous rows (at most MAX_SERVING + MAX_RECENT of them), there is one
// announcement timer, and the socket keeps one reconnect timer and a fixed set of listeners.
import { applyI18n, t } from './i18n.js';
import { LiveSocket } from './live.js';
import { api, ApiError } from './api.js';
import { $, h, show, minutesText, pathParams, fragmentParams } from './ui.js';
import { chime, unlockSound, soundReady } from './chime.js';

const MAX_SERVING = 8;
const MAX_RECENT = 6;
const ANNOUNCE_MS = 8000;

const [queueId] = pathParams();
// the key leaves the address bar but stays on the device, so a reload or a restarted browser gets back in
const KEY_STORE = `vq.board.key.${queueId}`;
const key = fragmentParams().get('key') || new URLSearchParams(window.location.search).get('key')
  || localStorage.getItem(KEY_STORE);
if (key) localStorage.setItem(KEY_STORE, key);
let announceTimer = null;
let flashCode = null;

function counterName(c) {
  return (c && c.name) || t('common.counter');
}

function render(m) {
  if (m.queueName) {
    $('#queue-name').textContent = m.queueName;
    document.title = m.queueName;
  }
  const rows = (m.nowServing || []).slice(0, MAX_SERVING).map((s) => h('tr', { class: s.code === flashCode ? 'flash' : null },
    h('td', { text: s.code }), h('td', { text: counterName(s.counter) })));
  $('#serving').replaceChildren(...rows);
  show($('#serving-empty'), rows.length === 0);
  const recent = (m.recent || []).slice(0, MAX_RECENT).map((c) => h('li', {},
    h('span', { text: c.code }),
    h('span', {}, counterName(c.counter), c.recall ? h('span', { class: 'again', text: ` (${t('board.recall')})` }) : null)));
  $('#recent').replaceChildren(...recent);
  show($('#recent-empty'), recent.length === 0);
  $('#waiting').textContent = String(m.waiting ?? '–');
  $('#typical').textContent = minutesText(m.typicalWaitSeconds);
  document.body.dataset.seq = String(m.seq);
}

function announce(call) {
  flashCode = call.code;
  const el = $('#announce');
  el.textContent = t('board.calledNow', { code: call.code, counter: counterName(call.counter) });
  show(el, true);
  chime();
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    announceTimer = null;
    flashCode = null;
    show(el, false);
    document.querySelectorAll('#serving tr.flash').forEach((tr) => tr.classList.remove('flash'));
  }, ANNOUNCE_MS);
}

function onMessage(m) {
  if (m.type === 'call' && m.call) announce(m.call);
  if (m.type === 'board' || m.type === 'call' || m.type === 'counts') render(m);
}

function setConn(state) {
  if (state === 'stopped') return; // refused() already said why
  document.body.dataset.conn = state;
  const el = $('#conn');
  el.className = `conn ${state === 'open' ? 'ok' : 'warn'}`;
  el.textContent = state === 'open' ? t('common.live') : state === 'connecting' ? t('common.connecting')
    : t('common.reconnecting');
}

function refused(text) {
  socket.stop();
  $('#hint').textContent = text;
  show($('#hint'), true);
  show($('#serving-empty'), false);
  document.body.dataset.conn = 'refused';
  const el = $('#conn');
  el.className = 'conn warn';
  el.textContent = t('board.notConnected');
}

// A browser never learns why a socket was refused: ask the server whether it is the key (then stop
// and say so; retrying cannot help) or something passing, like a restart (then keep retrying).
async function onFailure() {
  try {
    await api('GET', `/api/v1/public/boards/${encodeURIComponent(queueId)}/access`,
      { headers: key ? { 'X-Display-Key': key } : {} });
  } catch (e) {
    if (!(e instanceof ApiError) || socket.stopped) return;
    if (e.code === 'board.key_missing') refused(t('board.needsKey', { id: queueId }));
    else if (e.code === 'board.invalid_key') {
      localStorage.removeItem(KEY_STORE);
      refused(t('board.wrongKey', { id: queueId }));
    }
    else if (e.status === 404) refused(t('board.noSuchQueue'));
  }
}

function soundButton() {
  const b = $('#sound');
  b.addEventListener('click', () => {
    unlockSound();
    setTimeout(() => { b.textContent = soundReady() ? t('board.soundIsOn') : t('board.soundOn'); }, 100);
  });
}

applyI18n();
soundButton();
// a key typed into the address of an open board changes only the fragment: start over with it
window.addEventListener('hashchange', () => {
  const typed = fragmentParams().get('key');
  if (typed) {
    localStorage.setItem(KEY_STORE, typed);
    window.location.reload();
  }
});
if (key && window.location.hash) history.replaceState(null, '', window.location.pathname);
const socket = new LiveSocket(() => `/ws/queues/${encodeURIComponent(queueId)}/board${key ? `?key=${encodeURIComponent(key)}` : ''}`,
  { onMessage, onState: setConn, onFailure });
socket.start();
