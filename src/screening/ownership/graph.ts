/**
 * The ownership and control graph of one entity list version, resolved once when the version is loaded so that
 * screening a party costs a map lookup (issue 13, OFAC's 50% rule).
 *
 * Share: the part of an entity held, in aggregate, by listed parties, directly or through chains: along a chain the
 * percentages multiply (60% of B, which is 90% owned by a listed person, is 54%), across owners they add (25% + 25%).
 * Several records of the same owner -> asset pair (a register's snapshots over time) count once, with the largest
 * share. It is the least fixed point of share(e) = min(1, sum over owners o of pct(o, e) * (listed(o) ? 1 : share(o))),
 * computed by a worklist from the listed owners outwards; every node is re-evaluated a bounded number of times, so
 * cycles (A owns B owns A) terminate, at the limit's precision at worst.
 *
 * Control: links without a usable share (an Ownership record with no percentage, a Directorship, OFAC "Linked To:",
 * an UnknownLink) from a listed party, or from an entity itself owned at or above the threshold (a blocked entity), and
 * family or associate ties to a listed person. They mark the entity "controlled by" / "linked to": a reason to look,
 * never a reason to refuse.
 */
import type { LinkKind } from '../../domain/list-entry';
import { runSliced } from '../matching/typed-buffers';

export interface GraphLink {
  linkId: string;
  kind: LinkKind;
  fromId: string;
  toId: string;
  /** Percent (0-100], ownership only. */
  percentage?: number;
  role?: string;
}

export interface GraphNode {
  /** The entry's primary name. */
  name: string;
  /** A list target (not a context record). */
  listed: boolean;
  /** Why it is listed: its programmes or topics, for the explanation. */
  programs: string[];
}

export interface OwnershipPolicy {
  /** 0-1: the aggregate listed share from which an entity counts as owned (OFAC: 0.5). */
  threshold: number;
}

/** One chain from the entity up to a listed owner: steps[0] owns the entity, the last step is listed. */
export interface OwnershipPath {
  /** The product of the percentages along the chain, 0-1. */
  share: number;
  steps: { entryId: string; name: string; percentage: number; programs?: string[] }[];
}

export interface ControlLink {
  kind: LinkKind;
  entryId: string;
  name: string;
  /** 'listed': the other side is a list target; 'owned': it is an entity owned at or above the threshold. */
  because: 'listed' | 'owned';
  programs: string[];
  role?: string;
  /** Set when the link is an Ownership record whose share is not stated. */
  percentageUnknown?: boolean;
}

export interface OwnershipVerdict {
  entryId: string;
  /** Aggregate share held by listed parties, 0-1, 4 decimals. */
  share: number;
  owned: boolean;
  /** The strongest chains behind the share, best first (at most MAX_PATHS). */
  paths: OwnershipPath[];
  controls: ControlLink[];
}

/** Shares are reported to 4 decimals: a change smaller than this does not move any figure or verdict. */
const EPSILON = 1e-7;
/** Re-evaluations per node before the worklist gives up refining it (cycles converge geometrically; this bounds them). */
const MAX_UPDATES = 64;
const MAX_PATHS = 5;
const MAX_DEPTH = 8;
/** Nodes one explanation may visit: bounds the cost of the first ask for an entity in a dense graph. */
const PATH_BUDGET = 256;
/** Chains contributing less than this (0-1) are not worth a line in an explanation (they still count in the share). */
const MIN_PATH_SHARE = 0.001;
const CONTROL_KINDS: ReadonlySet<LinkKind> = new Set(['directorship', 'linked-to', 'unknown-link', 'ownership']);
const TIE_KINDS: ReadonlySet<LinkKind> = new Set(['family', 'associate']);

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

interface Owner {
  from: number;
  /** 0-1 */
  pct: number;
}

export class OwnershipGraph {
  private readonly ids: string[] = [];
  private readonly idx = new Map<string, number>();
  /** Per asset: its owners with a stated share. */
  private readonly owners: Owner[][] = [];
  private shares = new Float64Array(0);
  private listed = new Uint8Array(0);
  /** Per entity: links that make it controlled or tied, recorded raw; resolved against `shares` when asked. */
  private readonly controlIn: { from: number; link: GraphLink }[][] = [];
  private readonly verdicts = new Map<string, OwnershipVerdict | null>();
  linkCount = 0;

