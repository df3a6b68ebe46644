// Display board: who is called where, the latest calls, how many wait. Meant to run for days:
// every render replaces the previous rows (at most MAX_SERVING + MAX_RECENT of them), there is one
// announcement timer, and the socket keeps one reconnect timer and a fixed set of listeners.
import { applyI18n, t } from './i18n.js';
import { LiveSocket } from './live.js';
import { $, h, show, minutesText, pathParams, fragmentParams } from './ui.js';
import { chime, unlockSound, soundReady } from './chime.js';

const MAX_SERVING = 8;
const MAX_RECENT = 6;
const ANNOUNCE_MS = 8000;

const [queueId] = pathParams();
const key = fragmentParams().get('key') || new URLSearchParams(window.location.search).get('key');
let announceTimer = null;
let everOpened = false;
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
  document.body.dataset.conn = state;
  if (state === 'open') everOpened = true;
  const el = $('#conn');
  el.className = `conn ${state === 'open' ? 'ok' : 'warn'}`;
  el.textContent = state === 'open' ? t('common.live') : state === 'connecting' ? t('common.connecting')
    : state === 'stopped' ? '' : t('common.reconnecting');
}

function onFailure(attempt) {
  const hint = $('#hint');
  show(hint, !everOpened && !key && attempt >= 2);
  hint.textContent = t('board.needsKey', { id: queueId });
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
if (key && window.location.hash) history.replaceState(null, '', window.location.pathname);
new LiveSocket(() => `/ws/queues/${encodeURIComponent(queueId)}/board${key ? `?key=${encodeURIComponent(key)}` : ''}`,
  { onMessage, onState: setConn, onFailure }).start();
