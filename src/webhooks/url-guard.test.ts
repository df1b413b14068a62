import {
  addressRange,
  assertAllowedUrl,
  guardedLookup,
  isPublicAddress,
  UrlRefusedError,
  type Resolver,
} from './url-guard';

const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const publicOnly = { allowPrivate: false, resolve: resolveTo('93.184.215.14') };

describe('address classification', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '100.64.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '2001:db8::1',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it('judges an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(addressRange('::ffff:127.0.0.1')).toBe('loopback');
    expect(addressRange('::ffff:192.168.0.1')).toBe('private');
  });
});

describe('assertAllowedUrl', () => {
  it.each([
    ['http://127.0.0.1/hook', /loopback/],
    ['http://10.0.0.1/hook', /private/],
    ['http://[::1]/hook', /loopback/],
    ['http://[::ffff:7f00:1]/hook', /loopback/],
    ['http://169.254.169.254/latest/meta-data', /linkLocal/],
    ['http://0x7f.1/', /loopback/],
    ['http://2130706433/', /loopback/],
    ['http://[fd00::1]/', /uniqueLocal/],
    ['http://[ff02::1]/', /multicast/],
    ['http://0.0.0.0/', /unspecified/],
    ['ftp://example.com/', /http or https/],
    ['not a url', /absolute URL/],
  ])('refuses %s', async (url, message) => {
    await expect(assertAllowedUrl(url, publicOnly)).rejects.toThrow(message);
  });

  it('refuses a hostname that resolves to a private address, even when another address is public', async () => {
    await expect(
      assertAllowedUrl('https://hooks.example.com/x', { allowPrivate: false, resolve: resolveTo('10.1.2.3') }),
    ).rejects.toThrow(/private/);
    await expect(
      assertAllowedUrl('https://hooks.example.com/x', {
        allowPrivate: false,
        resolve: resolveTo('93.184.215.14', '::1'),
      }),
    ).rejects.toThrow(/loopback/);
  });

  it('refuses localhost through the system resolver', async () => {
    await expect(assertAllowedUrl('http://localhost:8080/', { allowPrivate: false })).rejects.toThrow(UrlRefusedError);
  });

  it('refuses a host that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(
      assertAllowedUrl('https://nowhere.invalid/', { allowPrivate: false, resolve: failing }),
    ).rejects.toThrow(/does not resolve/);
    await expect(
      assertAllowedUrl('https://empty.example/', { allowPrivate: false, resolve: resolveTo() }),
    ).rejects.toThrow(/does not resolve/);
  });

  it('allows public hosts, and private ones only when configured to', async () => {
    await expect(assertAllowedUrl('https://hooks.example.com/x', publicOnly)).resolves.toBeInstanceOf(URL);
    await expect(assertAllowedUrl('https://[2606:4700:4700::1111]/x', publicOnly)).resolves.toBeInstanceOf(URL);
    await expect(assertAllowedUrl('http://127.0.0.1:9/x', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
    await expect(assertAllowedUrl('ftp://127.0.0.1/x', { allowPrivate: true })).rejects.toThrow(/http or https/);
  });
});

describe('guardedLookup (connect-time check against DNS rebinding)', () => {
  function lookup(resolver: Resolver, options: { all?: boolean; family?: number } = {}) {
    return new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) => {
      guardedLookup(resolver)('hooks.example.com', options, (err, address, family) =>
        resolve({ err, address, family }),
      );
    });
  }

  it('hands the checked public address to the socket', async () => {
    expect(await lookup(resolveTo('93.184.215.14'))).toEqual({ err: null, address: '93.184.215.14', family: 4 });
    const all = await lookup(resolveTo('93.184.215.14', '2606:4700:4700::1111'), { all: true });
    expect(all.address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    expect((await lookup(resolveTo('93.184.215.14', '2606:4700:4700::1111'), { family: 6 })).address).toBe(
      '2606:4700:4700::1111',
    );
  });

  it('fails the connection when the name now resolves to a private address', async () => {
    let calls = 0;
    // Public at registration, loopback at delivery: the classic rebinding trick.
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
    await assertAllowedUrl('https://hooks.example.com/', { allowPrivate: false, resolve: rebinding });
    const { err } = await lookup(rebinding);
    expect(err).toBeInstanceOf(UrlRefusedError);
    expect(err?.message).toMatch(/loopback/);
  });
});
