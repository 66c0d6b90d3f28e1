/**
 * What the store keeps of a cluster's story (src/threads/story-profile.ts makes
 * it; the fields are explained there): term hashes ascending, frames sorted.
 */
export type StoryProfile = {
  names: Uint32Array;
  nameCount: number;
  figures: Uint32Array;
  years: Uint32Array;
  rates: Uint32Array;
  frames: Uint32Array;
  values: Uint32Array;
  template: Uint32Array;
  templateCount: number;
};

/**
 * A cluster's story profile as stored (the `profile` field of `story:<clusterId>`):
 * a version byte, the distinct name count (uint16), the six list lengths
 * (uint8: names, figures, years, rates, frames, template), the template's
 * distinct count (uint16), the four term lists as uint32 (little-endian),
 * each frame as a uint32 and its fact as the low 16 bits of its hash (frames
 * are only compared for equal facts; two different facts agree by chance
 * once in 65,536), then the template sketch as uint32.
 */
const VERSION = 2;
const HEADER = 11;

export function encodeStory(p: StoryProfile): Buffer {
  const lists = [p.names, p.figures, p.years, p.rates];
  const terms = lists.reduce((n, l) => n + l.length, 0);
  const buf = Buffer.alloc(HEADER + 4 * terms + 6 * p.frames.length + 4 * p.template.length);
  buf[0] = VERSION;
  buf.writeUInt16LE(Math.min(p.nameCount, 0xffff), 1);
  lists.forEach((l, i) => {
    buf[3 + i] = l.length;
  });
  buf[7] = p.frames.length;
  buf[8] = p.template.length;
  buf.writeUInt16LE(Math.min(p.templateCount, 0xffff), 9);
  let at = HEADER;
  for (const l of lists)
    for (const v of l) {
      buf.writeUInt32LE(v, at);
      at += 4;
    }
  for (let i = 0; i < p.frames.length; i++) {
    buf.writeUInt32LE(p.frames[i]!, at);
    buf.writeUInt16LE(p.values[i]! & 0xffff, at + 4);
    at += 6;
  }
  for (const v of p.template) {
    buf.writeUInt32LE(v, at);
    at += 4;
  }
  return buf;
}

/** The profile a stored record holds, or null for a record of another version. */
export function decodeStory(buf: Buffer): StoryProfile | null {
  if (buf.length < HEADER || buf[0] !== VERSION) return null;
  let at = HEADER;
  const list = (n: number) => {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++, at += 4) out[i] = buf.readUInt32LE(at);
    return out;
  };
  const names = list(buf[3]!);
  const figures = list(buf[4]!);
  const years = list(buf[5]!);
  const rates = list(buf[6]!);
  const n = buf[7]!;
  const frames = new Uint32Array(n);
  const values = new Uint32Array(n);
  for (let i = 0; i < n; i++, at += 6) {
    frames[i] = buf.readUInt32LE(at);
    values[i] = buf.readUInt16LE(at + 4);
  }
  const template = list(buf[8]!);
  return {
    names,
    nameCount: buf.readUInt16LE(1),
    figures,
    years,
    rates,
    frames,
    values,
    template,
    templateCount: buf.readUInt16LE(9),
  };
}

/** The profile as the store compares it: what the stored record keeps. */
export function storedStory(p: StoryProfile): StoryProfile {
  return decodeStory(encodeStory(p))!;
}
