export { PRIORITY_NAMES, type CasePriority } from '../review-rules/priority';
