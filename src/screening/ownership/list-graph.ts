import type { EntityEntry } from '../../domain/list-entry';
import type { HitSeverity } from '../hits';
import { DEFAULT_TARGET_TOPICS } from '../ruleset';
import { OwnershipGraph, type GraphLink, type GraphNode } from './graph';
import { isListTarget, targetSeverity, type TargetTopics } from './targets';

export interface GraphPolicy {
  targetTopics: TargetTopics;
  threshold: number;
}

export const DEFAULT_GRAPH_POLICY: GraphPolicy = { targetTopics: DEFAULT_TARGET_TOPICS, threshold: 0.5 };

export interface ListGraphParts {
  context?: Set<string>;
  topicSeverity?: Map<string, HitSeverity>;
  graph?: OwnershipGraph;
}

/**
 * The target/context split and the resolved ownership graph of one entity list version. Lists without topics or
 * links get nothing (no memory, no cost); only nodes named by a link keep a name for explanations.
 */
export function buildListGraph(
  entries: readonly EntityEntry[],
  links: readonly GraphLink[],
  policy: GraphPolicy = DEFAULT_GRAPH_POLICY,
): ListGraphParts {
  const { parts, nodes } = split(entries, links, policy);
  if (links.length > 0) parts.graph = new OwnershipGraph(links, nodes, { threshold: policy.threshold });
  return parts;
}

/** The same, with the graph settled in slices off the event loop (what a serving process uses, like the name index). */
export async function buildListGraphSliced(
  entries: readonly EntityEntry[],
  links: readonly GraphLink[],
  policy: GraphPolicy = DEFAULT_GRAPH_POLICY,
): Promise<ListGraphParts> {
  const { parts, nodes } = split(entries, links, policy);
  if (links.length > 0) parts.graph = await OwnershipGraph.buildSliced(links, nodes, { threshold: policy.threshold });
  return parts;
}

function split(
  entries: readonly EntityEntry[],
  links: readonly GraphLink[],
  policy: GraphPolicy,
): { parts: ListGraphParts; nodes: Map<string, GraphNode> } {
  const out: ListGraphParts = {};
  const linked = new Set<string>();
  for (const l of links) {
    linked.add(l.fromId);
    linked.add(l.toId);
  }
  const nodes = new Map<string, GraphNode>();
  for (const e of entries) {
    const listed = isListTarget(e, policy.targetTopics);
    if (e.topics !== undefined) {
      if (!listed) (out.context ??= new Set()).add(e.entryId);
      else (out.topicSeverity ??= new Map()).set(e.entryId, targetSeverity(e, policy.targetTopics)!);
    }
    if (linked.has(e.entryId)) nodes.set(e.entryId, { name: e.names[0], listed, programs: e.programs });
  }
  return { parts: out, nodes };
}
