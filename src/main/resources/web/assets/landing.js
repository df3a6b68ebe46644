// Start page: links to every page. The queue pages need a tenant and queue slug; the board needs
// the queue's id, found through the public queue API. The last choice is kept on this device.
import { applyI18n, t } from './i18n.js';
import { api, ApiError } from './api.js';
import { $, show } from './ui.js';

const KEEP = 'vq.landing';
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
let pending = 0;

async function update() {
  const tenant = $('#tenant').value.trim().toLowerCase();
  const queue = $('#queue').value.trim().toLowerCase();
  localStorage.setItem(KEEP, JSON.stringify({ tenant, queue }));
  const mine = ++pending;
  show($('#queue-links'), false);
  $('#queue-message').textContent = '';
  if (!tenant || !queue) return;
  if (!SLUG.test(tenant) || !SLUG.test(queue)) {
    $('#queue-message').textContent = t('landing.badSlug');
    return;
  }
  const slugs = `${encodeURIComponent(tenant)}/${encodeURIComponent(queue)}`;
  try {
    const q = await api('GET', `/api/v1/public/${encodeURIComponent(tenant)}/queues/${encodeURIComponent(queue)}`);
    if (mine !== pending) return;
    $('#join-link').href = `/q/${slugs}`;
    $('#kiosk-link').href = `/kiosk/${slugs}`;
    $('#board-link').href = `/board/${q.id}`;
    $('#queue-message').textContent = t('landing.found', { name: q.name });
    show($('#queue-links'), true);
  } catch (e) {
    if (mine !== pending) return;
    $('#queue-message').textContent = e instanceof ApiError && e.status === 404 ? t('landing.notFound') : e.message;
  }
}

function restore() {
  try {
    const kept = JSON.parse(localStorage.getItem(KEEP) || '{}');
    $('#tenant').value = kept.tenant || localStorage.getItem('vq.staff.tenant') || '';
    $('#queue').value = kept.queue || '';
  } catch (e) {
    // a damaged entry is simply forgotten
  }
}

applyI18n();
restore();
$('#queue-form').addEventListener('submit', (ev) => { ev.preventDefault(); update(); });
$('#tenant').addEventListener('input', update);
$('#queue').addEventListener('input', update);
update();
