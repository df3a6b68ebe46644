// What the join page shows in a waiting room before the person is let in: the wait as a range of
// minutes, and the countdowns to the pre-queue and the opening (admitted.js: after).
import { t } from './i18n.js';
import { $, show } from './ui.js';

/** Seconds the page waits before it takes an admitted person to the site by itself. */
export const REDIRECT_SECONDS = 3;
/** The fragment parameter that carries the access token; /assets/gate.js reads it. */
export const TOKEN_PARAM = 'vq_access_token';

/** "about 4–6 minutes" for an ETA {p50, p90} in seconds; the holding text when there is none. */
export function roomWaitText(eta) {
  if (!eta) return t('room.holding');
  const a = Math.round(eta.p50 / 60);
  const b = Math.max(a, Math.round(eta.p90 / 60));
  if (b < 1) return t('room.waitUnderMinute');
  if (a === b) return b === 1 ? t('room.waitAboutOne') : t('room.waitAboutN', { n: b });
  return t('room.waitAbout', { a, b });
}

/** "1:02:03", "4:05", "0:09" for a number of milliseconds still to go. */
export function countdownText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** "at 18:30" today, else "on Tue 2 Dec, 18:30": when an opening or a draw happens. */
export function whenText(date) {
  const sameDay = date.toDateString() === new Date().toDateString();
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (sameDay) return t('room.atTime', { time });
  return t('room.onDay', { day: date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' }), time });
}

/** The room's schedule as the page needs it: when joining opens, when admission opens, whether it draws. */
export function schedule(room, now = Date.now()) {
  const pre = room.prequeueOpensAt ? Date.parse(room.prequeueOpensAt) : null;
  const opens = room.opensAt ? Date.parse(room.opensAt) : null;
  const joinFrom = pre !== null ? pre : opens;
  return {
    joinFrom: joinFrom !== null && now < joinFrom ? joinFrom : null,
    opensAt: opens !== null && now < opens ? opens : null,
    prequeue: pre !== null && opens !== null && now < opens,
    drawsAt: opens,
  };
}

/**
 * The room's countdown into #room-info: to when joining opens (on the join form, {@code inLine}
 * false) or to the opening (for those in line), with the pre-queue note and its link to the draw;
 * hidden (and the countdown stopped) for a service queue ({@code room} null) or once it has opened.
 */
export function renderSchedule(room, inLine, drawUrl, countdown, onOver) {
  const s = room ? schedule(room) : null;
  const joining = Boolean(s && !inLine && s.joinFrom);
  const until = s && (joining ? s.joinFrom : s.opensAt);
  show($('#room-info'), Boolean(until));
  if (!until) {
    countdown.stop();
    return;
  }
  const when = whenText(new Date(until));
  $('#schedule-label').textContent = joining ? t('room.joinOpensIn') : t('room.opensIn');
  $('#schedule-when').textContent = joining ? t('room.joinAt', { when }) : t('room.opensAt', { when });
  show($('#prequeue-note'), s.prequeue);
  if (s.prequeue) {
    $('#prequeue-text').textContent = t('room.prequeueNote', { when: whenText(new Date(s.drawsAt)) });
    $('#draw-link').href = drawUrl;
  }
  countdown.start($('#schedule-countdown'), until, onOver);
}

/** The target with the token in its fragment (a target never has a fragment of its own). */
export function accessUrl(targetUrl, accessToken) {
  return `${targetUrl}#${TOKEN_PARAM}=${encodeURIComponent(accessToken)}`;
}

/**
 * One ticking timer that writes the time left until {@code until} into an element each second and
 * calls {@code onDone} once when it is over. start() again replaces the previous countdown.
 */
export class Countdown {
  constructor() {
    this.timer = null;
  }

  start(el, until, onDone) {
    this.stop();
    const tick = () => {
      const left = until - Date.now();
      el.textContent = countdownText(left);
      if (left <= 0) {
        this.stop();
        onDone();
      }
    };
    this.timer = setInterval(tick, 1000);
    tick();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }
}
