// Small DOM and formatting helpers shared by the pages.
import { t } from './i18n.js';

/** Creates an element: h('p', {class: 'x'}, 'text', child). Attributes set with setAttribute. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function $(sel, root = document) {
  return root.querySelector(sel);
}

export function show(el, visible) {
  el.hidden = !visible;
}

/** "about 4–9 min" style text for an ETA {p50, p90} in seconds. */
export function etaText(eta) {
  if (!eta) return '';
  const a = Math.round(eta.p50 / 60);
  const b = Math.max(a, Math.round(eta.p90 / 60));
  if (b < 1) return t('common.lessThanMinute');
  if (a === b) return t('common.minutes', { n: a });
  return t('common.minutesRange', { a: Math.max(a, 0), b });
}

export function minutesText(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const m = Math.round(seconds / 60);
  return m < 1 ? t('common.lessThanMinute') : t('common.minutes', { n: m });
}

export function timeText(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Path segments after the first: /q/demo/main -> ['demo', 'main']. */
export function pathParams() {
  return window.location.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
}

/** Reads key=value pairs from the URL fragment (#t=...&key=...). */
export function fragmentParams() {
  return new URLSearchParams(window.location.hash.replace(/^#/, ''));
}
