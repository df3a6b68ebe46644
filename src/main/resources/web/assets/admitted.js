// The join page once a waiting room has let the person in: "You are in", and with an access token
// and a target, off to the protected site after a few seconds ("Go now" and "Cancel" meanwhile).
// The token goes in the URL fragment, which browsers never send to a server.
import { t } from './i18n.js';
import { $, show, timeText } from './ui.js';
import { accessUrl, REDIRECT_SECONDS } from './room.js';

/** Longest wait setTimeout takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Admitted {
  /**
   * @param {{view: Function, ended: Function}} hooks  view() shows the admitted section (the page's
   *   other sections hidden); ended(code) shows that the session is over.
   * @param {() => Promise<object|null>} fetchAccess  the ticket view's access now (null: none),
   *   rejecting with the ApiError of a failed read
   */
  constructor(hooks, fetchAccess) {
    this.hooks = hooks;
    this.fetchAccess = fetchAccess;
    this.redirectTimer = null;
    this.cancelled = false;
    this.endTimer = null;
    this.code = '';
  }

  /**
   * An admitted ticket: from a ticket view (which carries `access` while the session is active)
   * or a socket's "ticket" message (the "admitted" message with the access follows; asked for too).
   */
  show(m) {
    this.enter(m.code);
    if (m.access) this.use(m.access);
    else if (m.type === 'ticket') this.recheck();
    else this.end();
  }

  enter(code) {
    if (code) this.code = code;
    const first = $('#admitted-view').hidden;
    this.hooks.view();
    $('#admitted-code').textContent = this.code;
    document.title = t('room.inTitle');
    if (first) $('#admitted-title').focus();
  }

  /** An access {accessToken, expiresAt, targetUrl}: shown until it ends; with a target, off there soon. */
  use(a) {
    const ends = Date.parse(a.expiresAt);
    if (!a.accessToken || !(ends > Date.now())) {
      this.end();
      return;
    }
    if ($('#admitted-view').hidden) this.enter(null);
    $('#valid-until').textContent = t('room.validUntil', { time: timeText(new Date(ends)) });
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => this.recheck(), Math.min(ends - Date.now() + 500, MAX_TIMER_MS));
    const go = $('#go-now');
    show(go, Boolean(a.targetUrl));
    if (!a.targetUrl) return;
    go.href = accessUrl(a.targetUrl, a.accessToken);
    if (this.redirectTimer === null && !this.cancelled) {
      $('#redirect-note').textContent = t('room.redirecting', { n: REDIRECT_SECONDS });
      show($('#stay-button'), true);
      // to the newest token: the link is updated when another one arrives meanwhile
      this.redirectTimer = setTimeout(() => window.location.assign(go.href), REDIRECT_SECONDS * 1000);
    }
  }

  /** "Cancel": no redirect; the link stays. */
  stay() {
    clearTimeout(this.redirectTimer);
    this.redirectTimer = null;
    this.cancelled = true;
    $('#redirect-note').textContent = t('room.whenReady');
    show($('#stay-button'), false);
    $('#go-now').focus();
  }

  /** Is there (still) an access? Renewed meanwhile: a fresh token; none: the session is over. */
  async recheck() {
    try {
      const a = await this.fetchAccess();
      if (a) this.use(a);
      else this.end();
    } catch (e) {
      // a network failure changes nothing (the socket may still bring the access); a 4xx: the ticket is gone
      if (e.status >= 400 && e.status < 500) this.end();
    }
  }

  end() {
    clearTimeout(this.redirectTimer);
    clearTimeout(this.endTimer);
    this.redirectTimer = null;
    this.hooks.ended(this.code);
  }
}
