// Looks up UI text in the locale file and fills {placeholders}; applies data-i18n attributes.
import en from './i18n/en.js';

const strings = en;

/** The text for a dotted key, e.g. t('join.ahead', {n: 3}); the key itself when missing. */
export function t(key, vars = {}) {
  let v = key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), strings);
  if (typeof v !== 'string') {
    return key;
  }
  return v.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Fills every [data-i18n] element's text and [data-i18n-label] element's aria-label under root. */
export function applyI18n(root = document) {
  document.documentElement.lang = strings.lang;
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder)));
}
