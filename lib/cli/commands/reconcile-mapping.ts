import type { ColumnMap, SourceMapping, StatusMap } from '@/lib/sources/types';
import { UsageError } from '../command';

/** `--map column=field` and `--status-map value=state` as a mapping (a column may contain `=`: the last one splits). */
export function parseMapFlags(map: string[], statusMap: string[]): SourceMapping {
  const split = (flag: string, pair: string) => {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--${flag} takes ${flag === 'map' ? 'column=field' : 'value=active|inactive'} (got ${pair})`);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const;
  };
  const columns: Record<string, string> = {};
  for (const pair of map) {
    const [column, field] = split('map', pair);
    if (columns[column]) throw new UsageError(`--map ${column} is given twice`);
    columns[column] = field;
  }
  const statuses: Record<string, string> = {};
  for (const pair of statusMap) {
    const [value, state] = split('status-map', pair);
    if (state !== 'active' && state !== 'inactive') throw new UsageError(`--status-map ${pair}: the state is active or inactive`);
    statuses[value] = state;
  }
  return { columns: columns as ColumnMap, statuses: statuses as StatusMap };
}
