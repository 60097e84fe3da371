import { cutText, storableText } from '@/lib/model/storable-text';
import type { Claims } from './map-claims';

const MAX_TEXT = 500;
const MAX_LIST = 50;
const MAX_CLAIMS = 60;
const MAX_TOTAL = 16_000;

function capValue(value: unknown, depth: number): { value: unknown; cut: boolean } {
  if (typeof value === 'string') {
    const text = storableText(value); // audit events are jsonb: no U+0000, no lone surrogate
    return text.length > MAX_TEXT ? { value: `${cutText(text, MAX_TEXT)}…`, cut: true } : { value: text, cut: text !== value };
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { value, cut: false };
  if (depth > 2) return { value: '[nested]', cut: true };
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_LIST).map((v) => capValue(v, depth + 1));
    return { value: items.map((i) => i.value), cut: value.length > MAX_LIST || items.some((i) => i.cut) };
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).slice(0, MAX_LIST).map(([k, v]) => [storableText(k), capValue(v, depth + 1)] as const);
    return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), cut: Object.keys(value).length > MAX_LIST || entries.some(([, v]) => v.cut) };
  }
  return { value: String(value), cut: false };
}

/**
 * Claims as kept in an audit event: texts, lists and claim counts bounded, about 16 kB in all, so an
 * IdP sending thousands of groups cannot bloat the trail. `truncated` says whether anything was cut.
 */
export function capClaims(claims: Claims): { claims: Claims; truncated: boolean } {
  const out: Claims = {};
  let truncated = Object.keys(claims).length > MAX_CLAIMS;
  let size = 2;
  for (const [name, raw] of Object.entries(claims).slice(0, MAX_CLAIMS)) {
    const { value, cut } = capValue(raw, 0);
    const bytes = JSON.stringify(name).length + JSON.stringify(value ?? null).length + 2;
    if (size + bytes > MAX_TOTAL) {
      truncated = true;
      continue;
    }
    size += bytes;
    const key = cutText(storableText(name), 200);
    out[key] = value;
    truncated ||= cut || key !== name;
  }
  return { claims: out, truncated };
}
