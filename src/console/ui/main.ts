/**
 * The console's entry point: login, the header, hash routing and the page lifecycle (abort on leave, ready marks).
 * Each page marks `console:ready:<page>` in the User Timing API when its first render is done; the e2e tests read it.
 */
import { onUnauthorized, whoAmI } from './api';
import { h, replace } from './dom';
import { announce, errorMessage } from './live';
import { renderAudit } from './pages/audit';
import { renderCase } from './pages/case';
import { renderDashboard } from './pages/dashboard';
import { renderDeclaration, renderDeclarations } from './pages/declarations';
import { renderLists } from './pages/lists';
import { renderLogin } from './pages/login';
import type { PageContext, PageRender } from './pages/page';
import { renderQueue } from './pages/queue';
import { parseHash, type PageName } from './router';
import { clearKey, getKey } from './session';
import { installShortcuts, setPageShortcuts } from './shortcuts';
import type { Role, WhoAmI } from './types';

const PEOPLE: Role[] = ['reviewer', 'supervisor', 'auditor'];
const ACCESS: Record<PageName, Role[]> = {
  dashboard: ['supervisor', 'auditor', 'admin'],
  queue: PEOPLE,
  case: PEOPLE,
  declarations: [...PEOPLE, 'broker'],
  declaration: [...PEOPLE, 'broker'],
  lists: [...PEOPLE, 'admin'],
  audit: ['auditor', 'admin'],
  'not-found': [...PEOPLE, 'broker', 'admin'],
};
// Supervisors and auditors land on the figures; reviewers on their work.
const HOME: Record<Role, string> = {
  reviewer: '#/queue',
  supervisor: '#/dashboard',
  auditor: '#/dashboard',
  admin: '#/lists',
  broker: '#/declarations',
};
const NAV_PAGE: Partial<Record<PageName, string>> = { case: 'queue', declaration: 'declarations' };

async function renderNotFound(ctx: PageContext): Promise<void> {
  replace(
    ctx.main,
    h('h1', { tabindex: -1 }, 'Page not found'),
    h('p', null, h('a', { href: HOME[ctx.user.role] }, 'Go to your start page')),
  );
}

const PAGES: Record<PageName, PageRender> = {
  dashboard: renderDashboard,
  queue: renderQueue,
  case: renderCase,
  declarations: renderDeclarations,
  declaration: renderDeclaration,
  lists: renderLists,
  audit: renderAudit,
  'not-found': renderNotFound,
};

const main = document.getElementById('main') as HTMLElement;
let user: WhoAmI | null = null;
let leave: (() => void) | null = null;

function setHeader(): void {
  const nav = document.getElementById('nav') as HTMLElement;
  const who = document.getElementById('who') as HTMLElement;
  nav.hidden = !user;
  who.hidden = !user;
  if (!user) return;
  for (const link of nav.querySelectorAll<HTMLAnchorElement>('a[data-page]')) {
    link.hidden = !ACCESS[link.dataset.page as PageName].includes(user.role);
  }
  (document.getElementById('who-text') as HTMLElement).textContent =
    `${user.name} · ${user.role} · ${user.organization}`;
}

async function show(): Promise<void> {
  leave?.();
  setPageShortcuts({});
  if (!user) return;
  const route = parseHash(location.hash);
  if (!location.hash || location.hash === '#/') {
    location.replace(HOME[user.role]);
    return;
  }
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  leave = () => {
    controller.abort();
    for (const fn of cleanups.splice(0)) fn();
    leave = null;
  };
  const navName = NAV_PAGE[route.page] ?? route.page;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    if (link.dataset.page === navName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  performance.mark(`console:start:${route.page}`);
  main.setAttribute('aria-busy', 'true');
  delete main.dataset.page;
  const ctx: PageContext = {
    main,
    user,
    route,
    signal: controller.signal,
    onLeave: (fn) => cleanups.push(fn),
    shortcuts: setPageShortcuts,
  };
  try {
    if (!ACCESS[route.page].includes(user.role)) {
      replace(
        main,
        h('h1', { tabindex: -1 }, 'Not available'),
        h('p', null, `The ${route.page} page is not open to the ${user.role} role.`),
      );
    } else {
      await PAGES[route.page](ctx);
    }
  } catch (err) {
    if (controller.signal.aborted) return;
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Something went wrong'),
      h('p', { class: 'error' }, errorMessage(err)),
      h('button', { type: 'button', onclick: () => void show() }, 'Try again'),
    );
  }
  if (controller.signal.aborted) return;
  main.setAttribute('aria-busy', 'false');
  main.dataset.page = route.page;
  performance.mark(`console:ready:${route.page}`);
  performance.measure(`console:render:${route.page}`, `console:start:${route.page}`, `console:ready:${route.page}`);
  const title = main.querySelector('h1');
  document.title = `${title?.textContent ?? 'Console'} · Screening console`;
  if (document.activeElement === document.body || !main.contains(document.activeElement))
    title?.focus({ preventScroll: true });
}

function loggedIn(who: WhoAmI): void {
  user = who;
  setHeader();
  if (!location.hash || location.hash === '#/') location.replace(HOME[who.role]);
  else void show();
}

function logOut(notice?: string): void {
  leave?.();
  clearKey();
  user = null;
  setHeader();
  document.title = 'Log in · Screening console';
  renderLogin(main, loggedIn, notice);
}

async function boot(): Promise<void> {
  document.getElementById('skip')?.addEventListener('click', () => (main.querySelector('h1') ?? main).focus());
  document.getElementById('logout')?.addEventListener('click', () => logOut('You are logged out.'));
  const help = document.getElementById('help') as HTMLDialogElement;
  document.getElementById('help-open')?.addEventListener('click', () => help.showModal());
  document.getElementById('help-close')?.addEventListener('click', () => help.close());
  installShortcuts({
    '?': () => help.showModal(),
    q: () => {
      if (user && ACCESS.queue.includes(user.role)) location.hash = '#/queue';
    },
  });
  onUnauthorized(() => {
    if (user) logOut('Your key was not accepted (revoked or expired): log in again.');
  });
  window.addEventListener('hashchange', () => void show());

  const key = getKey();
  if (!key) {
    logOut();
    return;
  }
  try {
    loggedIn(await whoAmI<WhoAmI>(key));
  } catch (err) {
    logOut(`Log in again: ${errorMessage(err)}`);
    announce(errorMessage(err), 'error');
  }
}

void boot();
