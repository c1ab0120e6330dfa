// A synthetic data set shaped like event-ruler's CityLots benchmark (San Francisco lots as GeoJSON features, about
// 900 bytes a line, with `geometry.firstCoordinates` as event-ruler's citylots2 adds), generated from a seeded
// random source so that every run sees the same events; and rule sets of each operator kind over it.

/** A small seeded generator (mulberry32): the same data set on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['MA', 'SON', 'FUL', 'TON', 'GEA', 'RY', 'MIS', 'SION', 'VAL', 'EN', 'CIA', 'HAY', 'ES', 'OAK', 'PO', 'LK', 'BRO', 'AD', 'WAY', 'FOL', 'SOM', 'HOW', 'ARD', 'DIV', 'IS', 'ADE', 'RO', 'LIN', 'CAS', 'TRO', 'NO', 'E', 'JUN', 'IPER', 'SER', 'RA', 'NO', 'LA', 'GU', 'NA'];
const ST_TYPES = ['ST', 'AVE', 'BLVD', 'WAY', 'TER', 'CT', 'PL', 'DR', 'LN', 'RD', null];

export interface CityLots {
  /** One JSON text per feature, as event-ruler reads them. */
  readonly lines: readonly string[];
  readonly streets: readonly string[];
  /** Sample MAPBLKLOT values of the data set. */
  readonly lots: readonly string[];
  readonly bytes: number;
}

export function generateCityLots(count: number, seed = 1): CityLots {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const streets: string[] = [];
  for (let i = 0; i < 400; i++) {
    const n = 1 + Math.floor(random() * 3);
    let s = '';
    for (let j = 0; j < n; j++) s += pick(SYLLABLES);
    streets.push(s);
  }
  const lines: string[] = [];
  const lots: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const block = String(1 + Math.floor(random() * 7500)).padStart(4, '0');
    const lot = String(1 + Math.floor(random() * 250)).padStart(3, '0');
    const from = Math.floor(random() * 3000);
    const x0 = -122.52 + random() * 0.16;
    const y0 = 37.70 + random() * 0.12;
    const points = 10 + Math.floor(random() * 9);
    const ring: number[][] = [];
    for (let p = 0; p < points; p++) ring.push([x0 + (random() - 0.5) * 1e-3, y0 + (random() - 0.5) * 1e-3, 0.0]);
    ring.push(ring[0] ?? [x0, y0, 0]);
    const feature = {
      type: 'Feature',
      properties: {
        MAPBLKLOT: block + lot,
        BLKLOT: block + lot,
        BLOCK_NUM: block,
        LOT_NUM: lot,
        FROM_ST: String(from),
        TO_ST: String(from + Math.floor(random() * 40)),
        STREET: pick(streets),
        ST_TYPE: pick(ST_TYPES),
        ODD_EVEN: from % 2 === 0 ? 'E' : 'O',
      },
      geometry: {
        type: random() < 0.97 ? 'Polygon' : 'MultiPolygon',
        coordinates: [ring],
        firstCoordinates: { x: ring[0]?.[0] ?? x0, y: ring[0]?.[1] ?? y0, z: 0 },
      },
    };
    const line = JSON.stringify(feature);
    lines.push(line);
    bytes += line.length;
    if (i % 97 === 0) lots.push(block + lot);
  }
  return { lines, streets, lots, bytes };
}

export type OperatorKind = 'exact' | 'prefix' | 'suffix' | 'numeric' | 'anything-but' | 'wildcard';
export const OPERATOR_KINDS: readonly OperatorKind[] = ['exact', 'prefix', 'suffix', 'numeric', 'anything-but', 'wildcard'];

/** event-ruler's published figures for its CityLots rule sets (README, "Performance"), events per second. */
export const EVENT_RULER_EPS: Readonly<Record<OperatorKind, number>> = {
  exact: 220_000,
  prefix: 220_000,
  suffix: 220_000,
  numeric: 120_000,
  'anything-but': 150_000,
  wildcard: 170_000,
};

/** `count` rule patterns of one operator kind, in the shapes of event-ruler's benchmark rules. */
export function rulePatterns(kind: OperatorKind, count: number, data: CityLots, seed = 7): string[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const out: string[] = [];
  const street = (): string => pick(data.streets);
  for (let i = 0; i < count; i++) {
    let p: unknown;
    switch (kind) {
      case 'exact':
        p = i % 2 === 0 ? { properties: { MAPBLKLOT: [pick(data.lots)] } } : { properties: { STREET: [street()] } };
        break;
      case 'prefix': {
        const s = street();
        p = { properties: { STREET: [{ prefix: s.slice(0, 2 + (i % 3)) }] } };
        break;
      }
      case 'suffix': {
        const s = street();
        p = { properties: { STREET: [{ suffix: s.slice(-(2 + (i % 3))) }] } };
        break;
      }
      case 'numeric': {
        const x = -122.52 + random() * 0.16;
        p =
          i % 3 === 0
            ? { geometry: { firstCoordinates: { x: [{ numeric: ['>', x, '<', x + 0.002] }] } } }
            : i % 3 === 1
              ? { geometry: { type: ['Polygon'], firstCoordinates: { x: [{ numeric: ['>=', x, '<=', x + 0.001] }] } } }
              : { geometry: { firstCoordinates: { y: [{ numeric: ['>', 37.7 + (x + 122.52) * 0.75, '<', 37.7 + (x + 122.52) * 0.75 + 0.002] }] } } };
        break;
      }
      case 'anything-but':
        p =
          i % 4 === 0
            ? { properties: { ST_TYPE: [{ 'anything-but': [pick(['ST', 'AVE', 'BLVD'])] }] } }
            : i % 4 === 1
              ? { geometry: { type: [{ 'anything-but': ['Polygon'] }] } }
              : { properties: { STREET: [{ 'anything-but': [street(), street()] }] } };
        break;
      case 'wildcard': {
        const s = street();
        const lot = pick(data.lots);
        p =
          i % 4 === 0
            ? { properties: { MAPBLKLOT: [{ wildcard: `${lot.slice(0, 3)}*` }] } }
            : i % 4 === 1
              ? { properties: { MAPBLKLOT: [{ wildcard: `${lot.slice(0, 1)}*${lot.slice(3, 4)}*${lot.slice(-1)}` }] } }
              : i % 4 === 2
                ? { properties: { STREET: [{ wildcard: s.length > 3 ? `*${s.slice(1, 4)}*` : `*${s}` }] } }
                : { properties: { STREET: [{ wildcard: `${s.slice(0, 2)}*${s.slice(-1)}` }] } };
        break;
      }
    }
    out.push(JSON.stringify(p));
  }
  return out;
}