  /** Builds and settles the graph in one piece (tests, benchmarks, the delta re-screening). */
  constructor(links: Iterable<GraphLink>, nodes: ReadonlyMap<string, GraphNode>, policy: OwnershipPolicy);
  constructor(
    links: Iterable<GraphLink>,
    nodes: ReadonlyMap<string, GraphNode>,
    policy: OwnershipPolicy,
    settle: false,
  );
  constructor(
    private links: Iterable<GraphLink>,
    private readonly nodes: ReadonlyMap<string, GraphNode>,
    private readonly policy: OwnershipPolicy,
    settle = true,
  ) {
    if (settle)
      for (const _ of this.settleSteps()) {
        /* all at once */
      }
  }

  /** The same graph, settled in slices that give the event loop a turn about every `budgetMs` (a serving process). */
  static async buildSliced(
    links: Iterable<GraphLink>,
    nodes: ReadonlyMap<string, GraphNode>,
    policy: OwnershipPolicy,
    budgetMs?: number,
  ): Promise<OwnershipGraph> {
    const g = new OwnershipGraph(links, nodes, policy, false);
    await runSliced(g.settleSteps(), budgetMs);
    return g;
  }

  /** Resolves the shares, then every verdict, at index build, so that screening a party is a map lookup. */
  private *settleSteps(): Generator<void, void> {
    yield* this.ingest();
    yield* this.resolveShares();
    for (let i = 0; i < this.ids.length; i += 1) {
      this.verdict(this.ids[i]);
      if ((i & 255) === 255) yield;
    }
  }

