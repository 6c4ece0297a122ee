// The string-path client the review room still calls while its requests move to the typed `api` in client.ts.
import { sendRequest } from './client.ts';

export const api = {
  get: <T>(path: string) => sendRequest('GET', path) as Promise<T>,
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    sendRequest('POST', path, body, headers) as Promise<T>,
  patch: <T>(path: string, body: unknown) => sendRequest('PATCH', path, body) as Promise<T>,
  put: <T>(path: string, body: unknown) => sendRequest('PUT', path, body) as Promise<T>,
  delete: (path: string) => sendRequest('DELETE', path) as Promise<void>,
};
