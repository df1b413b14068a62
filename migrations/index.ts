import { Foundation1764190000000 } from './1764190000000-foundation';
import { Lists1764190100000 } from './1764190100000-lists';
import { Declarations1764190200000 } from './1764190200000-declarations';
import { Webhooks1764190300000 } from './1764190300000-webhooks';
import { Review1764190400000 } from './1764190400000-review';
import { JobBackendState1764190500000 } from './1764190500000-job-backend-state';
import { ListGeneration1764190600000 } from './1764190600000-list-generation';
import { JobReliability1764190700000 } from './1764190700000-job-reliability';
import { ListSources1764190800000 } from './1764190800000-list-sources';
import { ListVersions1764190900000 } from './1764190900000-list-versions';
import { Access1764191000000 } from './1764191000000-access';
import { AuditAnchor1764191200000 } from './1764191200000-audit-anchor';
import { Stats1764191300000 } from './1764191300000-stats';
import { CaseDocuments1764191400000 } from './1764191400000-case-documents';
import { InformationRequests1764191500000 } from './1764191500000-information-requests';
import { CaseNotes1764191600000 } from './1764191600000-case-notes';
import { Licences1764191700000 } from './1764191700000-licences';
import { Invoices1764191800000 } from './1764191800000-invoices';
import { EntityLinks1764191900000 } from './1764191900000-entity-links';
import { DeclarationSearch1764192100000 } from './1764192100000-declaration-search';
import { PartyNames1764192300000 } from './1764192300000-party-names';
import { SlaSweep1764192400000 } from './1764192400000-sla-sweep';
import { LeanWrites1764192500000 } from './1764192500000-lean-writes';

/** Applied in this order; a migration is never edited after it lands. */
export const MIGRATIONS = [
  Foundation1764190000000,
  Lists1764190100000,
  Declarations1764190200000,
  Webhooks1764190300000,
  Review1764190400000,
  JobBackendState1764190500000,
  ListGeneration1764190600000,
  JobReliability1764190700000,
  ListSources1764190800000,
  ListVersions1764190900000,
  Access1764191000000,
  AuditAnchor1764191200000,
  Stats1764191300000,
  CaseDocuments1764191400000,
  InformationRequests1764191500000,
  CaseNotes1764191600000,
  Licences1764191700000,
  Invoices1764191800000,
  EntityLinks1764191900000,
  DeclarationSearch1764192100000,
  PartyNames1764192300000,
  SlaSweep1764192400000,
  LeanWrites1764192500000,
];
