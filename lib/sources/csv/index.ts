/**
 * HR exports as CSV sources: `openCsvSource` streams a file's records (source.ts), `previewCsv` and
 * the suggestions serve the dashboard's mapping step, mapping.ts checks a mapping and parses the
 * CLI's `--map`/`--status-map` flags.
 */
export { openCsvSource, type CsvSourceOptions } from './source';
export { CsvHeaderError, headerProblems, keyFields, mappingProblems, parseMappingFlags, validateMapping } from './mapping';
export { previewCsv, type CsvPreview, type PreviewOptions } from './preview';
export { suggestColumns, suggestStatuses } from './suggest';
export { dateFormats, isDateFormat, parseDate, type DateFormat } from './values';
export type { CsvInput } from './reader';
