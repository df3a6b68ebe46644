// A live WebSocket that keeps itself connected: exponential backoff with jitter, an immediate retry
// when the device comes back online or the page becomes visible, resume with ?since=<last seq>, and
// the server's "bye" (graceful restart) honoured. One timer and a fixed set of listeners at most.

const BASE_MS = 500;
const MAX_MS = 30000;
const STALE_AFTER_HIDDEN_MS = 20000;

export class LiveSocket {
  /**
   * @param {() => string} path  builds the socket path and query (without since)
   * @param {{onMessage: Function, onState: Function, onFailure?: Function}} handlers
   *   onState('connecting'|'open'|'reconnecting'|'stopped'); onFailure(attempt) after a failed try
   */
  constructor(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.ws = null;
    this.timer = null;
    this.attempt = 0;
    this.lastSeq = 0;
    this.stopped = true;
    this.hiddenAt = null;
    this.wakeUp = () => this.reconnectNow();
    this.onVisible = () => {
      if (document.visibilityState === 'hidden') {
        this.hiddenAt = Date.now();
        return;
      }
      // a phone that slept may hold a socket that is silently dead: after a long absence, start afresh
      const away = this.hiddenAt === null ? 0 : Date.now() - this.hiddenAt;
      this.hiddenAt = null;
      if (away > STALE_AFTER_HIDDEN_MS) this.resync();
      else this.reconnectNow();
    };
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.wakeUp);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.wakeUp);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.timer);
    this.timer = null;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = null;
      ws.close(1000);
    }
    this.handlers.onState('stopped');
  }

  /** Drops the current socket (if any) and connects again at once; the snapshot brings the page up to date. */
  resync() {
    if (this.stopped) return;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = null;
      ws.close(1000);
    }
    clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.connect();
  }

  connected() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Skips the backoff wait (network back, page shown again). */
  reconnectNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  }

  connect() {
    const url = new URL(this.path(), window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.lastSeq > 0) url.searchParams.set('since', String(this.lastSeq));
    this.handlers.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let opened = false;
    let byeDelay = null;
    const ws = new WebSocket(url.toString());
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.handlers.onState('open');
    };
    ws.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (typeof msg.seq === 'number') this.lastSeq = msg.seq;
      if (msg.type === 'bye') {
        byeDelay = msg.reconnectInMs || 0;
        return;
      }
      this.handlers.onMessage(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      this.handlers.onState('reconnecting');
      if (!opened && this.handlers.onFailure) this.handlers.onFailure(this.attempt + 1);
      this.schedule(byeDelay);
    };
  }

  schedule(byeDelay) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    let delay;
    if (byeDelay !== null) {
      // the server is restarting: come back after its hint, spread so clients do not arrive at once
      delay = byeDelay + Math.random() * 1000;
      this.attempt = 1;
    } else {
      const cap = Math.min(MAX_MS, BASE_MS * 2 ** this.attempt);
      delay = cap / 2 + Math.random() * (cap / 2);
      this.attempt += 1;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
