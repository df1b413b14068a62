/**
 * The API key lives in sessionStorage only: it goes when the tab closes, it is never put in a URL, a cookie or a log.
 */
const STORAGE_KEY = 'screening-console.api-key';

export function getKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function clearKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable: nothing was kept
  }
}