  private node(id: string): number {
    let i = this.idx.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.idx.set(id, i);
      this.owners.push([]);
      this.controlIn.push([]);
    }
    return i;
  }

  /** Reads the links: nodes, owners with a stated share (one per pair, the largest), control and ties. */
  private *ingest(): Generator<void, void> {
    const pairs = new Map<number, Owner & { to: number }>();
    let count = 0;
    for (const link of this.links) {
      count += 1;
      if ((count & 4095) === 0) yield;
      const from = this.node(link.fromId);
      const to = this.node(link.toId);
      if (link.kind === 'ownership' && link.percentage !== undefined) {
        const key = from * 0x4000000 + to; // exact below 2^26 nodes per list version
        const pct = link.percentage / 100;
        const seen = pairs.get(key);
        if (!seen || seen.pct < pct) pairs.set(key, { from, to, pct });
      }
      if (
        (link.kind === 'ownership' && link.percentage === undefined) ||
        (link.kind !== 'ownership' && CONTROL_KINDS.has(link.kind))
      ) {
        this.controlIn[to].push({ from, link });
      } else if (TIE_KINDS.has(link.kind)) {
        // Family and association run both ways: the relative of a listed person is as tied to them as they are to it.
        this.controlIn[to].push({ from, link });
        this.controlIn[from].push({ from: to, link });
      }
    }
    this.linkCount = count;
    this.links = []; // the graph keeps what it resolved, not the raw rows
    for (const { from, to, pct } of pairs.values()) this.owners[to].push({ from, pct });
    this.listed = new Uint8Array(this.ids.length);
    this.ids.forEach((id, i) => {
      this.listed[i] = this.nodes.get(id)?.listed ? 1 : 0;
    });
    this.shares = new Float64Array(this.ids.length);
  }

  /** Worklist fixed point: starts at the assets of listed owners, re-evaluates an asset when one of its owners moved. */
  private *resolveShares(): Generator<void, void> {
    const assetsOf: number[][] = this.ids.map(() => []);
    this.owners.forEach((os, asset) => {
      for (const o of os) assetsOf[o.from].push(asset);
    });
    const updates = new Uint8Array(this.ids.length);
    const queued = new Uint8Array(this.ids.length);
    const queue: number[] = [];
    const push = (n: number) => {
      if (!queued[n] && updates[n] < MAX_UPDATES) {
        queued[n] = 1;
        queue.push(n);
      }
    };
    for (let i = 0; i < this.ids.length; i += 1) if (this.listed[i]) for (const a of assetsOf[i]) push(a);
    for (let head = 0; head < queue.length; head += 1) {
      if ((head & 1023) === 1023) yield;
      const n = queue[head];
      queued[n] = 0;
      let s = 0;
      for (const o of this.owners[n]) s += o.pct * (this.listed[o.from] ? 1 : this.shares[o.from]);
      s = Math.min(1, s);
      updates[n] += 1;
      if (Math.abs(s - this.shares[n]) <= EPSILON) continue;
      this.shares[n] = s;
      for (const a of assetsOf[n]) push(a);
    }
  }

  /** Number of distinct nodes (entries and ids the links name). */
  get nodeCount(): number {
    return this.ids.length;
  }

  /** The aggregate listed share of an entity, 0-1 (0 when it is not in the graph). */
  share(entryId: string): number {
    const i = this.idx.get(entryId);
    return i === undefined ? 0 : r4(this.shares[i]);
  }

  /**
   * What the graph says about an entity: undefined when it is neither owned at or above the threshold nor controlled
   * or tied. Settled for every node when the graph is built (settleSteps) and kept: the graph is immutable.
   */
  verdict(entryId: string): OwnershipVerdict | undefined {
    const cached = this.verdicts.get(entryId);
    if (cached !== undefined) return cached ?? undefined;
    const v = this.compute(entryId);
    this.verdicts.set(entryId, v ?? null);
    return v;
  }

  private compute(entryId: string): OwnershipVerdict | undefined {
    const i = this.idx.get(entryId);
    if (i === undefined) return undefined;
    const share = this.shares[i];
    const owned = share + EPSILON >= this.policy.threshold;
    const controls: ControlLink[] = [];
    const seen = new Set<string>();
    for (const { from, link } of this.controlIn[i]) {
      const because = this.listed[from]
        ? 'listed'
        : this.shares[from] + EPSILON >= this.policy.threshold && !TIE_KINDS.has(link.kind)
          ? 'owned'
          : undefined;
      if (!because) continue;
      const key = `${link.kind}|${from}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const node = this.nodes.get(this.ids[from]);
      const c: ControlLink = {
        kind: link.kind,
        entryId: this.ids[from],
        name: node?.name ?? this.ids[from],
        because,
        programs: node?.programs ?? [],
      };
      if (link.role) c.role = link.role;
      if (link.kind === 'ownership') c.percentageUnknown = true;
      controls.push(c);
    }
    if (!owned && controls.length === 0) return undefined;
    return {
      entryId,
      share: r4(share),
      owned,
      paths: share > 0 ? this.paths(i, 0, new Set([i]), { left: PATH_BUDGET }, 1) : [],
      controls,
    };
  }

  /** The strongest chains from node i up to listed owners, bounded in depth and breadth. */
  private paths(
    i: number,
    depth: number,
    onPath: Set<number>,
    budget: { left: number },
    reach: number,
  ): OwnershipPath[] {
    const out: OwnershipPath[] = [];
    for (const o of this.owners[i]) {
      if (budget.left <= 0) break;
      budget.left -= 1;
      const node = this.nodes.get(this.ids[o.from]);
      const step = { entryId: this.ids[o.from], name: node?.name ?? this.ids[o.from], percentage: r4(o.pct * 100) };
      if (this.listed[o.from]) {
        out.push({ share: o.pct, steps: [{ ...step, programs: node?.programs ?? [] }] });
      } else if (reach * o.pct * this.shares[o.from] >= MIN_PATH_SHARE && depth < MAX_DEPTH && !onPath.has(o.from)) {
        onPath.add(o.from);
        for (const p of this.paths(o.from, depth + 1, onPath, budget, reach * o.pct))
          out.push({ share: o.pct * p.share, steps: [step, ...p.steps] });
        onPath.delete(o.from);
      }
    }
    out.sort((a, b) => b.share - a.share);
    return out.slice(0, MAX_PATHS).map((p) => ({ ...p, share: r4(p.share) }));
  }

  /** Entities whose verdict differs between two graphs (delta re-screening of graph changes). */
  static changedEntities(before: OwnershipGraph | undefined, after: OwnershipGraph): Set<string> {
    const changed = new Set<string>();
    const key = (g: OwnershipGraph | undefined, id: string) => {
      const v = g?.verdict(id);
      return v
        ? `${v.owned}|${v.share}|${v.controls
            .map((c) => `${c.kind}:${c.entryId}:${c.because}`)
            .sort()
            .join(',')}`
        : '';
    };
    const ids = new Set([...after.ids, ...(before?.ids ?? [])]);
    for (const id of ids) if (key(before, id) !== key(after, id)) changed.add(id);
    return changed;
  }
}
