import type { ImportFormat } from '../lists/importers';

export interface DefaultSource {
  listId: string;
  name: string;
  format: ImportFormat;
  urls: Record<string, string>;
  refreshMinutes: number;
}

const OFAC = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports';

/**
 * The official publishers' files, installed at start when the list has no source yet (LIST_SOURCES=on). Conditional
 * GET makes an hourly check cheap when nothing changed; OFAC publishes on business days, the others weekly or less.
 */
export const DEFAULT_SOURCES: readonly DefaultSource[] = Object.freeze<DefaultSource[]>([
  {
    listId: 'ofac-sdn',
    name: 'OFAC Specially Designated Nationals (SDN)',
    format: 'ofac-sdn-csv',
    refreshMinutes: 60,
    urls: {
      sdn: `${OFAC}/SDN.CSV`,
      alt: `${OFAC}/ALT.CSV`,
      add: `${OFAC}/ADD.CSV`,
      comments: `${OFAC}/SDN_COMMENTS.CSV`,
    },
  },
  {
    listId: 'un',
    name: 'UN Security Council Consolidated List',
    format: 'un-xml',
    refreshMinutes: 60,
    urls: { file: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml' },
  },
  {
    listId: 'eu-fsf',
    name: 'EU Financial Sanctions File (FSF 1.1)',
    format: 'eu-fsf-xml',
    refreshMinutes: 60,
    // The token is the Commission's fixed public one, not a secret.
    urls: {
      file: 'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw',
    },
  },
  {
    listId: 'us-csl',
    name: 'US Consolidated Screening List',
    format: 'csl-csv',
    refreshMinutes: 60,
    urls: { file: 'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv' },
  },
  {
    listId: 'uk-sanctions',
    name: 'UK Sanctions List (FCDO)',
    format: 'uk-sanctions-xml',
    refreshMinutes: 60,
    urls: { file: 'https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml' },
  },
]);
