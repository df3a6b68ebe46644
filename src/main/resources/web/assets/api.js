// fetch wrapper: JSON in and out; problem+json errors become ApiError with the server's code and detail.
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; resolves to the parsed body (null for 204), rejects with ApiError. */
export async function api(method, path, { body, headers = {}, token } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
  }
  if (token) {
    h.Authorization = `Bearer ${token}`;
  }
  let res;
  try {
    res = await fetch(path, {
      method, headers: h, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', t('common.networkError'));
  }
  if (res.status === 204) {
    return null;
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const code = (data && data.code) || `http.${res.status}`;
    const detail = (data && (data.detail || data.title)) || t('common.unknownError', { code });
    throw new ApiError(res.status, code, detail);
  }
  return data;
}

/**
 * A fresh Idempotency-Key for a join: 128 random bits as 22 base64url characters. The server
 * hands the ticket back to whoever repeats the key, so it must be unguessable (crypto.randomUUID
 * exists only on https or localhost; getRandomValues works on any page).
 */
export function joinKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
