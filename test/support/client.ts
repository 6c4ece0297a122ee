// An HTTP client that behaves like the browser app: same-origin requests, a cookie jar, JSON bodies.
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiClient {
  cookie: string | undefined;

  constructor(
    readonly origin: string,
    readonly options: { sendOrigin?: boolean; bearer?: string } = {},
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.options.sendOrigin === false ? {} : { origin: this.origin }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.options.bearer ? { authorization: `Bearer ${this.options.bearer}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('lastmile_session='));
    if (setCookie) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value === 'lastmile_session=' ? undefined : value;
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body ?? {});
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}

let counter = 0;
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}.${process.pid}.${Date.now().toString(36)}.${counter}@example.com`;
}

export const PASSWORD = 'correct horse battery';

/** Signs up a new user and returns a client holding their session. */
export async function signUp(
  origin: string,
  name = 'Test User',
  email = uniqueEmail(),
): Promise<{ client: ApiClient; user: { id: string; email: string; name: string } }> {
  const client = new ApiClient(origin);
  const response = await client.post('/api/auth/signup', { email, password: PASSWORD, name });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { client, user: response.body.user };
}

export async function createOrganization(
  client: ApiClient,
  name = 'Acme Logistics',
): Promise<{ id: string; name: string }> {
  const response = await client.post('/api/orgs', { name });
  if (response.status !== 201)
    throw new Error(`create org failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.organization;
}
